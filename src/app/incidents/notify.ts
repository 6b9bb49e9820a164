import { createHash } from 'node:crypto';
import type { Tx } from '../../persistence/db.js';
import type { AgreementRecord } from '../../persistence/repositories/agreements.js';
import { findIncident, type IncidentRecord } from '../../persistence/repositories/incidents.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { enqueueOutbox } from '../../persistence/repositories/outbox.js';
import { listUsersOfOrganization } from '../../persistence/repositories/users.js';
import { listWebhooks } from '../../persistence/repositories/webhooks.js';
import type { PartyCode } from '../access.js';
import type { AppContext } from '../context.js';
import { incidentMail, type IncidentMailInput } from '../mail/incident-mails.js';
import { orgOf } from './load.js';
import { clauseEntry, clauseTitle } from '../../domain/obligation/engine.js';
import { obligationsOf } from './obligations.js';

/** Roles that act on incidents and so receive their mail (viewers read in the app). */
const MAIL_ROLES = new Set(['owner', 'legal', 'responder']);

export const WEBHOOK_EVENTS = [
  'incident.reported',
  'notice.sent',
  'notice.acknowledged',
  'obligation.due_soon',
  'obligation.breached',
  /** Art 4.2: a cooperation request (to the requested party) and its answer (to the requester). */
  'cooperation_request.created',
  'cooperation_request.answered',
  /** Art 5: a third-party disclosure filed (a consent request, or an exception's prior notice, 5.2). */
  'disclosure.filed',
  'disclosure.decided',
  'disclosure.disclosed',
  /** Art 6: an announcement published (with both approvals, or in an emergency under 6.2). */
  'announcement.published',
  /** A signed head of the agreement's audit chain (daily and on incident events), to keep as evidence. */
  'audit.receipt',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function incidentLink(ctx: AppContext, incidentId: string): string {
  return `${ctx.config.publicUrl}/incidents/${incidentId}`;
}

/**
 * Queues one mail per acting user of `party`'s organisation, each in the user's language. The
 * dedupe key makes queueing idempotent per (event, user).
 */
export async function mailParty(
  ctx: AppContext,
  tx: Tx,
  agreement: AgreementRecord,
  incident: IncidentRecord,
  party: PartyCode,
  dedupe: string,
  mail: Omit<IncidentMailInput, 'to' | 'name' | 'locale' | 'incidentTitle' | 'link' | 'fromOrganization'>,
  now: string,
): Promise<void> {
  const sender = await findOrganization(tx, orgOf(agreement, party === 'A' ? 'B' : 'A'));
  // Active people only: an invited user who has not set a password yet gets no incident mail.
  const users = (await listUsersOfOrganization(tx, orgOf(agreement, party))).filter(
    (u) => MAIL_ROLES.has(u.role) && u.passwordHash !== null,
  );
  if (users.length === 0) return;
  const next = await nextDutyOf(tx, agreement, incident, party, now);
  for (const u of users) {
    await enqueueOutbox(
      tx,
      {
        kind: 'mail',
        dedupeKey: `${dedupe}:${u.id}`,
        payload: incidentMail({
          now,
          next,
          ...mail,
          to: u.email,
          name: u.name,
          locale: u.locale,
          incidentTitle: incident.title,
          link: incidentLink(ctx, incident.id),
          fromOrganization: sender?.name ?? '',
        }),
      },
      now,
    );
  }
}

/**
 * What `party` has to do next on the incident, as the change being mailed leaves it: its soonest
 * open or breached duty (read in the change's transaction, so a duty the change fulfilled is gone),
 * or null when it owes nothing now. Every incident mail says it, with the deadline and time left.
 */
async function nextDutyOf(
  tx: Tx,
  agreement: AgreementRecord,
  incident: IncidentRecord,
  party: PartyCode,
  now: string,
): Promise<IncidentMailInput['next']> {
  const current = (await findIncident(tx, incident.id)) ?? incident;
  const open = (await obligationsOf(tx, current, agreement, Date.parse(now)))
    .filter((o) => o.owedBy === party && (o.state === 'open' || o.state === 'breached'))
    .sort((a, b) => a.dueAtMs - b.dueAtMs);
  const o = open[0];
  if (!o) return null;
  return {
    title: clauseTitle(o.clause),
    fulfilledBy: clauseEntry(o.clause)?.fulfilledBy ?? clauseTitle(o.clause),
    dueAt: new Date(o.dueAtMs).toISOString(),
  };
}

/**
 * Queues a webhook delivery for every active subscription to `event` of the parties in
 * `audience`: both once the incident is shared (from its first notice), only the reporting party
 * before (Art 3.1: the other company learns of it from the notice). The body carries ids and links.
 */
export async function emitWebhook(
  ctx: AppContext,
  tx: Tx,
  agreement: AgreementRecord,
  event: WebhookEvent,
  dedupe: string,
  data: Record<string, unknown>,
  now: string,
  audience: PartyCode | 'both' = 'both',
): Promise<void> {
  const orgs = audience === 'both' ? [agreement.partyAId, agreement.partyBId] : [orgOf(agreement, audience)];
  const hooks = (await listWebhooks(tx, orgs)).filter((h) => h.active && h.events.includes(event));
  for (const h of hooks) {
    const eventId = `evt_${createHash('sha256').update(`${dedupe}|${h.id}`).digest('hex').slice(0, 26)}`;
    await enqueueOutbox(
      tx,
      {
        kind: 'webhook',
        dedupeKey: `webhook:${h.id}:${dedupe}`,
        payload: {
          webhookId: h.id,
          body: { id: eventId, type: event, createdAt: now, agreementId: agreement.id, data },
        },
      },
      now,
    );
  }
}

/** Who may hear of an incident: the reporting party alone until its first notice, then both. */
export function incidentAudience(incident: Pick<IncidentRecord, 'reportingParty' | 'firstNoticeAt'>) {
  return incident.firstNoticeAt === null ? incident.reportingParty : ('both' as const);
}

export function incidentEventData(ctx: AppContext, incident: IncidentRecord) {
  return {
    incidentId: incident.id,
    title: incident.title,
    reportingParty: incident.reportingParty,
    state: incident.state,
    url: incidentLink(ctx, incident.id),
  };
}
