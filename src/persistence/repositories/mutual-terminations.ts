import type { Tx } from '../db.js';
import type { MutualTerminationsTable } from '../schema.js';

export type MutualTerminationState = 'pending' | 'confirmed' | 'withdrawn';

/** A proposal of a mutual termination (合意解約) of an agreement, and what became of it. */
export interface MutualTerminationRecord {
  id: string;
  agreementId: string;
  proposedByParty: 'A' | 'B';
  proposedBy: string | null;
  proposedAt: string;
  /** The first day the agreement no longer applies (YYYY-MM-DD). */
  effectiveOn: string;
  state: MutualTerminationState;
  /** The confirming user (other party) or the withdrawing proposer. */
  decidedBy: string | null;
  decidedAt: string | null;
}

function toRecord(r: MutualTerminationsTable): MutualTerminationRecord {
  return {
    id: r.id,
    agreementId: r.agreement_id,
    proposedByParty: r.proposed_by_party === 'B' ? 'B' : 'A',
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    effectiveOn: r.effective_on,
    state: r.state as MutualTerminationState,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

export async function insertMutualTermination(tx: Tx, m: MutualTerminationRecord): Promise<void> {
  await tx.q
    .insertInto('mutual_terminations')
    .values({
      id: m.id,
      agreement_id: m.agreementId,
      proposed_by_party: m.proposedByParty,
      proposed_by: m.proposedBy,
      proposed_at: m.proposedAt,
      effective_on: m.effectiveOn,
      state: m.state,
      decided_by: m.decidedBy,
      decided_at: m.decidedAt,
    })
    .execute();
}

/** The proposals of some agreements, oldest first. */
export async function listMutualTerminations(
  tx: Tx,
  agreementIds: readonly string[],
): Promise<MutualTerminationRecord[]> {
  if (agreementIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('mutual_terminations')
    .selectAll()
    .where('agreement_id', 'in', [...new Set(agreementIds)])
    .orderBy('proposed_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** Guarded decision: applies only while the proposal is still pending (one decision wins). */
export async function decideMutualTermination(
  tx: Tx,
  id: string,
  to: { state: 'confirmed' | 'withdrawn'; decidedBy: string | null; decidedAt: string },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('mutual_terminations')
    .set({ state: to.state, decided_by: to.decidedBy, decided_at: to.decidedAt })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
