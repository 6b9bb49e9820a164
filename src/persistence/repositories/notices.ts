import type { NoticeItems } from '../../domain/incident/notice.js';
import { HotQuery } from '../compiled.js';
import type { Tx } from '../db.js';
import type { ContainmentActionsTable, ItemRequestsTable, NoticesTable } from '../schema.js';

export interface NoticeRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  fromParty: 'A' | 'B';
  number: number;
  items: NoticeItems;
  sentAt: string;
  sentBy: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface ItemRequestRecord {
  id: string;
  incidentId: string;
  requestedByParty: 'A' | 'B';
  requestedBy: string | null;
  question: string;
  requestedAt: string;
  dueAt: string;
  answer: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
}

export type ContainmentKind = 'access_cutoff' | 'system_stop' | 'password_change' | 'other' | 'none_needed';

export interface ContainmentRecord {
  id: string;
  incidentId: string;
  byParty: 'A' | 'B';
  kind: ContainmentKind;
  /** What was done, or (for `none_needed`) why no measure is needed. */
  description: string;
  takenAt: string;
  result: string | null;
  recordedBy: string | null;
  createdAt: string;
}

const party = (p: string): 'A' | 'B' => (p === 'B' ? 'B' : 'A');

export function toNotice(r: NoticesTable): NoticeRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    fromParty: party(r.from_party),
    number: Number(r.number),
    items: JSON.parse(r.items) as NoticeItems,
    sentAt: r.sent_at,
    sentBy: r.sent_by,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
  };
}

export function toItemRequest(r: ItemRequestsTable): ItemRequestRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    requestedByParty: party(r.requested_by_party),
    requestedBy: r.requested_by,
    question: r.question,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    answer: r.answer,
    answeredAt: r.answered_at,
    answeredBy: r.answered_by,
  };
}

export function toContainment(r: ContainmentActionsTable): ContainmentRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    byParty: party(r.by_party),
    kind: r.kind as ContainmentKind,
    description: r.description,
    takenAt: r.taken_at,
    result: r.result,
    recordedBy: r.recorded_by,
    createdAt: r.created_at,
  };
}

export async function insertNotice(tx: Tx, n: NoticeRecord): Promise<void> {
  await tx.q
    .insertInto('notices')
    .values({
      id: n.id,
      incident_id: n.incidentId,
      agreement_id: n.agreementId,
      from_party: n.fromParty,
      number: n.number,
      items: JSON.stringify(n.items),
      sent_at: n.sentAt,
      sent_by: n.sentBy,
      acknowledged_at: null,
      acknowledged_by: null,
    })
    .execute();
}

export async function findNotice(tx: Tx, id: string): Promise<NoticeRecord | null> {
  const r = await tx.q.selectFrom('notices').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toNotice(r) : null;
}

