import {
  diffNoticeItems,
  noticeLabel,
  pendingItems,
  type NoticeItemDiff,
  type NoticeItemKey,
} from '../../domain/incident/notice.js';
import { allowedTransitions, type IncidentState } from '../../domain/incident/state.js';
import { sortBySoonest, type Obligation } from '../../domain/obligation/engine.js';
import { AppError } from '../../domain/shared/errors.js';
import {
  findAgreement,
  findAgreementAuditStamp,
  type AgreementRecord,
} from '../../persistence/repositories/agreements.js';
import {
  listIncidents,
  type IncidentFilters,
  type IncidentHead,
  type IncidentRecord,
} from '../../persistence/repositories/incidents.js';
import {
  listContainment,
  listItemRequests,
  listNotices,
  type ContainmentRecord,
  type ItemRequestRecord,
  type NoticeRecord,
} from '../../persistence/repositories/notices.js';
import { findOrganizations } from '../../persistence/repositories/organizations.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import { incidentVisibleTo, requireIncidentAccess, sideOf, type PartyCode } from '../access.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor } from './load.js';
import { computeAgreementObligations, computeObligations } from './obligations.js';

export interface NoticeView extends NoticeRecord {
  label: { ja: string; en: string };
  pendingItems: NoticeItemKey[];
  /** Against the previous notice; null for the 第一報. */
  diff: NoticeItemDiff[] | null;
  sentByName: string | null;
  acknowledgedByName: string | null;
}

export interface IncidentView {
  incident: IncidentRecord;
  agreement: AgreementRecord;
  myParty: PartyCode;
  allowedTransitions: readonly IncidentState[];
  notices: NoticeView[];
  itemRequests: ItemRequestRecord[];
  containment: Array<ContainmentRecord & { recordedByName: string | null }>;
  obligations: Obligation[];
  userNames: Map<string, string>;
  parties: Record<PartyCode, { id: string; name: string }>;
}

export function noticeViews(notices: NoticeRecord[], names: Map<string, string>): NoticeView[] {
  return notices.map((n, i) => ({
    ...n,
    label: noticeLabel(n.number),
    pendingItems: pendingItems(n.items),
    diff: i === 0 ? null : diffNoticeItems((notices[i - 1] as NoticeRecord).items, n.items),
    sentByName: n.sentBy ? (names.get(n.sentBy) ?? null) : null,
    acknowledgedByName: n.acknowledgedBy ? (names.get(n.acknowledgedBy) ?? null) : null,
  }));
}

export async function getIncident(ctx: AppContext, actor: Actor, incidentId: string): Promise<IncidentView> {
  const { incident, agreement, side } = await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  const nowMs = ctx.clock.now().epochMilliseconds;
  const [notices, itemRequests, containment, obligations] = await Promise.all([
    listNotices(ctx.db, [incidentId]),
    listItemRequests(ctx.db, [incidentId]),
    listContainment(ctx.db, [incidentId]),
    computeObligations(ctx.db, [incident], new Map([[agreement.id, agreement]]), nowMs),
  ]);
  const userIds = [
    ...notices.flatMap((n) => [n.sentBy, n.acknowledgedBy]),
    ...itemRequests.flatMap((r) => [r.requestedBy, r.answeredBy]),
    ...containment.map((c) => c.recordedBy),
    incident.createdBy,
  ].filter((x): x is string => typeof x === 'string');
  const names = new Map((await findUsersByIds(ctx.db, userIds)).map((u) => [u.id, u.name]));
  const orgs = new Map(
    (await findOrganizations(ctx.db, [agreement.partyAId, agreement.partyBId])).map((o) => [o.id, o.name]),
  );
  return {
    incident,
    agreement,
    myParty: side,
    allowedTransitions: allowedTransitions(incident.state),
    notices: noticeViews(notices, names),
    itemRequests,
    containment: containment.map((c) => ({
      ...c,
      recordedByName: c.recordedBy ? (names.get(c.recordedBy) ?? null) : null,
    })),
    obligations: obligations.get(incidentId) ?? [],
    userNames: names,
    parties: {
      A: { id: agreement.partyAId, name: orgs.get(agreement.partyAId) ?? '' },
      B: { id: agreement.partyBId, name: orgs.get(agreement.partyBId) ?? '' },
    },
  };
}

