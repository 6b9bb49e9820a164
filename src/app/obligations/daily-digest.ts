import { clauseEntry, clauseTitle } from '../../domain/obligation/engine.js';
import { isoInstant, Temporal, todayIn, TOKYO } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { claimDigest, listDigestCandidates } from '../../persistence/repositories/digests.js';
import { enqueueOutbox } from '../../persistence/repositories/outbox.js';
import type { UserRecord } from '../../persistence/repositories/users.js';
import { toActor } from '../auth/sessions.js';
import type { AppContext } from '../context.js';
import { incidentLink } from '../incidents/notify.js';
import { dailyDigestMail, type DigestRow } from '../mail/digest-mails.js';
import { workQueue } from './work-queue.js';

/** The digest's hour in Japan time (issue 8 item 5: 「毎朝9時」). */
export const DIGEST_HOUR = 9;

export type DigestPass =
  | { ran: false; on: string; reason: 'before_hour' }
  | { ran: true; on: string; users: number; mailed: number };

/** 9:00 in Japan on `on` (a Japan date) as an epoch instant. */
export function digestTimeMs(on: Temporal.PlainDate): number {
  return on.toZonedDateTime({ timeZone: TOKYO, plainTime: new Temporal.PlainTime(DIGEST_HOUR) }).toInstant()
    .epochMilliseconds;
}

/**
 * The daily digest pass for today's Japan date, at or after 9:00 Japan time: every organisation
 * user who can log in and has not opted out gets one mail listing the open and breached duties its
 * organisation owes or is owed — the work queue (same visibility: an incident the counterparty has
 * not been notified of yet is not in its digest) — and nothing when there are none.
 *
 * Once per user and date, whatever the number of instances or restarts: each user is claimed in
 * the transaction that queues its mail, by an update guarded on `users.digest_on`, and the mail's
 * dedupe key is per user and date. A pass started later in the day (a server started at 15:00)
 * sends that day's digest to the users no pass took yet. Delivery is the outbox's. A system mail
 * like the reminders: it changes no record of the memorandum, so no audit event.
 */
export async function sendDailyDigests(ctx: AppContext): Promise<DigestPass> {
  const now = ctx.clock.now();
  const nowMs = now.epochMilliseconds;
  const today = todayIn(now);
  const on = today.toString();
  if (nowMs < digestTimeMs(today)) return { ran: false, on, reason: 'before_hour' };
  const candidates = await listDigestCandidates(ctx.db, on);
  // The work queue depends on the organisation only: computed once per organisation.
  const byOrg = new Map<string, Promise<{ rows: DigestRow[]; organizationName: string }>>();
  let mailed = 0;
  for (const user of candidates) {
    const orgId = user.organizationId as string;
    let entry = byOrg.get(orgId);
    if (!entry) {
      entry = rowsFor(ctx, user);
      byOrg.set(orgId, entry);
    }
    const { rows, organizationName } = await entry;
    const sent = await inTransaction(ctx.db, async (tx) => {
      if (!(await claimDigest(tx, user.id, on))) return false;
      if (rows.length === 0) return false;
      await enqueueOutbox(
        tx,
        {
          kind: 'mail',
          dedupeKey: `digest:${user.id}:${on}`,
          payload: dailyDigestMail({
            to: user.email,
            name: user.name,
            locale: user.locale,
            organizationName,
            on,
            nowMs,
            rows,
            workQueueLink: `${ctx.config.publicUrl}/work`,
            settingsLink: `${ctx.config.publicUrl}/settings`,
            canRecord: user.role !== 'viewer',
          }),
        },
        isoInstant(now),
      );
      return true;
    });
    if (sent) mailed++;
  }
  return { ran: true, on, users: candidates.length, mailed };
}

async function rowsFor(
  ctx: AppContext,
  user: UserRecord,
): Promise<{ rows: DigestRow[]; organizationName: string }> {
  const queue = await workQueue(ctx, toActor(user), { states: ['open', 'breached'] });
  let organizationName = '';
  const rows = queue.map(({ obligation: o, incident, agreement }): DigestRow => {
    const mine = agreement.myParty;
    const other = mine === 'A' ? 'B' : 'A';
    organizationName = agreement.parties[mine].name;
    const entry = clauseEntry(o.clause);
    return {
      title: clauseTitle(o.clause),
      fulfilledBy: entry?.fulfilledBy ?? clauseTitle(o.clause),
      incidentTitle: incident.title,
      owedByUs: o.owedBy === mine,
      debtorName: agreement.parties[o.owedBy].name,
      counterpartyName: agreement.parties[other].name,
      dueAt: new Date(o.dueAtMs).toISOString(),
      link: incidentLink(ctx, incident.id),
    };
  });
  return { rows, organizationName };
}
