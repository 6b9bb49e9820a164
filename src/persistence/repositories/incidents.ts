import type { CauseEntity, IncidentKind, InfoCategory } from '../../domain/incident/classification.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { HotQuery } from '../compiled.js';
import type { Tx } from '../db.js';
import type { IncidentsTable } from '../schema.js';

export interface IncidentRecord {
  id: string;
  agreementId: string;
  reportingParty: 'A' | 'B';
  title: string;
  summary: string;
  infoCategories: InfoCategory[];
  kinds: IncidentKind[];
  causeEntity: CauseEntity;
  suspected: boolean;
  state: IncidentState;
  dismissedReason: string | null;
  dismissedAt: string | null;
  occurredAt: string | null;
  discoveredAt: string;
  affectedPersons: number | null;
  affectedPersonsEstimated: boolean;
  affectedRecords: number | null;
  affectedRecordsEstimated: boolean;
  dataItems: string[];
  sensitiveData: boolean;
  financialHarmRisk: boolean;
  improperPurpose: boolean;
  encrypted: boolean;
  version: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** When the reporting party's first notice was sent (null: the incident is still its own, Art 3.1). */
  firstNoticeAt: string | null;
}

export function toIncident(r: IncidentsTable): IncidentRecord {
  return {
    id: r.id,
    agreementId: r.agreement_id,
    reportingParty: r.reporting_party === 'B' ? 'B' : 'A',
    title: r.title,
    summary: r.summary,
    infoCategories: JSON.parse(r.info_categories) as InfoCategory[],
    kinds: JSON.parse(r.kinds) as IncidentKind[],
    causeEntity: r.cause_entity as CauseEntity,
    suspected: Number(r.suspected) === 1,
    state: r.state as IncidentState,
    dismissedReason: r.dismissed_reason,
    dismissedAt: r.dismissed_at,
    occurredAt: r.occurred_at,
    discoveredAt: r.discovered_at,
    affectedPersons: r.affected_persons === null ? null : Number(r.affected_persons),
    affectedPersonsEstimated: Number(r.affected_persons_estimated) === 1,
    affectedRecords: r.affected_records === null ? null : Number(r.affected_records),
    affectedRecordsEstimated: Number(r.affected_records_estimated) === 1,
    dataItems: JSON.parse(r.data_items) as string[],
    sensitiveData: Number(r.sensitive_data) === 1,
    financialHarmRisk: Number(r.financial_harm_risk) === 1,
    improperPurpose: Number(r.improper_purpose) === 1,
    encrypted: Number(r.encrypted) === 1,
    version: Number(r.version),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstNoticeAt: r.first_notice_at ?? null,
  };
}

export type IncidentDetails = Pick<
  IncidentRecord,
  | 'title'
  | 'summary'
  | 'infoCategories'
  | 'kinds'
  | 'causeEntity'
  | 'occurredAt'
  | 'discoveredAt'
  | 'affectedPersons'
  | 'affectedPersonsEstimated'
  | 'affectedRecords'
  | 'affectedRecordsEstimated'
  | 'dataItems'
  | 'sensitiveData'
  | 'financialHarmRisk'
  | 'improperPurpose'
  | 'encrypted'
>;

const b = (v: boolean) => (v ? 1 : 0);

function detailColumns(d: Partial<IncidentDetails>) {
  return {
    ...(d.title !== undefined ? { title: d.title } : {}),
    ...(d.summary !== undefined ? { summary: d.summary } : {}),
    ...(d.infoCategories !== undefined ? { info_categories: JSON.stringify(d.infoCategories) } : {}),
    ...(d.kinds !== undefined ? { kinds: JSON.stringify(d.kinds) } : {}),
    ...(d.causeEntity !== undefined ? { cause_entity: d.causeEntity } : {}),
    ...(d.occurredAt !== undefined ? { occurred_at: d.occurredAt } : {}),
    ...(d.discoveredAt !== undefined ? { discovered_at: d.discoveredAt } : {}),
    ...(d.affectedPersons !== undefined ? { affected_persons: d.affectedPersons } : {}),
    ...(d.affectedPersonsEstimated !== undefined
      ? { affected_persons_estimated: b(d.affectedPersonsEstimated) }
      : {}),
    ...(d.affectedRecords !== undefined ? { affected_records: d.affectedRecords } : {}),
    ...(d.affectedRecordsEstimated !== undefined
      ? { affected_records_estimated: b(d.affectedRecordsEstimated) }
      : {}),
    ...(d.dataItems !== undefined ? { data_items: JSON.stringify(d.dataItems) } : {}),
    ...(d.sensitiveData !== undefined ? { sensitive_data: b(d.sensitiveData) } : {}),
    ...(d.financialHarmRisk !== undefined ? { financial_harm_risk: b(d.financialHarmRisk) } : {}),
    ...(d.improperPurpose !== undefined ? { improper_purpose: b(d.improperPurpose) } : {}),
    ...(d.encrypted !== undefined ? { encrypted: b(d.encrypted) } : {}),
  };
}

export async function insertIncident(tx: Tx, i: IncidentRecord): Promise<void> {
  await tx.q
    .insertInto('incidents')
    .values({
      id: i.id,
      agreement_id: i.agreementId,
      reporting_party: i.reportingParty,
      title: i.title,
      summary: i.summary,
      info_categories: JSON.stringify(i.infoCategories),
      kinds: JSON.stringify(i.kinds),
      cause_entity: i.causeEntity,
      suspected: b(i.suspected),
      state: i.state,
      dismissed_reason: i.dismissedReason,
      dismissed_at: i.dismissedAt,
      occurred_at: i.occurredAt,
      discovered_at: i.discoveredAt,
      affected_persons: i.affectedPersons,
      affected_persons_estimated: b(i.affectedPersonsEstimated),
      affected_records: i.affectedRecords,
      affected_records_estimated: b(i.affectedRecordsEstimated),
      data_items: JSON.stringify(i.dataItems),
      sensitive_data: b(i.sensitiveData),
      financial_harm_risk: b(i.financialHarmRisk),
      improper_purpose: b(i.improperPurpose),
      encrypted: b(i.encrypted),
      version: i.version,
      created_by: i.createdBy,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      first_notice_at: i.firstNoticeAt,
    })
    .execute();
}

