import type { Tx } from '../db.js';
import type { ConsultationMessagesTable, ConsultationsTable } from '../schema.js';

export type ConsultationState = 'open' | 'proposed' | 'agreed';
export type ConsultationMessageKind = 'message' | 'outcome_proposed' | 'outcome_confirmed';

export interface ConsultationRecord {
  id: string;
  agreementId: string;
  incidentId: string;
  subjectType: string;
  subjectId: string;
  topic: string;
  openedByParty: 'A' | 'B';
  openedBy: string | null;
  openedAt: string;
  state: ConsultationState;
  /** The outcome proposed last (the one the other party confirms). */
  outcome: string | null;
  outcomeByParty: 'A' | 'B' | null;
  outcomeBy: string | null;
  outcomeAt: string | null;
  agreedBy: string | null;
  agreedAt: string | null;
  version: number;
}

export interface ConsultationMessageRecord {
  id: string;
  consultationId: string;
  kind: ConsultationMessageKind;
  byParty: 'A' | 'B';
  byUser: string | null;
  body: string;
  createdAt: string;
}

const party = (p: string): 'A' | 'B' => (p === 'B' ? 'B' : 'A');

function toRecord(r: ConsultationsTable): ConsultationRecord {
  return {
    id: r.id,
    agreementId: r.agreement_id,
    incidentId: r.incident_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    topic: r.topic,
    openedByParty: party(r.opened_by_party),
    openedBy: r.opened_by,
    openedAt: r.opened_at,
    state: r.state as ConsultationState,
    outcome: r.outcome,
    outcomeByParty: r.outcome_by_party === null ? null : party(r.outcome_by_party),
    outcomeBy: r.outcome_by,
    outcomeAt: r.outcome_at,
    agreedBy: r.agreed_by,
    agreedAt: r.agreed_at,
    version: Number(r.version),
  };
}

function toMessage(r: ConsultationMessagesTable): ConsultationMessageRecord {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    kind: r.kind as ConsultationMessageKind,
    byParty: party(r.by_party),
    byUser: r.by_user,
    body: r.body,
    createdAt: r.created_at,
  };
}

export async function insertConsultation(tx: Tx, c: ConsultationRecord): Promise<void> {
  await tx.q
    .insertInto('consultations')
    .values({
      id: c.id,
      agreement_id: c.agreementId,
      incident_id: c.incidentId,
      subject_type: c.subjectType,
      subject_id: c.subjectId,
      topic: c.topic,
      opened_by_party: c.openedByParty,
      opened_by: c.openedBy,
      opened_at: c.openedAt,
      state: c.state,
      outcome: c.outcome,
      outcome_by_party: c.outcomeByParty,
      outcome_by: c.outcomeBy,
      outcome_at: c.outcomeAt,
      agreed_by: c.agreedBy,
      agreed_at: c.agreedAt,
      version: c.version,
    })
    .execute();
}

export async function findConsultation(tx: Tx, id: string): Promise<ConsultationRecord | null> {
  const r = await tx.q.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function listIncidentConsultations(tx: Tx, incidentId: string): Promise<ConsultationRecord[]> {
  const rows = await tx.q
    .selectFrom('consultations')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('opened_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

export async function insertConsultationMessage(tx: Tx, m: ConsultationMessageRecord): Promise<void> {
  await tx.q
    .insertInto('consultation_messages')
    .values({
      id: m.id,
      consultation_id: m.consultationId,
      kind: m.kind,
      by_party: m.byParty,
      by_user: m.byUser,
      body: m.body,
      created_at: m.createdAt,
    })
    .execute();
}

export async function listConsultationMessages(
  tx: Tx,
  consultationId: string,
): Promise<ConsultationMessageRecord[]> {
  const rows = await tx.q
    .selectFrom('consultation_messages')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toMessage);
}

/**
 * Moves a consultation on, guarded on the state and version it was read at (one change wins; a
 * concurrent one updates nothing).
 */
export async function updateConsultation(
  tx: Tx,
  from: { id: string; state: ConsultationState; version: number },
  to: Pick<
    ConsultationRecord,
    'state' | 'outcome' | 'outcomeByParty' | 'outcomeBy' | 'outcomeAt' | 'agreedBy' | 'agreedAt'
  >,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('consultations')
    .set({
      state: to.state,
      outcome: to.outcome,
      outcome_by_party: to.outcomeByParty,
      outcome_by: to.outcomeBy,
      outcome_at: to.outcomeAt,
      agreed_by: to.agreedBy,
      agreed_at: to.agreedAt,
      version: from.version + 1,
    })
    .where('id', '=', from.id)
    .where('state', '=', from.state)
    .where('version', '=', from.version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Bumps the version (a message was added), guarded like `updateConsultation`. */
export async function touchConsultation(
  tx: Tx,
  from: { id: string; state: ConsultationState; version: number },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('consultations')
    .set({ version: from.version + 1 })
    .where('id', '=', from.id)
    .where('state', '=', from.state)
    .where('version', '=', from.version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** What the obligation engine reads: the consultations that reached an agreed outcome (Art 12). */
export interface AgreedConsultationTime {
  id: string;
  incidentId: string;
  subjectType: string;
  subjectId: string;
  agreedAt: string;
}

export async function listAgreedConsultationTimes(
  tx: Tx,
  incidentIds: readonly string[],
): Promise<AgreedConsultationTime[]> {
  if (incidentIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('consultations')
    .select(['id', 'incident_id', 'subject_type', 'subject_id', 'agreed_at'])
    .where('incident_id', 'in', [...incidentIds])
    .where('state', '=', 'agreed')
    .orderBy('agreed_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    agreedAt: r.agreed_at as string,
  }));
}

export async function listAgreementAgreedConsultationTimes(
  tx: Tx,
  agreementId: string,
): Promise<AgreedConsultationTime[]> {
  const rows = await tx.q
    .selectFrom('consultations')
    .select(['id', 'incident_id', 'subject_type', 'subject_id', 'agreed_at'])
    .where('agreement_id', '=', agreementId)
    .where('state', '=', 'agreed')
    .orderBy('agreed_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    agreedAt: r.agreed_at as string,
  }));
}
