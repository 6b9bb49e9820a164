import {
  COOPERATION_CATEGORY_LABELS,
  cooperationItem,
  type CooperationCategory,
} from '../../domain/cooperation/categories.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { acceptsRecords } from '../../domain/incident/state.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  findCooperationRequest,
  insertCooperationRequest,
  listCooperationRequests as listRequests,
  respondToCooperationRequest,
  type CooperationRequestRecord,
} from '../../persistence/repositories/cooperation-requests.js';
import { findEvidence } from '../../persistence/repositories/evidence.js';
import { requireArticleInForce } from '../agreements/survival.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, otherParty } from '../incidents/load.js';
import { emitWebhook, incidentEventData, mailParty } from '../incidents/notify.js';
import { refreshClocks } from '../incidents/obligations.js';

/**
 * Art 4.2 (第4条第2項): cooperation requests. Either party asks the other to cooperate on one of the
 * eight matters; the requested party answers by the due time — accepts (optionally promising
 * delivery by a date, which opens a delivery duty), declines with its reason (recorded, not judged:
 * the memorandum asks for cooperation 「合理的な範囲で」), or delivers the result. Each request is an
 * obligation of the requested party in the clause registry (`4.2(n)`, `4.2(n)-delivery`).
 */

const citation = (category: CooperationCategory) => {
  const n = cooperationItem(category);
  return { ja: `第4条第2項第${n}号`, en: `Art 4.2(${n})` };
};

function invalid(path: string, ja: string, en: string): AppError {
  return new AppError('VALIDATION_FAILED', { message: { ja, en }, extras: { errors: [{ path }] } });
}

export async function createCooperationRequest(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { category: CooperationCategory; details: string; dueAt?: string | undefined },
): Promise<CooperationRequestRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const nowMs = nowInstant.epochMilliseconds;
  const details = input.details.trim();
  if (!details)
    throw invalid('details', '求める協力の内容を入力してください。', 'Describe the cooperation asked for.');
  if (input.dueAt !== undefined && Date.parse(input.dueAt) <= nowMs) {
    throw invalid('dueAt', '回答期限は現在より後の日時にしてください。', 'dueAt must be in the future.');
  }
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(
      tx,
      actor,
      incidentId,
      'cooperation_request.create',
    );
    // Art 11.3: Art 4 does not survive by default — no new request once the agreement has ended.
    await requireArticleInForce(tx, agreement, 4, nowInstant);
    if (!acceptsRecords(incident.state))
      throw new AppError('INCIDENT_NOT_OPEN', { extras: { state: incident.state } });
    // The other company learns of an incident from its first notice (Art 3.1): nothing may reach it before.
    if (incident.firstNoticeAt === null) throw new AppError('COOPERATION_BEFORE_NOTICE');
    const dueAt =
      input.dueAt ?? isoInstant(nowInstant.add({ hours: agreement.parameters.cooperationResponseHours }));
    const request: CooperationRequestRecord = {
      id: newId('cooperationRequest'),
      incidentId,
      agreementId: agreement.id,
      fromParty: side,
      toParty: otherParty(side),
      category: input.category,
      details,
      requestedBy: actor.kind === 'user' ? actor.userId : null,
      requestedAt: now,
      dueAt,
      state: 'requested',
      respondedAt: null,
      respondedBy: null,
      declineReason: null,
      deliverBy: null,
      deliveredAt: null,
      deliveredBy: null,
      answer: null,
      evidenceIds: [],
      version: 1,
    };
    await insertCooperationRequest(tx, request);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'cooperation_request.created',
      recordType: 'cooperation_request',
      recordId: request.id,
      payload: { incidentId, after: request },
    });
    await refreshClocks(tx, incident, agreement, nowMs);
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      request.toParty,
      `cooperation_request.created:${request.id}`,
      {
        kind: 'cooperation_requested',
        dueAt,
        clause: citation(request.category),
        detail: `${COOPERATION_CATEGORY_LABELS[request.category].ja} / ${COOPERATION_CATEGORY_LABELS[request.category].en}`,
      },
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'cooperation_request.created',
      `cooperation_request.created:${request.id}`,
      {
        ...incidentEventData(ctx, incident),
        cooperationRequestId: request.id,
        category: request.category,
        fromParty: request.fromParty,
        toParty: request.toParty,
        dueAt,
      },
      now,
      request.toParty,
    );
    return request;
  });
}

export interface CooperationResponseInput {
  decision: 'accepted' | 'declined' | 'delivered';
  reason?: string | undefined;
  answer?: string | undefined;
  deliverBy?: string | undefined;
  evidenceIds?: string[] | undefined;
}

/** The evidence a delivery references: of this incident and shared with the requesting party. */
async function checkEvidence(
  tx: Tx,
  request: CooperationRequestRecord,
  ids: readonly string[],
): Promise<void> {
  for (const [i, id] of ids.entries()) {
    const e = await findEvidence(tx, id);
    // Another incident's evidence, or a file the requester cannot see (not shared): refused alike,
    // without saying which (an unshared file of the other party is not revealed).
    if (!e || e.incidentId !== request.incidentId || e.visibility !== 'shared') {
      throw new AppError('VALIDATION_FAILED', {
        message: {
          ja: '提供する証拠は、この事故の証拠で相手方と共有済みのものを指定してください（未共有の証拠は先に共有してください）。',
          en: 'Reference evidence of this incident that is shared with the other party (share it first).',
        },
        extras: { errors: [{ path: `evidenceIds.${i}` }] },
      });
    }
  }
}

