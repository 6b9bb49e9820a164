import { formatDue } from '../../domain/shared/deadline.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { renderConsultationMinutesDocx } from '../../documents/consultation-minutes.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  findConsultation,
  insertConsultation,
  insertConsultationMessage,
  listConsultationMessages,
  listIncidentConsultations,
  touchConsultation,
  updateConsultation,
  type ConsultationMessageRecord,
  type ConsultationRecord,
} from '../../persistence/repositories/consultations.js';
import { findOrganizations } from '../../persistence/repositories/organizations.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import type { IncidentPermission, PartyCode } from '../access.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, otherParty } from '../incidents/load.js';
import { mailParty } from '../incidents/notify.js';
import { refreshClocks } from '../incidents/obligations.js';
import { resolveConsultationSubject, type ConsultationSubject } from './subjects.js';

/**
 * Art 12 (第12条): for what the memorandum does not settle or where its reading is in doubt, the
 * parties consult in good faith. A consultation is a thread about a subject (the registry in
 * `subjects.ts`): either party opens it and writes in it; one party's owner or legal proposes the
 * agreed outcome and the OTHER party's owner or legal confirms it, which makes it `agreed` (then it
 * is closed: a new question is a new consultation). Agreed consultations are read by the
 * obligation engine (a duty met by an agreed consultation on its subject, e.g. Art 6.2).
 */

export interface ConsultationView extends ConsultationRecord {
  messages: ConsultationMessageRecord[];
  subjectLabel: { ja: string; en: string };
}

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/** Loads a consultation the actor may see (through its subject), or 404 CONSULTATION_NOT_FOUND. */
async function loadConsultationFor(
  tx: Tx,
  actor: Actor,
  id: string,
  permission: IncidentPermission,
): Promise<{ consultation: ConsultationRecord; subject: ConsultationSubject }> {
  const consultation = await findConsultation(tx, id);
  if (!consultation) throw new AppError('CONSULTATION_NOT_FOUND');
  try {
    const subject = await resolveConsultationSubject(
      tx,
      actor,
      consultation.subjectType,
      consultation.subjectId,
      permission,
    );
    return { consultation, subject };
  } catch (e) {
    if (e instanceof AppError && (e.code === 'CONSULTATION_SUBJECT_NOT_FOUND' || e.status === 404))
      throw new AppError('CONSULTATION_NOT_FOUND');
    throw e;
  }
}

async function view(tx: Tx, c: ConsultationRecord, subject: ConsultationSubject): Promise<ConsultationView> {
  return { ...c, messages: await listConsultationMessages(tx, c.id), subjectLabel: subject.label };
}

export async function openConsultation(
  ctx: AppContext,
  actor: Actor,
  input: { subjectType: string; subjectId: string; topic: string },
): Promise<ConsultationView> {
  const now = isoInstant(ctx.clock.now());
  const topic = input.topic.trim();
  if (!topic) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '協議の議題を入力してください。', en: 'Give the topic of the consultation.' },
      extras: { errors: [{ path: 'topic' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const subject = await resolveConsultationSubject(
      tx,
      actor,
      input.subjectType,
      input.subjectId,
      'consultation.write',
    );
    const { incident, agreement, side } = subject;
    // The other company learns of an incident from its first notice (Art 3.1).
    if (incident.firstNoticeAt === null) throw new AppError('CONSULTATION_BEFORE_NOTICE');
    const c: ConsultationRecord = {
      id: newId('consultation'),
      agreementId: agreement.id,
      incidentId: incident.id,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      topic,
      openedByParty: side,
      openedBy: userId(actor),
      openedAt: now,
      state: 'open',
      outcome: null,
      outcomeByParty: null,
      outcomeBy: null,
      outcomeAt: null,
      agreedBy: null,
      agreedAt: null,
      version: 1,
    };
    await insertConsultation(tx, c);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'consultation.opened',
      recordType: 'consultation',
      recordId: c.id,
      payload: { incidentId: incident.id, after: c },
    });
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      otherParty(side),
      `consultation.opened:${c.id}`,
      { kind: 'consultation_opened', clause: { ja: '第12条', en: 'Art 12' }, detail: topic },
      now,
    );
    return view(tx, c, subject);
  });
}

