/** Shapes of the incident API (Art 2-3): incidents, notices, requests, containment, obligations. */
import type { PartySide } from './types';

/** A label the API returns in both languages. */
export interface Label {
  ja: string;
  en: string;
}

// The closed lists of Art 2 and the Art 3.2 items come from the server's pure domain modules,
// so the two sides cannot drift apart (those modules import nothing).
export {
  CAUSE_ENTITIES,
  INCIDENT_KINDS,
  INFO_CATEGORIES,
  type CauseEntity,
  type IncidentKind,
  type InfoCategory,
} from '../../../src/domain/incident/classification';
export { NOTICE_ITEMS, type NoticeItemKey, type NoticeItems } from '../../../src/domain/incident/notice';
import type { CauseEntity, IncidentKind, InfoCategory } from '../../../src/domain/incident/classification';
import type { NoticeItemKey, NoticeItems } from '../../../src/domain/incident/notice';

/** The flags the regulator rules will read (要配慮, 財産的被害, 不正の目的, 高度な暗号化), in display order. */
export const INCIDENT_FLAGS = ['sensitiveData', 'financialHarmRisk', 'improperPurpose', 'encrypted'] as const;

export type IncidentState = 'suspected' | 'confirmed' | 'contained' | 'recovering' | 'closed' | 'dismissed';

export type ObligationState = 'open' | 'met' | 'met_late' | 'breached' | 'waived';
export type Clause = '3.1' | '3.2(6)' | '3.3';

export interface Obligation {
  id: string;
  clause: Clause;
  title: Label;
  incidentId: string;
  agreementId: string;
  owedBy: PartySide;
  owedTo: PartySide;
  startsAt: string;
  dueAt: string;
  state: ObligationState;
  /** Seconds from the server's now to the due time when the response was made (negative = past). */
  secondsLeft: number;
  metBy: { type: 'notice' | 'item_request' | 'containment'; id: string; at: string } | null;
  metAt: string | null;
  waived: { byUserId: string | null; reason: string; at: string } | null;
  sourceId: string;
}

export interface AgreementObligation extends Obligation {
  incident: { id: string; title: string; state: IncidentState };
}

export interface IncidentSummary {
  id: string;
  agreementId: string;
  version: number;
  reportingParty: PartySide;
  title: string;
  summary: string;
  infoCategories: InfoCategory[];
  infoCategoryLabels: Label[];
  kinds: IncidentKind[];
  kindLabels: Label[];
  causeEntity: CauseEntity;
  causeEntityLabel: Label;
  suspected: boolean;
  state: IncidentState;
  stateLabel: Label;
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
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  obligations?: Obligation[];
}

export interface UserRef {
  id: string;
  name: string | null;
}

export type ItemChange = 'unchanged' | 'added' | 'changed' | 'withdrawn';

export interface Notice {
  id: string;
  incidentId: string;
  agreementId: string;
  fromParty: PartySide;
  number: number;
  kind: 'first' | 'follow_up';
  label: Label;
  items: NoticeItems;
  pendingItems: NoticeItemKey[];
  diff: { item: NoticeItemKey; change: ItemChange; before: string | null; after: string | null }[] | null;
  sentAt: string;
  sentBy: UserRef | null;
  acknowledgedAt: string | null;
  acknowledgedBy: UserRef | null;
}

export interface ItemRequest {
  id: string;
  incidentId: string;
  requestedByParty: PartySide;
  requestedBy: string | null;
  question: string;
  requestedAt: string;
  dueAt: string;
  answer: string | null;
  answeredAt: string | null;
  answeredBy: string | null;
}

export const CONTAINMENT_KINDS = [
  'access_cutoff',
  'system_stop',
  'password_change',
  'other',
  'none_needed',
] as const;
export type ContainmentKind = (typeof CONTAINMENT_KINDS)[number];

export interface ContainmentAction {
  id: string;
  byParty: PartySide;
  kind: ContainmentKind;
  description: string;
  takenAt: string;
  result: string | null;
  recordedBy: UserRef | null;
  createdAt: string;
}

export interface Incident extends IncidentSummary {
  obligations: Obligation[];
  myParty: PartySide;
  allowedTransitions: IncidentState[];
  agreement: { id: string; noticeTargetHours: number; containmentTargetHours: number };
  notices: Notice[];
  itemRequests: ItemRequest[];
  containmentActions: ContainmentAction[];
  createdByName: string | null;
}

export interface ReportIncidentInput {
  reportingParty: PartySide;
  title: string;
  suspected: boolean;
  discoveredAt: string;
  summary?: string;
  infoCategories?: InfoCategory[];
  kinds?: IncidentKind[];
  causeEntity?: CauseEntity;
  occurredAt?: string | null;
  affectedPersons?: number | null;
  affectedPersonsEstimated?: boolean;
  affectedRecords?: number | null;
  affectedRecordsEstimated?: boolean;
  dataItems?: string[];
  sensitiveData?: boolean;
  financialHarmRisk?: boolean;
  improperPurpose?: boolean;
  encrypted?: boolean;
}

export interface ContainmentInput {
  kind: ContainmentKind;
  description: string;
  takenAt?: string;
  result?: string | null;
}