/** The names of the users a request for further items names (asker, answerer), as the incident view has them. */
export async function itemRequestUserNames(
  ctx: AppContext,
  r: ItemRequestRecord,
): Promise<Map<string, string>> {
  const ids = [r.requestedBy, r.answeredBy].filter((x): x is string => typeof x === 'string');
  return new Map((await findUsersByIds(ctx.db, ids)).map((u) => [u.id, u.name]));
}

/** Incident content under an agreement: parties only (404 for others, 403 for the administrator). */
function requireIncidentReadOnAgreement(actor: Actor, parties: { partyAId: string; partyBId: string }): void {
  try {
    requireIncidentAccess(actor, 'incident.read', parties, 'A');
  } catch (e) {
    if (e instanceof AppError && e.code === 'INCIDENT_NOT_FOUND') throw new AppError('AGREEMENT_NOT_FOUND');
    throw e;
  }
}

async function agreementForIncidents(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
): Promise<AgreementRecord> {
  const agreement = await findAgreement(ctx.db, agreementId);
  if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND');
  requireIncidentReadOnAgreement(actor, agreement);
  return agreement;
}

export async function listAgreementIncidents(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  filters: IncidentFilters,
): Promise<Array<{ incident: IncidentRecord; obligations: Obligation[] }>> {
  const agreement = await agreementForIncidents(ctx, actor, agreementId);
  const side = sideOf(actor, agreement);
  const incidents = await listIncidents(ctx.db, [agreementId], {
    ...filters,
    ...(side ? { visibleTo: side } : {}),
  });
  const obligations = await computeObligations(
    ctx.db,
    incidents,
    new Map([[agreement.id, agreement]]),
    ctx.clock.now().epochMilliseconds,
  );
  return incidents.map((incident) => ({ incident, obligations: obligations.get(incident.id) ?? [] }));
}

export async function incidentObligations(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<Obligation[]> {
  const { incident, agreement } = await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  const map = await computeObligations(
    ctx.db,
    [incident],
    new Map([[agreement.id, agreement]]),
    ctx.clock.now().epochMilliseconds,
  );
  return map.get(incidentId) ?? [];
}

export type ObligationStateFilter = Obligation['state'];

/** Obligations across an agreement's incidents (by default the open ones), soonest first. */
export async function agreementObligations(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  states: readonly ObligationStateFilter[] = ['open'],
): Promise<Array<{ obligation: Obligation; incident: IncidentHead }>> {
  const stamp = await findAgreementAuditStamp(ctx.db, agreementId);
  if (!stamp) throw new AppError('AGREEMENT_NOT_FOUND');
  requireIncidentReadOnAgreement(actor, stamp);
  const { incidents, obligations } = await computeAgreementObligations(
    ctx.db,
    {
      id: agreementId,
      stamp: stamp.stamp,
      load: async () => {
        const agreement = await findAgreement(ctx.db, agreementId);
        if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND');
        return agreement;
      },
    },
    ctx.clock.now().epochMilliseconds,
  );
  const side = sideOf(actor, stamp);
  const byId = new Map(incidents.filter((i) => incidentVisibleTo(side, i)).map((i) => [i.id, i]));
  const all = sortBySoonest(
    [...obligations.values()].flat().filter((o) => states.includes(o.state) && byId.has(o.incidentId)),
  );
  return all.map((obligation) => ({
    obligation,
    incident: byId.get(obligation.incidentId) as IncidentHead,
  }));
}
