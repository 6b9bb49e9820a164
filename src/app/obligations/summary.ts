import type { Actor, AppContext } from '../context.js';
import { dueGroup } from '../../domain/shared/deadline.js';
import { workQueue } from './work-queue.js';

/** The window of the navigation's "due soon" count. */
const DAY_MS = 24 * 3_600_000;

export interface WorkQueueSummary {
  /** Our open duties already past their due time (and breached ones, still unmet). */
  overdue: number;
  /** Our open duties due within the next 24 hours (exact hours, Civil Code 139). */
  dueWithin24h: number;
}

/**
 * The count beside 対応状況 in the navigation: how many duties the caller's organisation itself
 * owes (owedBy=us) are overdue or fall due within 24 hours. It reads the same work queue (same
 * access rules: administrator 403, another company's agreement 404), so the badge and the page
 * never disagree.
 */
export async function workQueueSummary(
  ctx: AppContext,
  actor: Actor,
  agreementId?: string,
): Promise<WorkQueueSummary> {
  const nowMs = ctx.clock.now().epochMilliseconds;
  const rows = await workQueue(ctx, actor, {
    owedBy: 'us',
    states: ['open', 'breached'],
    agreementId,
    dueBeforeMs: nowMs + DAY_MS,
  });
  let overdue = 0;
  let dueWithin24h = 0;
  // The page's own groups (期限超過 / 24時間以内), so the badge and the page never disagree.
  for (const { obligation } of rows) {
    if (dueGroup(obligation.dueAtMs, nowMs) === 'overdue') overdue++;
    else dueWithin24h++;
  }
  return { overdue, dueWithin24h };
}
