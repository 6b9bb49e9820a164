import { acceptsRecords } from '../../domain/incident/state.js';
import {
  diffNoticeItems,
  NOTICE_ITEM_LABELS,
  NOTICE_ITEMS,
  noticeLabel,
  type NoticeItemKey,
  type NoticeItems,
} from '../../domain/incident/notice.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction, isUniqueViolation } from '../../persistence/db.js';
import {
  acknowledgeNotice as markAcknowledged,
  findNotice,
  insertNotice,
  listNotices,
  type NoticeRecord,
} from '../../persistence/repositories/notices.js';
import { markFirstNotice } from '../../persistence/repositories/incidents.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, loadNoticeFor, otherParty } from './load.js';
import { emitWebhook, incidentEventData, mailParty } from './notify.js';
import { refreshClocks } from './obligations.js';

/** The six items as sent: a missing key (or undefined) is not an answer; null (調査中) is. */
export type NoticeItemsInput = Partial<Record<NoticeItemKey, string | null | undefined>> | undefined;

/** Art 3.2: every item must be present; null (調査中) is an answer, a missing key is not. */
function completeItems(items: NoticeItemsInput): NoticeItems {
  const missing = NOTICE_ITEMS.filter((k) => !items || !(k in items) || items[k] === undefined);
  if (missing.length > 0) {
    throw new AppError('NOTICE_ITEMS_MISSING', {
      extras: {
        missing,
        errors: missing.map((k) => ({ path: `items.${k}` })),
        missingLabels: missing.map((k) => NOTICE_ITEM_LABELS[k]),
      },
      message: {
        ja: `第3条第2項の通知事項が不足しています: ${missing.map((k) => NOTICE_ITEM_LABELS[k].ja).join('、')}。不明な事項は null（調査中）としてください。`,
        en: `Art 3.2 notice items are missing: ${missing.join(', ')}. Send null (under investigation) for items not yet known.`,
      },
    });
  }
  return Object.fromEntries(NOTICE_ITEMS.map((k) => [k, items?.[k] ?? null])) as NoticeItems;
}

/**
 * Art 3.1-3.2: the reporting party notifies the counterparty with the six items known so far
 * (null = 調査中). The first notice is 第一報; later ones are 続報 numbered 2, 3, … Missing items
 * are refused (NOTICE_ITEMS_MISSING) only after access (403/404) and state (409) are checked.
 */
export async function sendNotice(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: NoticeItemsInput,
): Promise<NoticeRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const { incident, agreement } = await loadIncidentFor(tx, actor, incidentId, 'notice.send');
      const previous = (await listNotices(tx, [incidentId])).at(-1) ?? null;
      // Art 3.1 survives dismissal (a suspicion already triggers it): a dismissed incident still
      // takes its first notice — a short one saying it was not an incident — but nothing after it.
      const dismissedFirst = incident.state === 'dismissed' && previous === null;
      if (!acceptsRecords(incident.state) && !dismissedFirst)
        throw new AppError('INCIDENT_NOT_OPEN', { extras: { state: incident.state } });
      const items = completeItems(input);
      const notice: NoticeRecord = {
        id: newId('notice'),
        incidentId,
        agreementId: agreement.id,
        fromParty: incident.reportingParty,
        number: (previous?.number ?? 0) + 1,
        items,
        sentAt: now,
        sentBy: actor.kind === 'user' ? actor.userId : null,
        acknowledgedAt: null,
        acknowledgedBy: null,
      };
      await insertNotice(tx, notice);
      // From the first notice on, the counterparty sees the incident (and its history).
      if (incident.firstNoticeAt === null) await markFirstNotice(tx, incidentId, now);
      const shared = { ...incident, firstNoticeAt: incident.firstNoticeAt ?? now };
      await recordAudit(tx, actor, now, {
        chain: agreement.id,
        action: 'notice.sent',
        recordType: 'notice',
        recordId: notice.id,
        payload: {
          incidentId,
          number: notice.number,
          items,
          changes: previous
            ? diffNoticeItems(previous.items, items).filter((d) => d.change !== 'unchanged')
            : null,
        },
      });
      await refreshClocks(tx, shared, agreement, nowInstant.epochMilliseconds);
      await mailParty(
        ctx,
        tx,
        agreement,
        incident,
        otherParty(incident.reportingParty),
        `notice.sent:${notice.id}`,
        {
          kind: 'notice_sent',
          noticeLabel: noticeLabel(notice.number),
        },
        now,
      );
      await emitWebhook(
        ctx,
        tx,
        agreement,
        'notice.sent',
        `notice.sent:${notice.id}`,
        {
          ...incidentEventData(ctx, incident),
          noticeId: notice.id,
          number: notice.number,
        },
        now,
      );
      return notice;
    });
  } catch (e) {
    // Two notices sent at the same instant race for the same number: the loser retries once.
    if (isUniqueViolation(e)) return sendNotice(ctx, actor, incidentId, input);
    throw e;
  }
}

/**
 * The counterparty confirms receipt. Idempotent: a second acknowledgement returns the first
 * unchanged (who and when stay those of the first).
 */
export async function acknowledgeNotice(
  ctx: AppContext,
  actor: Actor,
  noticeId: string,
): Promise<{ notice: NoticeRecord; alreadyAcknowledged: boolean }> {
  const now = isoInstant(ctx.clock.now());
  return inTransaction(ctx.db, async (tx) => {
    const { notice, incident, agreement } = await loadNoticeFor(tx, actor, noticeId, 'notice.acknowledge');
    if (notice.acknowledgedAt) return { notice, alreadyAcknowledged: true };
    const userId = actor.kind === 'user' ? actor.userId : 'system';
    if (!(await markAcknowledged(tx, noticeId, userId, now))) {
      return { notice: (await findNotice(tx, noticeId)) as NoticeRecord, alreadyAcknowledged: true };
    }
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'notice.acknowledged',
      recordType: 'notice',
      recordId: noticeId,
      payload: { incidentId: incident.id, number: notice.number },
    });
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      incident.reportingParty,
      `notice.acknowledged:${noticeId}`,
      {
        kind: 'notice_acknowledged',
        noticeLabel: noticeLabel(notice.number),
      },
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'notice.acknowledged',
      `notice.acknowledged:${noticeId}`,
      {
        ...incidentEventData(ctx, incident),
        noticeId,
        number: notice.number,
      },
      now,
    );
    return { notice: { ...notice, acknowledgedAt: now, acknowledgedBy: userId }, alreadyAcknowledged: false };
  });
}