export async function listNotices(tx: Tx, incidentIds: readonly string[]): Promise<NoticeRecord[]> {
  if (incidentIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('notices')
    .selectAll()
    .where('incident_id', 'in', [...incidentIds])
    .orderBy('incident_id')
    .orderBy('number')
    .execute();
  return rows.map(toNotice);
}

/** First acknowledgement wins; a second one changes nothing (guarded in the WHERE). */
export async function acknowledgeNotice(tx: Tx, id: string, userId: string, at: string): Promise<boolean> {
  const res = await tx.q
    .updateTable('notices')
    .set({ acknowledged_at: at, acknowledged_by: userId })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertItemRequest(tx: Tx, r: ItemRequestRecord): Promise<void> {
  await tx.q
    .insertInto('item_requests')
    .values({
      id: r.id,
      incident_id: r.incidentId,
      requested_by_party: r.requestedByParty,
      requested_by: r.requestedBy,
      question: r.question,
      requested_at: r.requestedAt,
      due_at: r.dueAt,
      answer: null,
      answered_at: null,
      answered_by: null,
    })
    .execute();
}

export async function findItemRequest(tx: Tx, id: string): Promise<ItemRequestRecord | null> {
  const r = await tx.q.selectFrom('item_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toItemRequest(r) : null;
}

export async function listItemRequests(tx: Tx, incidentIds: readonly string[]): Promise<ItemRequestRecord[]> {
  if (incidentIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('item_requests')
    .selectAll()
    .where('incident_id', 'in', [...incidentIds])
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  return rows.map(toItemRequest);
}

export async function answerItemRequest(
  tx: Tx,
  id: string,
  answer: string,
  userId: string,
  at: string,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('item_requests')
    .set({ answer, answered_at: at, answered_by: userId })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertContainment(tx: Tx, c: ContainmentRecord): Promise<void> {
  await tx.q
    .insertInto('containment_actions')
    .values({
      id: c.id,
      incident_id: c.incidentId,
      by_party: c.byParty,
      kind: c.kind,
      description: c.description,
      taken_at: c.takenAt,
      result: c.result,
      recorded_by: c.recordedBy,
      created_at: c.createdAt,
    })
    .execute();
}

export async function listContainment(tx: Tx, incidentIds: readonly string[]): Promise<ContainmentRecord[]> {
  if (incidentIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('containment_actions')
    .selectAll()
    .where('incident_id', 'in', [...incidentIds])
    .orderBy('taken_at')
    .orderBy('id')
    .execute();
  return rows.map(toContainment);
}

/** What the obligation engine reads of a notice, a request for further items, a containment record. */
export type NoticeTime = Pick<NoticeRecord, 'id' | 'incidentId' | 'fromParty' | 'sentAt'>;
export type ItemRequestTime = Pick<
  ItemRequestRecord,
  'id' | 'incidentId' | 'requestedAt' | 'dueAt' | 'answeredAt'
>;
export type ContainmentTime = Pick<
  ContainmentRecord,
  'id' | 'incidentId' | 'byParty' | 'takenAt' | 'createdAt'
>;

const agreementNoticeTimes = new HotQuery(
  'agreementNoticeTimes',
  (tx, agreementId) =>
    tx.q
      .selectFrom('incidents as i')
      .innerJoin('notices as n', 'n.incident_id', 'i.id')
      .select(['n.id', 'n.incident_id', 'n.from_party', 'n.sent_at'])
      .where('i.agreement_id', '=', agreementId as string)
      .orderBy('n.incident_id')
      .orderBy('n.number'),
  1,
);

const agreementItemRequestTimes = new HotQuery(
  'agreementItemRequestTimes',
  (tx, agreementId) =>
    tx.q
      .selectFrom('incidents as i')
      .innerJoin('item_requests as r', 'r.incident_id', 'i.id')
      .select(['r.id', 'r.incident_id', 'r.requested_at', 'r.due_at', 'r.answered_at'])
      .where('i.agreement_id', '=', agreementId as string)
      .orderBy('r.requested_at')
      .orderBy('r.id'),
  1,
);

const agreementContainmentTimes = new HotQuery(
  'agreementContainmentTimes',
  (tx, agreementId) =>
    tx.q
      .selectFrom('incidents as i')
      .innerJoin('containment_actions as c', 'c.incident_id', 'i.id')
      .select(['c.id', 'c.incident_id', 'c.by_party', 'c.taken_at', 'c.created_at'])
      .where('i.agreement_id', '=', agreementId as string)
      .orderBy('c.taken_at')
      .orderBy('c.id'),
  1,
);

/** The notices of all an agreement's incidents, in `listNotices` order (hot path: obligations). */
export async function listAgreementNoticeTimes(tx: Tx, agreementId: string): Promise<NoticeTime[]> {
  return (await agreementNoticeTimes.execute(tx, agreementId)).map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    fromParty: party(r.from_party),
    sentAt: r.sent_at,
  }));
}

/** The requests for further items of all an agreement's incidents, in `listItemRequests` order. */
export async function listAgreementItemRequestTimes(tx: Tx, agreementId: string): Promise<ItemRequestTime[]> {
  return (await agreementItemRequestTimes.execute(tx, agreementId)).map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    requestedAt: r.requested_at,
    dueAt: r.due_at,
    answeredAt: r.answered_at,
  }));
}

/** The containment records of all an agreement's incidents, in `listContainment` order. */
export async function listAgreementContainmentTimes(tx: Tx, agreementId: string): Promise<ContainmentTime[]> {
  return (await agreementContainmentTimes.execute(tx, agreementId)).map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    byParty: party(r.by_party),
    takenAt: r.taken_at,
    createdAt: r.created_at,
  }));
}
