import { CHAIN_BREAK_MESSAGES, type ChainBreak, type StoredAuditEvent } from '../../domain/audit/chain.js';
import type { Db } from '../../persistence/db.js';
import {
  countAuditEvents,
  findAuditHead,
  listAuditEvents,
  verifyChains,
} from '../../persistence/repositories/audit.js';
import { listHiddenIncidentIds } from '../../persistence/repositories/incidents.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import { sideOf } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { loadAgreementFor } from '../agreements/agreement-view.js';
import { loadIncidentFor } from '../incidents/load.js';

const INCIDENT_RECORD_TYPES = new Set([
  'incident',
  'notice',
  'item_request',
  'containment_action',
  'obligation',
  'discovery_correction',
]);

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  firstBreak: ChainBreak | null;
  reason: { ja: string; en: string } | null;
}

export interface AuditEventView extends StoredAuditEvent {
  actorName: string | null;
}

/** A chain's integrity and size, without any of its events. */
export interface ChainSummary {
  chain: string;
  verified: boolean;
  firstBrokenSeq: number | null;
  eventCount: number;
  headSeq: number | null;
}

export async function listAgreementAuditEvents(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  page: { afterSeq?: number | undefined; limit?: number | undefined } = {},
): Promise<{
  items: AuditEventView[];
  verification: ChainVerification;
  nextAfterSeq: number | null;
  summary: ChainSummary;
}> {
  const { agreement } = await loadAgreementFor(ctx.db, actor, agreementId, 'audit.read');
  const verification = await verifyAudit(ctx.db, { chain: agreementId });
  const summary: ChainSummary = {
    chain: agreementId,
    verified: verification.ok,
    firstBrokenSeq: verification.firstBreak?.seq ?? null,
    eventCount: await countAuditEvents(ctx.db, agreementId),
    headSeq: (await findAuditHead(ctx.db, agreementId))?.seq ?? null,
  };
  // The administrator sees the chain's integrity and counts only: no actions, record ids or times,
  // which would outline the parties' incidents (issue 7, finding 2c).
  if (actor.kind === 'user' && actor.isAdmin) {
    return { items: [], verification, nextAfterSeq: null, summary };
  }
  // Art 3.1: the other party's incidents not yet notified are not shown (nor their events); from
  // the first notice on, the whole history of the incident is.
  const side = sideOf(actor, agreement);
  const hidden = new Set(side ? await listHiddenIncidentIds(ctx.db, agreementId, side) : []);
  // One more than asked tells whether another page follows.
  const limit = page.limit === undefined ? undefined : page.limit + 1;
  const read = await listAuditEvents(ctx.db, agreementId, { afterSeq: page.afterSeq, limit });
  const more = page.limit !== undefined && read.length > page.limit;
  const events = more ? read.slice(0, page.limit) : read;
  const names = new Map(
    (
      await findUsersByIds(
        ctx.db,
        events.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])),
      )
    ).map((u) => [u.id, u.name]),
  );
  return {
    items: events
      .filter((e) => hidden.size === 0 || !hidden.has(incidentOf(e) ?? ''))
      .map((e) => ({
        ...e,
        actorName: e.actorUserId ? (names.get(e.actorUserId) ?? null) : null,
      })),
    verification,
    nextAfterSeq: more ? (events.at(-1)?.seq ?? null) : null,
    summary,
  };
}

/** The incident an audit event concerns (its record, or the incident its payload names). */
function incidentOf(e: StoredAuditEvent): string | null {
  if (e.recordType === 'incident') return e.recordId;
  if (!INCIDENT_RECORD_TYPES.has(e.recordType)) return null;
  const p = JSON.parse(e.payload) as { incidentId?: unknown; after?: { incidentId?: unknown } };
  const id = p.incidentId ?? p.after?.incidentId;
  return typeof id === 'string' ? id : null;
}

/** Recomputes every chain (or one); reports the first broken event. Used by the CLI and the API. */
export async function verifyAudit(
  db: Db,
  options: { chain?: string; onProgress?: (checked: number) => void } = {},
): Promise<ChainVerification & { breaks: ChainBreak[] }> {
  const v = await verifyChains(db, options);
  const first = v.breaks[0] ?? null;
  return {
    ok: v.ok,
    checked: v.checked,
    firstBrokenEventId: first?.eventId ?? null,
    firstBreak: first,
    reason: first ? CHAIN_BREAK_MESSAGES[first.reason] : null,
    breaks: v.breaks,
  };
}

/** The part of an agreement's chain that concerns one incident (the chain itself is verified whole). */
export async function listIncidentAuditEvents(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<{ items: AuditEventView[]; verification: ChainVerification }> {
  const { agreement } = await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  const all = await listAgreementAuditEvents(ctx, actor, agreement.id);
  return { items: all.items.filter((e) => incidentOf(e) === incidentId), verification: all.verification };
}
