/** Shapes of the BreachPact HTTP API (JSON under /api/v1), as the server documents them. */

export type Locale = 'ja' | 'en';
export type Role = 'owner' | 'legal' | 'responder' | 'viewer' | 'admin';
export type PartySide = 'A' | 'B';
export type IsoDate = string; // YYYY-MM-DD

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
  locale: Locale;
  isAdmin: boolean;
  /** Invited; no password set yet. */
  invitationPending: boolean;
}

export interface Organization {
  id: string;
  name: string;
  address: string;
  representative: string;
  court: string | null;
  /** True when the court was derived from the address rather than set. */
  courtDerived?: boolean;
  version: number;
  createdAt: string;
}

export interface DirectoryEntry {
  id: string;
  name: string;
}

export interface Party {
  id: string;
  name: string;
  address: string;
  representative: string;
}

export interface AgreementParameters {
  noticeTargetHours: number;
  containmentTargetHours: number;
  termMonths: number;
  renewalMonths: number;
  terminationNoticeMonths: number;
  countSigningDay: boolean;
  survivingArticles: number[];
}

export type ParameterName = keyof AgreementParameters;

/** The memorandum's own values (Art 3, 11); the server applies the same defaults. */
export const DEFAULT_PARAMETERS: Readonly<AgreementParameters> = Object.freeze({
  noticeTargetHours: 24,
  containmentTargetHours: 24,
  termMonths: 12,
  renewalMonths: 12,
  terminationNoticeMonths: 1,
  countSigningDay: false,
  survivingArticles: [5, 8, 9],
});

export type DateStyle = 'western' | 'japanese';
export type AgreementStatus = 'draft' | 'not_started' | 'active' | 'terminated' | 'expired';
export type TermField =
  'start' | 'initialEnd' | 'currentTermStart' | 'currentTermEnd' | 'terminationNoticeDeadline' | 'endsOn';

export interface TermRule {
  field: TermField;
  ruleId: string;
  ja: string;
  en: string;
}

export interface Term {
  status: AgreementStatus;
  evaluatedOn: IsoDate;
  start: IsoDate | null;
  initialEnd: IsoDate | null;
  currentTermNumber: number | null;
  currentTermStart: IsoDate | null;
  currentTermEnd: IsoDate | null;
  terminationNoticeDeadline: IsoDate | null;
  endsOn: IsoDate | null;
  endReason: 'termination_notice' | 'no_renewal' | null;
  rules: TermRule[];
  /** The dates above on a Saturday, Sunday or national holiday (not moved: 民法第142条 not applied). */
  dateNotes: Partial<Record<TermField, DateNote>>;
}

export interface DateNote {
  date: IsoDate;
  weekend: 'saturday' | 'sunday' | null;
  holiday: { kind: 'national' | 'substitute' | 'citizens'; ja: string; en: string } | null;
  /** 土曜日 / 日曜日 / 祝日（元日） … one per fact. */
  labels: Array<{ ja: string; en: string }>;
}

/** Art 11.2 書面: how the written notice was given (null = not stated). */
export type TerminationNoticeMethod = 'letter' | 'pdf_email' | 'other';
export type LateNoticeEffect = 'next_term' | 'not_effective';

/** How the system reads a late notice, and what the recorder chose. */
export interface LateReading {
  effect: LateNoticeEffect;
  nextTermEnd: IsoDate;
  rule: { ja: string; en: string };
}

export interface TerminationNotice {
  id: string;
  byParty: PartySide;
  receivedOn: IsoDate;
  onTime: boolean;
  /** null when a late notice was recorded as not effective. */
  effectiveEnd: IsoDate | null;
  method: TerminationNoticeMethod | null;
  lateReading: LateReading | null;
  recordedAt: string;
  recordedBy: { id: string; name: string | null } | null;
}

export interface Agreement {
  id: string;
  version: number;
  partyA: Party;
  partyB: Party;
  signedOn: IsoDate | null;
  dateStyle: DateStyle;
  court: string | null;
  parameters: AgreementParameters;
  changedParameters: string[];
  myParty: PartySide | null;
  createdAt: string;
  updatedAt: string;
  term: Term;
  terminationNotices: TerminationNotice[];
}

export interface CreateAgreementInput {
  partyA: string;
  partyB: string;
  signedOn?: IsoDate;
  parameters?: Partial<AgreementParameters>;
  dateStyle?: DateStyle;
}

export interface TerminationNoticeResult {
  notice: TerminationNotice;
  onTime: boolean;
  effectiveEnd: IsoDate | null;
  lateReading: LateReading | null;
  /** End of the term the notice was received in, and that term's notice deadline. */
  termEnd?: IsoDate;
  deadline?: IsoDate | null;
  messageJa: string;
  messageEn: string;
}

export interface AuditEvent {
  id: string;
  seq: number;
  occurredAt: string;
  action: string;
  recordType: string;
  recordId: string;
  actor: { userId: string | null; name: string | null; organizationId: string | null };
  payload: unknown;
  hash: string;
  prevHash: string | null;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenEventId: string | null;
  reason: string | null;
  reasonJa?: string | null;
  reasonEn?: string | null;
}

export interface AuditTrail {
  items: AuditEvent[];
  verification: AuditVerification;
}

export interface Items<T> {
  items: T[];
}

/** RFC 9457 problem details with BreachPact's localized messages. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  messageJa?: string;
  messageEn?: string;
  errors?: { path: string; messageJa: string; messageEn: string }[];
}