export async function addConsultationMessage(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: string,
): Promise<ConsultationView> {
  const now = isoInstant(ctx.clock.now());
  const text = body.trim();
  if (!text) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '発言の内容を入力してください。', en: 'Write the message.' },
      extras: { errors: [{ path: 'body' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const { consultation: c, subject } = await loadConsultationFor(tx, actor, id, 'consultation.write');
    if (c.state === 'agreed') throw new AppError('CONSULTATION_AGREED');
    if (!(await touchConsultation(tx, c))) throw new AppError('VERSION_CONFLICT');
    const m: ConsultationMessageRecord = {
      id: newId('consultationMessage'),
      consultationId: c.id,
      kind: 'message',
      byParty: subject.side,
      byUser: userId(actor),
      body: text,
      createdAt: now,
    };
    await insertConsultationMessage(tx, m);
    await recordAudit(tx, actor, now, {
      chain: c.agreementId,
      action: 'consultation.message_added',
      recordType: 'consultation',
      recordId: c.id,
      payload: { incidentId: c.incidentId, messageId: m.id, byParty: m.byParty, body: text },
    });
    return view(tx, { ...c, version: c.version + 1 }, subject);
  });
}

/** Proposes the agreed outcome (owner/legal); a later proposal by either party replaces it. */
export async function proposeConsultationOutcome(
  ctx: AppContext,
  actor: Actor,
  id: string,
  text: string,
): Promise<ConsultationView> {
  const now = isoInstant(ctx.clock.now());
  const outcome = text.trim();
  if (!outcome) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '合意案の内容を入力してください。', en: 'Write the proposed outcome.' },
      extras: { errors: [{ path: 'text' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const { consultation: c, subject } = await loadConsultationFor(tx, actor, id, 'consultation.agree');
    if (c.state === 'agreed') throw new AppError('CONSULTATION_AGREED');
    const after: ConsultationRecord = {
      ...c,
      state: 'proposed',
      outcome,
      outcomeByParty: subject.side,
      outcomeBy: userId(actor),
      outcomeAt: now,
      version: c.version + 1,
    };
    if (!(await updateConsultation(tx, c, after))) throw new AppError('VERSION_CONFLICT');
    const messageId = newId('consultationMessage');
    await insertConsultationMessage(tx, {
      id: messageId,
      consultationId: c.id,
      kind: 'outcome_proposed',
      byParty: subject.side,
      byUser: userId(actor),
      body: outcome,
      createdAt: now,
    });
    await recordAudit(tx, actor, now, {
      chain: c.agreementId,
      action: 'consultation.outcome_proposed',
      recordType: 'consultation',
      recordId: c.id,
      payload: { incidentId: c.incidentId, byParty: subject.side, outcome },
    });
    await mailParty(
      ctx,
      tx,
      subject.agreement,
      subject.incident,
      otherParty(subject.side),
      `consultation.outcome_proposed:${messageId}`,
      { kind: 'consultation_outcome_proposed', clause: { ja: '第12条', en: 'Art 12' }, detail: outcome },
      now,
    );
    return view(tx, after, subject);
  });
}

/** The other party's owner or legal confirms the proposed outcome: the consultation is agreed. */
export async function confirmConsultationOutcome(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<ConsultationView> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { consultation: c, subject } = await loadConsultationFor(tx, actor, id, 'consultation.agree');
    if (c.state === 'agreed') throw new AppError('CONSULTATION_AGREED');
    if (c.state !== 'proposed' || c.outcome === null) throw new AppError('CONSULTATION_NO_OUTCOME');
    if (actor.kind === 'user' && subject.side === c.outcomeByParty) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '合意案は、提示した当事者ではなく相手方が確認します。',
          en: 'The outcome is confirmed by the other party, not by the party that proposed it.',
        },
      });
    }
    const after: ConsultationRecord = {
      ...c,
      state: 'agreed',
      agreedBy: userId(actor),
      agreedAt: now,
      version: c.version + 1,
    };
    if (!(await updateConsultation(tx, c, after))) throw new AppError('VERSION_CONFLICT');
    await insertConsultationMessage(tx, {
      id: newId('consultationMessage'),
      consultationId: c.id,
      kind: 'outcome_confirmed',
      byParty: subject.side,
      byUser: userId(actor),
      body: c.outcome,
      createdAt: now,
    });
    await recordAudit(tx, actor, now, {
      chain: c.agreementId,
      action: 'consultation.agreed',
      recordType: 'consultation',
      recordId: c.id,
      payload: {
        incidentId: c.incidentId,
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        outcome: c.outcome,
        proposedBy: c.outcomeByParty,
        confirmedBy: subject.side,
      },
    });
    // An agreed consultation can meet a duty (Art 6.2 "consult afterwards"): re-derive the clocks.
    await refreshClocks(tx, subject.incident, subject.agreement, nowInstant.epochMilliseconds);
    await mailParty(
      ctx,
      tx,
      subject.agreement,
      subject.incident,
      otherParty(subject.side),
      `consultation.agreed:${c.id}`,
      { kind: 'consultation_agreed', clause: { ja: '第12条', en: 'Art 12' }, detail: c.outcome },
      now,
    );
    return view(tx, after, subject);
  });
}

