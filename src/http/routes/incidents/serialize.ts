import type { z } from 'zod';
import type { Obligation } from '../../../domain/obligation/engine.js';
import {
  CAUSE_ENTITY_LABELS,
  INCIDENT_KIND_LABELS,
  INFO_CATEGORY_LABELS,
} from '../../../domain/incident/classification.js';
import { NOTICE_ITEMS } from '../../../domain/incident/notice.js';
import { INCIDENT_STATE_LABELS } from '../../../domain/incident/state.js';
import type { IncidentView, NoticeView } from '../../../app/incidents/queries.js';
import { obligationJson } from '../../../app/incidents/obligations.js';
import type { IncidentRecord } from '../../../persistence/repositories/incidents.js';
import type {
  ContainmentRecord,
  ItemRequestRecord,
  NoticeRecord,
} from '../../../persistence/repositories/notices.js';
import type {
  ContainmentRecordSchema,
  IncidentSchema,
  IncidentSummarySchema,
  ItemRequestSchema,
  NoticeSchema,
} from './schema.js';

/** The reply shapes, declared once in ./schema.ts (which also documents them in OpenAPI). */
export type IncidentSummaryReply = z.output<typeof IncidentSummarySchema>;
export type IncidentReply = z.output<typeof IncidentSchema>;
export type NoticeReply = z.output<typeof NoticeSchema>;
export type ItemRequestReply = z.output<typeof ItemRequestSchema>;
export type ContainmentRecordReply = z.output<typeof ContainmentRecordSchema>;

/** Art 3.3 "a recorded decision that none is needed, with the reason": the description of a none_needed record. */
export const containmentReason = (c: Pick<ContainmentRecord, 'kind' | 'description'>): string | null =>
  c.kind === 'none_needed' ? c.description : null;

/** A containment record as the POST returns it (the record plus `reason`). */
export function containmentJson(c: ContainmentRecord): ContainmentRecordReply {
  return { ...c, reason: containmentReason(c) };
}

export function incidentJson(
  i: IncidentRecord,
  obligations: Obligation[] | null,
  nowMs: number,
): IncidentSummaryReply {
  return {
    id: i.id,
    agreementId: i.agreementId,
    version: i.version,
    reportingParty: i.reportingParty,
    title: i.title,
    summary: i.summary,
    infoCategories: i.infoCategories,
    infoCategoryLabels: i.infoCategories.map((c) => INFO_CATEGORY_LABELS[c]),
    kinds: i.kinds,
    kindLabels: i.kinds.map((k) => INCIDENT_KIND_LABELS[k]),
    causeEntity: i.causeEntity,
    causeEntityLabel: CAUSE_ENTITY_LABELS[i.causeEntity],
    suspected: i.suspected,
    state: i.state,
    stateLabel: INCIDENT_STATE_LABELS[i.state],
    dismissedReason: i.dismissedReason,
    dismissedAt: i.dismissedAt,
    occurredAt: i.occurredAt,
    discoveredAt: i.discoveredAt,
    affectedPersons: i.affectedPersons,
    affectedPersonsEstimated: i.affectedPersonsEstimated,
    affectedRecords: i.affectedRecords,
    affectedRecordsEstimated: i.affectedRecordsEstimated,
    dataItems: i.dataItems,
    sensitiveData: i.sensitiveData,
    financialHarmRisk: i.financialHarmRisk,
    improperPurpose: i.improperPurpose,
    encrypted: i.encrypted,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    ...(obligations ? { obligations: obligations.map((o) => obligationJson(o, nowMs)) } : {}),
  };
}

export function noticeJson(n: NoticeRecord | NoticeView): NoticeReply {
  const v = n as Partial<NoticeView>;
  return {
    id: n.id,
    incidentId: n.incidentId,
    agreementId: n.agreementId,
    fromParty: n.fromParty,
    number: n.number,
    /** The wording: 続報 carry a version number (the same as `number`). */
    version: n.number,
    kind: n.number === 1 ? 'first' : 'follow_up',
    label:
      v.label ??
      (n.number === 1
        ? { ja: '第一報', en: 'First notice' }
        : { ja: `続報（第${n.number}報）`, en: `Follow-up notice #${n.number}` }),
    items: n.items,
    pendingItems: v.pendingItems ?? NOTICE_ITEMS.filter((k) => n.items[k] === null),
    diff: v.diff ?? null,
    sentAt: n.sentAt,
    sentBy: n.sentBy ? { id: n.sentBy, name: v.sentByName ?? null } : null,
    acknowledgedAt: n.acknowledgedAt,
    acknowledgedBy: n.acknowledgedBy ? { id: n.acknowledgedBy, name: v.acknowledgedByName ?? null } : null,
  };
}

export function itemRequestJson(r: ItemRequestRecord, names?: Map<string, string>): ItemRequestReply {
  const name = (id: string | null) => (id ? (names?.get(id) ?? null) : null);
  return {
    id: r.id,
    incidentId: r.incidentId,
    requestedByParty: r.requestedByParty,
    requestedBy: r.requestedBy,
    question: r.question,
    requestedAt: r.requestedAt,
    dueAt: r.dueAt,
    answer: r.answer,
    answeredAt: r.answeredAt,
    answeredBy: r.answeredBy,
    requestedByName: name(r.requestedBy),
    answeredByName: name(r.answeredBy),
  };
}

export function incidentViewJson(v: IncidentView, nowMs: number): IncidentReply {
  return {
    ...incidentJson(v.incident, null, nowMs),
    obligations: v.obligations.map((o) => obligationJson(o, nowMs)),
    myParty: v.myParty,
    allowedTransitions: [...v.allowedTransitions],
    agreement: {
      id: v.agreement.id,
      noticeTargetHours: v.agreement.parameters.noticeTargetHours,
      containmentTargetHours: v.agreement.parameters.containmentTargetHours,
    },
    notices: v.notices.map(noticeJson),
    itemRequests: v.itemRequests.map((r) => itemRequestJson(r, v.userNames)),
    parties: v.parties,
    containmentActions: v.containment.map((c) => ({
      id: c.id,
      byParty: c.byParty,
      kind: c.kind,
      description: c.description,
      reason: containmentReason(c),
      takenAt: c.takenAt,
      result: c.result,
      recordedBy: c.recordedBy ? { id: c.recordedBy, name: c.recordedByName } : null,
      createdAt: c.createdAt,
    })),
    createdByName: v.incident.createdBy ? (v.userNames.get(v.incident.createdBy) ?? null) : null,
  };
}