/** Records the first notice's time once (the incident becomes visible to the counterparty). */
export async function markFirstNotice(tx: Tx, id: string, at: string): Promise<void> {
  await tx.q
    .updateTable('incidents')
    .set({ first_notice_at: at })
    .where('id', '=', id)
    .where('first_notice_at', 'is', null)
    .execute();
}

export async function findIncident(tx: Tx, id: string): Promise<IncidentRecord | null> {
  const r = await tx.q.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toIncident(r) : null;
}

export interface IncidentFilters {
  state?: IncidentState[] | undefined;
  reportingParty?: 'A' | 'B' | undefined;
  kind?: IncidentKind | undefined;
  infoCategory?: InfoCategory | undefined;
  /**
   * The viewer's side: an incident is visible to the counterparty only from its first notice on
   * (Art 3.1: the notice is the moment the other company learns of it). Unset: every incident.
   */
  visibleTo?: 'A' | 'B' | undefined;
}

export async function listIncidents(
  tx: Tx,
  agreementIds: readonly string[],
  f: IncidentFilters = {},
): Promise<IncidentRecord[]> {
  if (agreementIds.length === 0) return [];
  let q = tx.q
    .selectFrom('incidents')
    .selectAll()
    .where('agreement_id', 'in', [...agreementIds])
    .orderBy('discovered_at', 'desc')
    .orderBy('id', 'desc');
  if (f.state?.length) q = q.where('state', 'in', f.state);
  if (f.reportingParty) q = q.where('reporting_party', '=', f.reportingParty);
  if (f.visibleTo) {
    const side = f.visibleTo;
    q = q.where((eb) => eb.or([eb('reporting_party', '=', side), eb('first_notice_at', 'is not', null)]));
  }
  // JSON arrays are stored as text of quoted codes, so a LIKE on the quoted code is exact.
  if (f.kind) q = q.where('kinds', 'like', `%"${f.kind}"%`);
  if (f.infoCategory) q = q.where('info_categories', 'like', `%"${f.infoCategory}"%`);
  return (await q.execute()).map(toIncident);
}

/**
 * The incidents of an agreement that `side` may not see yet: the other party's, before their
 * first notice (Art 3.1). Their audit events are left out of that side's listings.
 */
export async function listHiddenIncidentIds(tx: Tx, agreementId: string, side: 'A' | 'B'): Promise<string[]> {
  const rows = await tx.q
    .selectFrom('incidents')
    .select('id')
    .where('agreement_id', '=', agreementId)
    .where('reporting_party', '!=', side)
    .where('first_notice_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** What the obligation list shows of an incident and what its clocks run from. */
export type IncidentHead = Pick<
  IncidentRecord,
  | 'id'
  | 'agreementId'
  | 'reportingParty'
  | 'title'
  | 'state'
  | 'discoveredAt'
  | 'dismissedAt'
  | 'firstNoticeAt'
>;

const incidentHeadsQuery = new HotQuery(
  'incidentHeads',
  (tx, agreementId) =>
    tx.q
      .selectFrom('incidents')
      .select([
        'id',
        'agreement_id',
        'reporting_party',
        'title',
        'state',
        'discovered_at',
        'dismissed_at',
        'first_notice_at',
      ])
      .where('agreement_id', '=', agreementId as string)
      .orderBy('discovered_at', 'desc')
      .orderBy('id', 'desc'),
  1,
);

/**
 * Every incident of an agreement as `listIncidents` orders them, narrowed to its head (hot path:
 * the agreement's obligation list reads no JSON column).
 */
export async function listIncidentHeads(tx: Tx, agreementId: string): Promise<IncidentHead[]> {
  return (await incidentHeadsQuery.execute(tx, agreementId)).map((r) => ({
    id: r.id,
    agreementId: r.agreement_id,
    reportingParty: r.reporting_party === 'B' ? 'B' : 'A',
    title: r.title,
    state: r.state as IncidentState,
    discoveredAt: r.discovered_at,
    dismissedAt: r.dismissed_at,
    firstNoticeAt: r.first_notice_at ?? null,
  }));
}

/** Guarded state change: applies only if the state (and version, when given) is still as read. */
export async function transitionIncident(
  tx: Tx,
  id: string,
  guard: { from: IncidentState; version?: number | undefined },
  to: {
    state: IncidentState;
    dismissedReason?: string | null;
    dismissedAt?: string | null;
    suspected?: boolean;
  },
  now: string,
): Promise<boolean> {
  let q = tx.q
    .updateTable('incidents')
    .set((eb) => ({
      state: to.state,
      ...(to.suspected !== undefined ? { suspected: to.suspected ? 1 : 0 } : {}),
      ...(to.dismissedReason !== undefined ? { dismissed_reason: to.dismissedReason } : {}),
      ...(to.dismissedAt !== undefined ? { dismissed_at: to.dismissedAt } : {}),
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('state', '=', guard.from);
  if (guard.version !== undefined) q = q.where('version', '=', guard.version);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function updateIncidentDetails(
  tx: Tx,
  id: string,
  version: number,
  patch: Partial<IncidentDetails>,
  now: string,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('incidents')
    .set({ ...detailColumns(patch), version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
