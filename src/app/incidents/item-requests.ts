import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findIncident, type IncidentRecord } from '../../persistence/repositories/incidents.js';
import {
  answerItemRequest as markAnswered,
  findItemRequest,
  insertItemRequest,
  type ItemRequestRecord,
} from '../../persistence/repositories/notices.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { acceptsRecords } from '../../domain/incident/state.js';
import { loadIncidentFor, otherParty } from './load.js';
import { mailParty } from './notify.js';
import { refreshClocks } from './obligations.js';

/**
 * Art 3.2(6): the counterparty asks for further items it reasonably needs. This creates an
 * obligation on the reporting party to answer by `dueAt` (default: the agreement's notice target,
 * never less than its minimum answer time `itemRequestMinHours`).
 */
export async function requestItems(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { question: string; dueAt?: string | undefined },
): Promise<ItemRequestRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(tx, actor, incidentId, 'item_request.create');
    if (!acceptsRecords(incident.state))
      throw new AppError('INCIDENT_NOT_OPEN', { extras: { state: incident.state } });
    // Art 3.2(6) asks for what the counterparty 「合理的に求める」: the time to answer must be
    // reasonable too — at least the agreement's itemRequestMinHours (default 24 hours).
    const minHours = agreement.parameters.itemRequestMinHours;
    const dueAt =
      input.dueAt ??
      isoInstant(nowInstant.add({ hours: Math.max(agreement.parameters.noticeTargetHours, minHours) }));
    if (Date.parse(dueAt) < nowInstant.add({ hours: minHours }).epochMilliseconds) {
      throw new AppError('VALIDATION_FAILED', {
        message: {
          ja: `回答期限は求めの時から${minHours}時間以上先にしてください（第3条第2項第6号、運用細則の最短回答時間）。`,
          en: `dueAt must leave at least ${minHours} hours to answer (Art 3.2(6); the agreement's minimum answer time).`,
        },
        extras: { errors: [{ path: 'dueAt' }], minHours },
      });
    }
    const request: ItemRequestRecord = {
      id: newId('itemRequest'),
      incidentId,
      requestedByParty: side,
      requestedBy: actor.kind === 'user' ? actor.userId : null,
      question: input.question.trim(),
      requestedAt: now,
      dueAt,
      answer: null,
      answeredAt: null,
      answeredBy: null,
    };
    await insertItemRequest(tx, request);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'item_request.created',
      recordType: 'item_request',
      recordId: request.id,
      payload: { after: request },
    });
    await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      incident.reportingParty,
      `item_request.created:${request.id}`,
      {
        kind: 'items_requested',
        dueAt,
        clause: { ja: '第3条第2項第6号', en: 'Art 3.2(6)' },
      },
      now,
    );
    return request;
  });
}

/** The reporting party answers a request for further items; answering twice is refused (409). */
export async function answerItemRequest(
  ctx: AppContext,
  actor: Actor,
  requestId: string,
  answer: string,
): Promise<ItemRequestRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const request = await findItemRequest(tx, requestId);
    if (!request) throw new AppError('ITEM_REQUEST_NOT_FOUND');
    const loaded = await loadIncidentFor(
      tx,
      actor,
      request.incidentId,
      'item_request.answer',
      'ITEM_REQUEST_NOT_FOUND',
    );
    const { agreement } = loaded;
    if (request.answeredAt) throw new AppError('ITEM_REQUEST_ALREADY_ANSWERED');
    if (!acceptsRecords(loaded.incident.state))
      throw new AppError('INCIDENT_NOT_OPEN', { extras: { state: loaded.incident.state } });
    const userId = actor.kind === 'user' ? actor.userId : 'system';
    if (!(await markAnswered(tx, requestId, answer.trim(), userId, now)))
      throw new AppError('ITEM_REQUEST_ALREADY_ANSWERED');
    const incident = (await findIncident(tx, request.incidentId)) as IncidentRecord;
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'item_request.answered',
      recordType: 'item_request',
      recordId: requestId,
      payload: { incidentId: incident.id, answer: answer.trim() },
    });
    await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      otherParty(incident.reportingParty),
      `item_request.answered:${requestId}`,
      {
        kind: 'items_answered',
      },
      now,
    );
    return { ...request, answer: answer.trim(), answeredAt: now, answeredBy: userId };
  });
}
