import { CHAIN_BREAK_MESSAGES, type ChainBreak, type StoredAuditEvent } from '../../domain/audit/chain.js';
import type { Db } from '../../persistence/db.js';
import {
  countAuditEvents,
  findAuditHead,
  listAuditEvents,
  verifyChains,
  type VerificationRunRecord,
} from '../../persistence/repositories/audit.js';
import { listHiddenIncidentIds } from '../../persistence/repositories/incidents.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import { sideOf } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { loadAgreementFor } from '../agreements/agreement-view.js';
import { loadIncidentFor } from '../incidents/load.js';
import { verifyChainForPage, type PageVerification } from './anchors.js';
import { incidentOfAuditEvent, partyOnlyAuditEvent } from './incident-of.js';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  firstBreak: ChainBreak | null;
  reason: { ja: string; en: string } | null;
}

/** A page's verification (finding 9): how it verified, and the last full verification. */
export interface PageChainVerification extends ChainVerification {
  mode: 'full' | 'incremental';
  checkpointSeq: number | null;
  lastFull: {
    kind: VerificationRunRecord['kind'];
    startedAt: string;
    finishedAt: string;
    /** What it found on this chain. */
    ok: boolean;
    firstBrokenSeq: number | null;
    reason: ChainBreak['reason'] | null;
  } | null;
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
  options: { fullBelow?: number } = {},
): Promise<{
  items: AuditEventView[];
  verification: PageChainVerification;
  nextAfterSeq: number | null;
  summary: ChainSummary;
}> {
  const { agreement } = await loadAgreementFor(ctx.db, actor, agreementId, 'audit.read');
  const verification = pageVerification(await verifyChainForPage(ctx, agreementId, options));
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
      // A party's internal note is its own: its event is not listed to the other party (the chain is
      // still verified whole above; the signed heads and receipts cover it).
      .filter((e) => {
        const only = partyOnlyAuditEvent(e);
        return only === null || only === side;
      })
      .map((e) => ({
        ...e,
        actorName: e.actorUserId ? (names.get(e.actorUserId) ?? null) : null,
      })),
    verification,
    nextAfterSeq: more ? (events.at(-1)?.seq ?? null) : null,
    summary,
  };
}

const incidentOf = incidentOfAuditEvent;

function pageVerification(p: PageVerification): PageChainVerification {
  const first = p.breaks[0] ?? null;
  const lastFirst = p.lastFull?.breaks[0] ?? null;
  return {
    ok: p.ok,
    checked: p.checked,
    firstBrokenEventId: first?.eventId ?? null,
    firstBreak: first,
    reason: first ? CHAIN_BREAK_MESSAGES[first.reason] : null,
    mode: p.mode,
    checkpointSeq: p.checkpointSeq,
    lastFull: p.lastFull
      ? {
          kind: p.lastFull.run.kind,
          startedAt: p.lastFull.run.startedAt,
          finishedAt: p.lastFull.run.finishedAt,
          ok: lastFirst === null,
          firstBrokenSeq: lastFirst?.seq ?? null,
          reason: lastFirst?.reason ?? null,
        }
      : null,
  };
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
): Promise<{ items: AuditEventView[]; verification: PageChainVerification }> {
  const { agreement } = await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  const all = await listAgreementAuditEvents(ctx, actor, agreement.id);
  return { items: all.items.filter((e) => incidentOf(e) === incidentId), verification: all.verification };
}
