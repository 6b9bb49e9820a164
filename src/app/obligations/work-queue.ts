import type { Obligation, ObligationState } from '../../domain/obligation/engine.js';
import { AppError } from '../../domain/shared/errors.js';
import {
  findAgreement,
  findAgreementAuditStamp,
  listAgreements,
  type AgreementRecord,
} from '../../persistence/repositories/agreements.js';
import type { IncidentHead } from '../../persistence/repositories/incidents.js';
import { findOrganizations } from '../../persistence/repositories/organizations.js';
import { incidentVisibleTo, sideOf, type PartyCode } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { computeAgreementObligations } from '../incidents/obligations.js';

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
 * The work queue (対応状況): every obligation of the caller's organisation across all its agreements
 * and the incidents it may see, filtered and sorted by due time. Each agreement's records are read
 * through the same per-stamp cache as the agreement's own obligation list, so a repeat costs one
 * indexed read per agreement plus the pure derivation.
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
  let agreements: AgreementRecord[];
  if (f.agreementId !== undefined) {
    const one = await findAgreement(ctx.db, f.agreementId);
    if (!one || sideOf(actor, one) === null) throw new AppError('AGREEMENT_NOT_FOUND');
    agreements = [one];
  } else {
    agreements = (await listAgreements(ctx.db, actor.organizationId)).filter((a) => a.signedOn !== null);
  }
  const nowMs = ctx.clock.now().epochMilliseconds;
  const orgIds = [...new Set(agreements.flatMap((a) => [a.partyAId, a.partyBId]))];
  const names = new Map((await findOrganizations(ctx.db, orgIds)).map((o) => [o.id, o.name]));
  const rows: WorkQueueRow[] = [];
  for (const agreement of agreements) {
    const side = sideOf(actor, agreement) as PartyCode;
    const stamp = await findAgreementAuditStamp(ctx.db, agreement.id);
    if (!stamp) continue;
    const { incidents, obligations } = await computeAgreementObligations(
      ctx.db,
      { id: agreement.id, stamp: stamp.stamp, load: () => Promise.resolve(agreement) },
      nowMs,
    );
    const ref = {
      id: agreement.id,
      myParty: side,
      parties: {
        A: { id: agreement.partyAId, name: names.get(agreement.partyAId) ?? '' },
        B: { id: agreement.partyBId, name: names.get(agreement.partyBId) ?? '' },
      },
    };
    for (const incident of incidents) {
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