export async function getConsultation(ctx: AppContext, actor: Actor, id: string): Promise<ConsultationView> {
  const { consultation, subject } = await loadConsultationFor(ctx.db, actor, id, 'incident.read');
  return view(ctx.db, consultation, subject);
}

/** The consultations of an incident the actor may see (each through its subject), oldest first. */
export async function listConsultations(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<ConsultationView[]> {
  await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  const out: ConsultationView[] = [];
  for (const c of await listIncidentConsultations(ctx.db, incidentId)) {
    try {
      const subject = await resolveConsultationSubject(
        ctx.db,
        actor,
        c.subjectType,
        c.subjectId,
        'incident.read',
      );
      out.push(await view(ctx.db, c, subject));
    } catch (e) {
      // A subject the actor may not see (e.g. a record another party keeps to itself) hides its thread.
      if (e instanceof AppError && e.status === 404) continue;
      throw e;
    }
  }
  return out;
}

const STATE_LABEL = { open: '協議中', proposed: '合意案の確認待ち', agreed: '合意済み' } as const;

/** The minutes (協議記録) as DOCX, for the parties' own files. */
export async function consultationMinutes(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ body: Buffer; filename: { ascii: string; utf8: string } }> {
  const v = await getConsultation(ctx, actor, id);
  const { agreement, incident } = (await loadConsultationFor(ctx.db, actor, id, 'incident.read')).subject;
  const orgs = new Map(
    (await findOrganizations(ctx.db, [agreement.partyAId, agreement.partyBId])).map((o) => [o.id, o.name]),
  );
  const partyName = (p: PartyCode) => orgs.get(p === 'A' ? agreement.partyAId : agreement.partyBId) ?? '';
  const userIds = [v.openedBy, v.agreedBy, ...v.messages.map((m) => m.byUser)].filter(
    (x): x is string => !!x,
  );
  const users = new Map((await findUsersByIds(ctx.db, [...new Set(userIds)])).map((u) => [u.id, u.name]));
  const who = (p: PartyCode, user: string | null) =>
    `${p === 'A' ? '甲' : '乙'}（${partyName(p)}${user && users.get(user) ? ` ${users.get(user)}` : ''}）`;
  const otherOf = (p: PartyCode): PartyCode => (p === 'A' ? 'B' : 'A');
  const body = await renderConsultationMinutesDocx({
    consultationId: v.id,
    agreementTitle: '情報漏えい事故対応協力覚書',
    partyA: partyName('A'),
    partyB: partyName('B'),
    incidentTitle: incident.title,
    subject: v.subjectLabel.ja,
    topic: v.topic,
    openedAt: formatDue(v.openedAt, 'ja'),
    openedBy: who(v.openedByParty, v.openedBy),
    stateLabel: STATE_LABEL[v.state],
    entries: v.messages.map((m) => ({
      at: formatDue(m.createdAt, 'ja'),
      by: who(m.byParty, m.byUser),
      kind: m.kind,
      body: m.body,
    })),
    outcome: v.outcome,
    agreedAt: v.agreedAt ? formatDue(v.agreedAt, 'ja') : null,
    agreedBy: v.agreedAt && v.outcomeByParty ? who(otherOf(v.outcomeByParty), v.agreedBy) : null,
  });
  return {
    body,
    filename: { ascii: `consultation-minutes-${v.id}.docx`, utf8: `協議記録_${v.topic.slice(0, 40)}.docx` },
  };
}
