import { HotQuery } from '../compiled.js';
import type { Db, Tx } from '../db.js';
import type { ObligationClocksTable } from '../schema.js';

export interface WaiverRecord {
  obligationId: string;
  incidentId: string;
  waivedBy: string | null;
  reason: string;
  createdAt: string;
}

export async function insertWaiver(tx: Tx, w: WaiverRecord): Promise<boolean> {
  const inserted = await tx.q
    .insertInto('obligation_waivers')
    .values({
      obligation_id: w.obligationId,
      incident_id: w.incidentId,
      waived_by: w.waivedBy,
      reason: w.reason,
      created_at: w.createdAt,
    })
    .onConflict((oc) => oc.column('obligation_id').doNothing())
    .returning('obligation_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listWaivers(tx: Tx, incidentIds: readonly string[]): Promise<WaiverRecord[]> {
  if (incidentIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('obligation_waivers')
    .selectAll()
    .where('incident_id', 'in', [...incidentIds])
    .execute();
  return rows.map((r) => ({
    obligationId: r.obligation_id,
    incidentId: r.incident_id,
    waivedBy: r.waived_by,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}

const agreementWaivers = new HotQuery(
  'agreementWaivers',
  (tx, agreementId) =>
    tx.q
      .selectFrom('incidents as i')
      .innerJoin('obligation_waivers as w', 'w.incident_id', 'i.id')
      .selectAll('w')
      .where('i.agreement_id', '=', agreementId as string),
  1,
);

/** The waivers of all an agreement's incidents (hot path: the agreement's obligation list). */
export async function listAgreementWaivers(tx: Tx, agreementId: string): Promise<WaiverRecord[]> {
  return (await agreementWaivers.execute(tx, agreementId)).map((r) => ({
    obligationId: r.obligation_id,
    incidentId: r.incident_id,
    waivedBy: r.waived_by,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}

export interface ClockRow {
  obligationId: string;
  incidentId: string;
  agreementId: string;
  nextStage: string | null;
  nextAt: string | null;
}

/** The obligation index: what an opaque obligation id stands for (its row in `obligation_clocks`). */
export interface ObligationIndexRow extends ClockRow {
  clause: string | null;
  sourceType: string | null;
  sourceId: string | null;
  owedBy: string | null;
  owedTo: string | null;
}

/** Looks an obligation id up in the index (ids are opaque: never parsed). */
export async function findObligationIndex(tx: Tx, obligationId: string): Promise<ObligationIndexRow | null> {
  const r = await tx.q
    .selectFrom('obligation_clocks')
    .selectAll()
    .where('obligation_id', '=', obligationId)
    .executeTakeFirst();
  return r ? toIndexRow(r) : null;
}

function toIndexRow(r: ObligationClocksTable): ObligationIndexRow {
  return {
    obligationId: r.obligation_id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    nextStage: r.next_stage,
    nextAt: r.next_at,
    clause: r.clause,
    sourceType: r.source_type,
    sourceId: r.source_id,
    owedBy: r.owed_by,
    owedTo: r.owed_to,
  };
}

export async function listClocks(tx: Tx, incidentId: string): Promise<ObligationIndexRow[]> {
  const rows = await tx.q
    .selectFrom('obligation_clocks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .execute();
  return rows.map(toIndexRow);
}

/**
 * Inserts the index row of an obligation (with its clause, source and parties) or updates its
 * clock (its next reminder), in the change's transaction.
 */
export async function upsertClock(tx: Tx, c: ObligationIndexRow, now: string): Promise<void> {
  await tx.q
    .insertInto('obligation_clocks')
    .values({
      obligation_id: c.obligationId,
      incident_id: c.incidentId,
      agreement_id: c.agreementId,
      next_stage: c.nextStage,
      next_at: c.nextAt,
      updated_at: now,
      clause: c.clause,
      source_type: c.sourceType,
      source_id: c.sourceId,
      owed_by: c.owedBy,
      owed_to: c.owedTo,
    })
    .onConflict((oc) =>
      oc.column('obligation_id').doUpdateSet({
        next_stage: c.nextStage,
        next_at: c.nextAt,
        updated_at: now,
        clause: c.clause,
        source_type: c.sourceType,
        source_id: c.sourceId,
        owed_by: c.owedBy,
        owed_to: c.owedTo,
      }),
    )
    .execute();
}

/** Clocks whose next reminder is due: the sweep reads these in batches. */
export async function dueClocks(db: Db, nowIso: string, limit: number): Promise<ClockRow[]> {
  const rows = await db.kysely
    .selectFrom('obligation_clocks')
    .selectAll()
    .where('next_at', 'is not', null)
    .where('next_at', '<=', nowIso)
    .orderBy('next_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    obligationId: r.obligation_id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    nextStage: r.next_stage,
    nextAt: r.next_at,
  }));
}

/** Claims one clock's stage by moving it on, guarded on the stage read: only one sweeper wins. */
export async function advanceClock(
  tx: Tx,
  obligationId: string,
  from: { stage: string | null; at: string | null },
  to: { stage: string | null; at: string | null },
  now: string,
): Promise<boolean> {
  let q = tx.q
    .updateTable('obligation_clocks')
    .set({ next_stage: to.stage, next_at: to.at, updated_at: now })
    .where('obligation_id', '=', obligationId);
  q = from.stage === null ? q.where('next_stage', 'is', null) : q.where('next_stage', '=', from.stage);
  q = from.at === null ? q.where('next_at', 'is', null) : q.where('next_at', '=', from.at);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