/**
 * The requested party answers a cooperation request. Only it may answer (the requester gets 403);
 * the first answer settles the answer duty, and after it only a delivery following an acceptance is
 * possible (anything else is 409).
 */
export async function respondToCooperation(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  input: CooperationResponseInput,
): Promise<CooperationRequestRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const nowMs = nowInstant.epochMilliseconds;
  const reason = input.reason?.trim() || null;
  const answer = input.answer?.trim() || null;
  const evidenceIds = [...new Set(input.evidenceIds ?? [])];
  if (input.decision === 'declined' && !reason) {
    throw invalid(
      'reason',
      '協力しない理由を入力してください（第4条第2項「合理的な範囲で」）。',
      'Give the reason for declining (Art 4.2: cooperation "within a reasonable range").',
    );
  }
  if (input.decision === 'delivered' && !answer) {
    throw invalid('answer', '提供する協力の結果を入力してください。', 'Give the answer being delivered.');
  }
  if (input.deliverBy !== undefined) {
    if (input.decision !== 'accepted')
      throw invalid(
        'deliverBy',
        '提供期限は受諾のときだけ指定できます。',
        'deliverBy goes with an acceptance only.',
      );
    if (Date.parse(input.deliverBy) <= nowMs)
      throw invalid(
        'deliverBy',
        '提供期限は現在より後の日時にしてください。',
        'deliverBy must be in the future.',
      );
  }
  if (evidenceIds.length > 0 && input.decision !== 'delivered') {
    throw invalid(
      'evidenceIds',
      '証拠は提供のときだけ指定できます。',
      'evidenceIds go with a delivery only.',
    );
  }
  return inTransaction(ctx.db, async (tx) => {
    const request = await findCooperationRequest(tx, requestId);
    if (!request) throw new AppError('COOPERATION_REQUEST_NOT_FOUND');
    const { incident, agreement, side } = await loadIncidentFor(
      tx,
      actor,
      request.incidentId,
      'cooperation_request.respond',
      'COOPERATION_REQUEST_NOT_FOUND',
    );
    if (actor.kind === 'user' && side !== request.toParty) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '協力を求められた当事者だけが回答できます（自社の求めには回答できません）。',
          en: 'Only the party asked to cooperate can answer (not the party that asked).',
        },
      });
    }
    const followsAcceptance = request.state === 'accepted' && input.decision === 'delivered';
    if (request.state !== 'requested' && !followsAcceptance) {
      throw new AppError('COOPERATION_REQUEST_ANSWERED', { extras: { state: request.state } });
    }
    if (evidenceIds.length > 0) await checkEvidence(tx, request, evidenceIds);
    const userId = actor.kind === 'user' ? actor.userId : null;
    const after: CooperationRequestRecord = followsAcceptance
      ? { ...request, state: 'delivered', deliveredAt: now, deliveredBy: userId, answer, evidenceIds }
      : {
          ...request,
          state: input.decision,
          respondedAt: now,
          respondedBy: userId,
          declineReason: input.decision === 'declined' ? reason : null,
          deliverBy: input.decision === 'accepted' ? (input.deliverBy ?? null) : null,
          deliveredAt: input.decision === 'delivered' ? now : null,
          deliveredBy: input.decision === 'delivered' ? userId : null,
          answer: input.decision === 'delivered' ? answer : null,
          evidenceIds: input.decision === 'delivered' ? evidenceIds : [],
        };
    if (!(await respondToCooperationRequest(tx, request, after))) {
      throw new AppError('COOPERATION_REQUEST_ANSWERED');
    }
    after.version = request.version + 1;
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: `cooperation_request.${input.decision}`,
      recordType: 'cooperation_request',
      recordId: request.id,
      payload: {
        incidentId: incident.id,
        decision: input.decision,
        reason: after.declineReason,
        deliverBy: after.deliverBy,
        answer: input.decision === 'delivered' ? answer : null,
        evidenceIds: input.decision === 'delivered' ? evidenceIds : [],
      },
    });
    await refreshClocks(tx, incident, agreement, nowMs);
    const words = {
      accepted: `受諾 / accepted${after.deliverBy ? ` — 提供期限 / deliver by ${after.deliverBy}` : ''}`,
      declined: `協力しない / declined — ${reason ?? ''}`,
      delivered: `提供 / delivered`,
    }[input.decision];
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      request.fromParty,
      `cooperation_request.${input.decision}:${request.id}`,
      { kind: 'cooperation_answered', clause: citation(request.category), detail: words },
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'cooperation_request.answered',
      `cooperation_request.${input.decision}:${request.id}`,
      {
        ...incidentEventData(ctx, incident),
        cooperationRequestId: request.id,
        category: request.category,
        decision: input.decision,
        state: after.state,
      },
      now,
      request.fromParty,
    );
    return after;
  });
}

export async function listCooperationRequests(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<CooperationRequestRecord[]> {
  await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  return listRequests(ctx.db, incidentId);
}
