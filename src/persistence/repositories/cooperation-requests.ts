import type { CooperationCategory } from '../../domain/cooperation/categories.js';
import type { Tx } from '../db.js';
import type { CooperationRequestsTable } from '../schema.js';

export type CooperationRequestState = 'requested' | 'accepted' | 'declined' | 'delivered';

export interface CooperationRequestRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  fromParty: 'A' | 'B';
  toParty: 'A' | 'B';
  category: CooperationCategory;
  details: string;
  requestedBy: string | null;
  requestedAt: string;
  dueAt: string;
  state: CooperationRequestState;
  /** The first response (accepted, declined or delivered). */
  respondedAt: string | null;
  respondedBy: string | null;
  declineReason: string | null;
  /** Set by an acceptance that promises delivery by then (opens the delivery duty). */
  deliverBy: string | null;
  deliveredAt: string | null;
  deliveredBy: string | null;
  answer: string | null;
  evidenceIds: string[];
  version: number;
}

const party = (p: string): 'A' | 'B' => (p === 'B' ? 'B' : 'A');

function toRecord(r: CooperationRequestsTable): CooperationRequestRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    fromParty: party(r.from_party),
    toParty: party(r.to_party),
    category: r.category as CooperationCategory,
    details: r.details,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    state: r.state as CooperationRequestState,
    respondedAt: r.responded_at,
    respondedBy: r.responded_by,
    declineReason: r.decline_reason,
    deliverBy: r.deliver_by,
    deliveredAt: r.delivered_at,
    deliveredBy: r.delivered_by,
    answer: r.answer,
    evidenceIds: JSON.parse(r.evidence_ids) as string[],
    version: Number(r.version),
  };
}

export async function insertCooperationRequest(tx: Tx, c: CooperationRequestRecord): Promise<void> {
  await tx.q
    .insertInto('cooperation_requests')
    .values({
      id: c.id,
      incident_id: c.incidentId,
      agreement_id: c.agreementId,
      from_party: c.fromParty,
      to_party: c.toParty,
      category: c.category,
      details: c.details,
      requested_by: c.requestedBy,
      requested_at: c.requestedAt,
      due_at: c.dueAt,
      state: c.state,
      responded_at: c.respondedAt,
      responded_by: c.respondedBy,
      decline_reason: c.declineReason,
      deliver_by: c.deliverBy,
      delivered_at: c.deliveredAt,
      delivered_by: c.deliveredBy,
      answer: c.answer,
      evidence_ids: JSON.stringify(c.evidenceIds),
      version: c.version,
    })
    .execute();
}

export async function findCooperationRequest(tx: Tx, id: string): Promise<CooperationRequestRecord | null> {
  const r = await tx.q.selectFrom('cooperation_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function listCooperationRequests(
  tx: Tx,
  incidentId: string,
): Promise<CooperationRequestRecord[]> {
  const rows = await tx.q
    .selectFrom('cooperation_requests')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/**
 * Records a response, guarded on the state and version it was decided from (one response wins;
 * a concurrent second one updates nothing).
 */
export async function respondToCooperationRequest(
  tx: Tx,
  from: { id: string; state: CooperationRequestState; version: number },
  to: Pick<
    CooperationRequestRecord,
    | 'state'
    | 'respondedAt'
    | 'respondedBy'
    | 'declineReason'
    | 'deliverBy'
    | 'deliveredAt'
    | 'deliveredBy'
    | 'answer'
    | 'evidenceIds'
  >,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('cooperation_requests')
    .set({
      state: to.state,
      responded_at: to.respondedAt,
      responded_by: to.respondedBy,
      decline_reason: to.declineReason,
      deliver_by: to.deliverBy,
      delivered_at: to.deliveredAt,
      delivered_by: to.deliveredBy,
      answer: to.answer,
      evidence_ids: JSON.stringify(to.evidenceIds),
      version: from.version + 1,
    })
    .where('id', '=', from.id)
    .where('state', '=', from.state)
    .where('version', '=', from.version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** What the obligation engine reads of a cooperation request. */
export interface CooperationRequestTime {
  id: string;
  incidentId: string;
  fromParty: 'A' | 'B';
  toParty: 'A' | 'B';
  category: string;
  requestedAt: string;
  dueAt: string;
  respondedAt: string | null;
  deliverBy: string | null;
  deliveredAt: string | null;
}

const TIME_COLUMNS = [
  'id',
  'incident_id',
  'from_party',
  'to_party',
  'category',
  'requested_at',
  'due_at',
  'responded_at',
  'deliver_by',
  'delivered_at',
] as const;

function toTime(r: Pick<CooperationRequestsTable, (typeof TIME_COLUMNS)[number]>): CooperationRequestTime {
  return {
    id: r.id,
    incidentId: r.incident_id,
    fromParty: party(r.from_party),
    toParty: party(r.to_party),
    category: r.category,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    respondedAt: r.responded_at,
    deliverBy: r.deliver_by,
    deliveredAt: r.delivered_at,
  };
}

/** The engine's view of the cooperation requests of some incidents. */
export async function listCooperationRequestTimes(
  tx: Tx,
  incidentIds: readonly string[],
): Promise<CooperationRequestTime[]> {
  if (incidentIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('cooperation_requests')
    .select(TIME_COLUMNS)
    .where('incident_id', 'in', [...incidentIds])
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  return rows.map(toTime);
}

/** The engine's view of the cooperation requests of every incident of an agreement. */
export async function listAgreementCooperationRequestTimes(
  tx: Tx,
  agreementId: string,
): Promise<CooperationRequestTime[]> {
  const rows = await tx.q
    .selectFrom('cooperation_requests')
    .select(TIME_COLUMNS)
    .where('agreement_id', '=', agreementId)
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  return rows.map(toTime);
}
