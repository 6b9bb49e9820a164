import type { Tx } from '../db.js';
import type { DiscoveryCorrectionsTable } from '../schema.js';

export type DiscoveryCorrectionState = 'pending' | 'accepted' | 'rejected' | 'applied' | 'superseded';

export interface DiscoveryCorrectionRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  byParty: 'A' | 'B';
  requestedBy: string | null;
  fromDiscoveredAt: string;
  toDiscoveredAt: string;
  reason: string;
  state: DiscoveryCorrectionState;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
}

function toRecord(r: DiscoveryCorrectionsTable): DiscoveryCorrectionRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    byParty: r.by_party === 'B' ? 'B' : 'A',
    requestedBy: r.requested_by,
    fromDiscoveredAt: r.from_discovered_at,
    toDiscoveredAt: r.to_discovered_at,
    reason: r.reason,
    state: r.state as DiscoveryCorrectionState,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
  };
}

export async function insertDiscoveryCorrection(tx: Tx, c: DiscoveryCorrectionRecord): Promise<void> {
  await tx.q
    .insertInto('discovery_corrections')
    .values({
      id: c.id,
      incident_id: c.incidentId,
      agreement_id: c.agreementId,
      by_party: c.byParty,
      requested_by: c.requestedBy,
      from_discovered_at: c.fromDiscoveredAt,
      to_discovered_at: c.toDiscoveredAt,
      reason: c.reason,
      state: c.state,
      requested_at: c.requestedAt,
      decided_by: c.decidedBy,
      decided_at: c.decidedAt,
      decision_reason: c.decisionReason,
    })
    .execute();
}

export async function findDiscoveryCorrection(tx: Tx, id: string): Promise<DiscoveryCorrectionRecord | null> {
  const r = await tx.q
    .selectFrom('discovery_corrections')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function listDiscoveryCorrections(
  tx: Tx,
  incidentId: string,
): Promise<DiscoveryCorrectionRecord[]> {
  const rows = await tx.q
    .selectFrom('discovery_corrections')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** Guarded decision: applies only while the correction is still pending (one decision wins). */
export async function decideDiscoveryCorrection(
  tx: Tx,
  id: string,
  to: { state: DiscoveryCorrectionState; decidedBy: string | null; decidedAt: string; reason: string | null },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('discovery_corrections')
    .set({ state: to.state, decided_by: to.decidedBy, decided_at: to.decidedAt, decision_reason: to.reason })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Marks the pending corrections of an incident superseded (a new one replaces them). */
export async function supersedePendingCorrections(tx: Tx, incidentId: string, at: string): Promise<string[]> {
  const pending = await tx.q
    .selectFrom('discovery_corrections')
    .select('id')
    .where('incident_id', '=', incidentId)
    .where('state', '=', 'pending')
    .execute();
  if (pending.length === 0) return [];
  await tx.q
    .updateTable('discovery_corrections')
    .set({ state: 'superseded', decided_at: at })
    .where('incident_id', '=', incidentId)
    .where('state', '=', 'pending')
    .execute();
  return pending.map((p) => p.id);
}
