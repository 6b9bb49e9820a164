import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { renderDutyFeed } from '../../domain/ical/duty-feed.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId, newSecret } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  deleteCalendarFeed,
  findCalendarFeed,
  findCalendarFeedOwner,
  insertCalendarFeed,
  listCalendarFeedsOfUser,
  touchCalendarFeed,
  type CalendarFeedRecord,
} from '../../persistence/repositories/calendar-feeds.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { recordAudit } from '../audit.js';
import { hashToken } from '../auth/secrets.js';
import { toActor } from '../auth/sessions.js';
import { nowIso, type AppContext, type UserActor } from '../context.js';
import { workQueue } from '../obligations/work-queue.js';

/**
 * Calendar feeds (issue 8, item 4): a user's secret, revocable iCalendar URL of its organisation's
 * open and breached duties. The token is the credential (calendar clients send no cookie), shown
 * once in the URL and stored only as a SHA-256 hash.
 */

/** The path of a feed's URL under PUBLIC_URL. */
export function feedPath(token: string): string {
  return `/api/v1/calendar/${token}.ics`;
}

export function feedUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}${feedPath(token)}`;
}

function requireOrganizationUser(actor: UserActor): void {
  if (actor.isAdmin || !actor.organizationId) {
    throw new AppError('FORBIDDEN', {
      message: {
        ja: 'インスタンス管理者は期限のカレンダーを作成できません（事故の内容を閲覧できないため）。',
        en: 'The instance administrator cannot create a deadline calendar (it cannot see incident content).',
      },
    });
  }
}

export async function createCalendarFeed(
  ctx: AppContext,
  actor: UserActor,
): Promise<{ record: CalendarFeedRecord; url: string }> {
  requireOrganizationUser(actor);
  const token = newSecret();
  const id = newId('calendarFeed');
  const now = nowIso(ctx);
  await inTransaction(ctx.db, async (tx) => {
    await insertCalendarFeed(tx, { id, tokenHash: hashToken(token), userId: actor.userId, createdAt: now });
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'calendar_feed.created',
      recordType: 'calendar_feed',
      recordId: id,
      payload: { userId: actor.userId },
    });
  });
  return { record: { id, userId: actor.userId, createdAt: now, lastUsedAt: null }, url: feedUrl(ctx, token) };
}

export async function listMyCalendarFeeds(ctx: AppContext, actor: UserActor): Promise<CalendarFeedRecord[]> {
  return listCalendarFeedsOfUser(ctx.db, actor.userId);
}

/** Ends a feed: its URL answers 404 at once. Another user's feed id is 404 (existence not revealed). */
export async function revokeCalendarFeed(ctx: AppContext, actor: UserActor, id: string): Promise<void> {
  const now = nowIso(ctx);
  await inTransaction(ctx.db, async (tx) => {
    const feed = await findCalendarFeed(tx, id);
    if (!feed || feed.userId !== actor.userId) throw new AppError('CALENDAR_FEED_NOT_FOUND');
    if (!(await deleteCalendarFeed(tx, id))) throw new AppError('CALENDAR_FEED_NOT_FOUND');
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'calendar_feed.revoked',
      recordType: 'calendar_feed',
      recordId: id,
      payload: { userId: feed.userId },
    });
  });
}

/** How often a feed's `last_used_at` is written at most (clients poll; the read stays read-only otherwise). */
const TOUCH_SECONDS = 60;

/**
 * The iCalendar text of a feed, as its owner may see it now: the work queue's open and breached
 * duties (so the memorandum's visibility rules apply: nothing of an incident not yet notified to
 * the owner's party). Unknown, revoked, or the owner disabled or removed → 404.
 */
export async function renderCalendarFeed(ctx: AppContext, token: string): Promise<string> {
  const found = await findCalendarFeedOwner(ctx.db, hashToken(token));
  if (!found || found.user.isAdmin || !found.user.organizationId)
    throw new AppError('CALENDAR_FEED_NOT_FOUND');
  const actor = toActor(found.user);
  const rows = await workQueue(ctx, actor, { states: ['open', 'breached'] });
  const org = await findOrganization(ctx.db, found.user.organizationId);
  const nowInstant = ctx.clock.now();
  const notSince = isoInstant(nowInstant.subtract({ seconds: TOUCH_SECONDS }));
  if (found.feed.lastUsedAt === null || found.feed.lastUsedAt < notSince) {
    await touchCalendarFeed(ctx.db, found.feed.id, isoInstant(nowInstant), notSince);
  }
  return renderDutyFeed({
    locale: actor.locale === 'en' ? 'en' : 'ja',
    publicUrl: ctx.config.publicUrl,
    organizationName: org?.name ?? '',
    nowMs: nowInstant.epochMilliseconds,
    duties: rows.map(({ obligation: o, incident, agreement }) => ({
      id: o.id,
      clause: o.clause,
      incidentId: o.incidentId,
      owedBy: o.owedBy,
      startsAtMs: o.startsAtMs,
      dueAtMs: o.dueAtMs,
      state: o.state,
      basis: o.basis,
      incidentTitle: incident.title,
      owedByUs: o.owedBy === agreement.myParty,
      owedByName: agreement.parties[o.owedBy].name,
    })),
  });
}
