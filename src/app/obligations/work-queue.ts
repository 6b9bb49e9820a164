import {
  deriveObligations,
  stableSpan,
  type Obligation,
  type ObligationState,
} from '../../domain/obligation/engine.js';
import { AppError } from '../../domain/shared/errors.js';
import {
  findAgreement,
  findAgreementAuditStamp,
  listAgreementsWithAuditStamp,
  type AgreementRecord,
} from '../../persistence/repositories/agreements.js';
import type { IncidentHead } from '../../persistence/repositories/incidents.js';
import { findOrganizations } from '../../persistence/repositories/organizations.js';
import { incidentVisibleTo, sideOf, type PartyCode } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { cachedAgreementInputs, type AgreementInputs } from '../incidents/obligations.js';

export interface WorkQueueFilters {
  /** `us`: duties the caller's organisation owes; `them`: duties owed by the other party. */
  owedBy?: 'us' | 'them' | undefined;
  states: readonly ObligationState[];
  agreementId?: string | undefined;
  /** Only duties due at or before this instant (epoch ms). */
  dueBeforeMs?: number | undefined;
  clause?: string | undefined;
}

export interface WorkQueueRow {
  obligation: Obligation;
  incident: IncidentHead;
  agreement: {
    id: string;
    myParty: PartyCode;
    parties: Record<PartyCode, { id: string; name: string }>;
  };
}

/**
 * An agreement's obligations as derived at some `now`, kept beside its cached inputs (same stamp):
 * each incident's list stays valid while `now` is inside the incident's stable span (engine
 * `stableSpan`: no open duty past due, no breached one not yet), and the agreement's span is the
 * intersection of its incidents'. Outside it only the incidents whose span was left are derived again.
 */
interface DerivedAgreement {
  byIncident: Map<string, Obligation[]>;
  spans: Array<{ afterMs: number; untilMs: number }>;
  afterMs: number;
  untilMs: number;
}

const derivedCache = new WeakMap<AgreementInputs, DerivedAgreement>();

/** Every obligation of the agreement's incidents as of `nowMs` (what deriveObligations gives), reusing earlier derivations. */
function obligationsAt(loaded: AgreementInputs, nowMs: number): Map<string, Obligation[]> {
  let d = derivedCache.get(loaded);
  if (d && d.afterMs < nowMs && nowMs <= d.untilMs) return d.byIncident;
  if (!d) {
    d = { byIncident: new Map(), spans: [], afterMs: -Infinity, untilMs: Infinity };
    derivedCache.set(loaded, d);
  }
  let afterMs = -Infinity;
  let untilMs = Infinity;
  for (const [i, input] of loaded.inputs.entries()) {
    let span = d.spans[i];
    if (!span || !(span.afterMs < nowMs && nowMs <= span.untilMs)) {
      const obligations = deriveObligations(input, nowMs);
      d.byIncident.set(input.incident.id, obligations);
      d.spans[i] = span = stableSpan(obligations);
    }
    if (span.afterMs > afterMs) afterMs = span.afterMs;
    if (span.untilMs < untilMs) untilMs = span.untilMs;
  }
  d.afterMs = afterMs;
  d.untilMs = untilMs;
  return d.byIncident;
}

/**
 * The work queue (対応状況): every obligation of the caller's organisation across all its agreements
 * and the incidents it may see, filtered and sorted by due time. One query reads the agreements with
 * their stamps (agreement version + audit-chain head); each agreement's records are read once per
 * stamp (the cache the agreement's own obligation list uses) and its derived obligations are reused
 * while no due time is crossed, so a repeat costs two queries plus filtering and sorting the rows.
 */
export async function workQueue(ctx: AppContext, actor: Actor, f: WorkQueueFilters): Promise<WorkQueueRow[]> {
  if (actor.kind !== 'user' || actor.isAdmin || !actor.organizationId) {
    throw new AppError('FORBIDDEN', {
      message: {
        ja: 'インスタンス管理者は事故の内容（義務の一覧）を閲覧できません。',
        en: 'The instance administrator cannot see incident content (obligations).',
      },
    });
  }
  let agreements: Array<{ agreement: AgreementRecord; stamp: string }>;
  if (f.agreementId !== undefined) {
    const one = await findAgreement(ctx.db, f.agreementId);
    if (!one || sideOf(actor, one) === null) throw new AppError('AGREEMENT_NOT_FOUND');
    const stamp = await findAgreementAuditStamp(ctx.db, one.id);
    agreements = stamp ? [{ agreement: one, stamp: stamp.stamp }] : [];
  } else {
    agreements = (await listAgreementsWithAuditStamp(ctx.db, actor.organizationId)).filter(
      (a) => a.agreement.signedOn !== null,
    );
  }
  const nowMs = ctx.clock.now().epochMilliseconds;
  const orgIds = [...new Set(agreements.flatMap(({ agreement: a }) => [a.partyAId, a.partyBId]))];
  const names = new Map((await findOrganizations(ctx.db, orgIds)).map((o) => [o.id, o.name]));
  const rows: WorkQueueRow[] = [];
  for (const { agreement, stamp } of agreements) {
    const side = sideOf(actor, agreement) as PartyCode;
    const loaded = await cachedAgreementInputs(ctx.db, {
      id: agreement.id,
      stamp,
      load: () => Promise.resolve(agreement),
    });
    const obligations = obligationsAt(loaded, nowMs);
    const ref = {
      id: agreement.id,
      myParty: side,
      parties: {
        A: { id: agreement.partyAId, name: names.get(agreement.partyAId) ?? '' },
        B: { id: agreement.partyBId, name: names.get(agreement.partyBId) ?? '' },
      },
    };
    for (const incident of loaded.incidents) {
      if (!incidentVisibleTo(side, incident)) continue;
      for (const o of obligations.get(incident.id) ?? []) {
        if (!f.states.includes(o.state)) continue;
        if (f.owedBy === 'us' && o.owedBy !== side) continue;
        if (f.owedBy === 'them' && o.owedBy === side) continue;
        if (f.dueBeforeMs !== undefined && o.dueAtMs > f.dueBeforeMs) continue;
        if (f.clause !== undefined && o.clause !== f.clause) continue;
        rows.push({ obligation: o, incident, agreement: ref });
      }
    }
  }
  return rows.sort(
    (a, b) => a.obligation.dueAtMs - b.obligation.dueAtMs || a.obligation.id.localeCompare(b.obligation.id),
  );
}
