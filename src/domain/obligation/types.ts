/**
 * The obligation engine's vocabulary. An obligation is a duty of one party (or of a party towards
 * an authority) that some record opened, with a due instant, a basis that explains the due
 * instant, and a state derived from the records that fulfil it.
 */
import type { AgreementParameters } from '../agreement/parameters.js';

export type PartyCode = 'A' | 'B';
/** Who a duty is owed to: the other party, or (regulatory clocks) the authority. */
export type Creditor = PartyCode | 'authority';
export type ObligationState = 'open' | 'met' | 'met_late' | 'breached' | 'waived';
/** A clause of the registry: '3.1', '3.2(6)', '3.3', later '4.2(7)', 'APPI-26-final'… An open set. */
export type Clause = string;

export interface Bilingual {
  ja: string;
  en: string;
}

/**
 * Why a due time is what it is: the article, the agreement parameter it reads (if any) with its
 * value, and the rule in words — shown to users next to every clock.
 */
export interface Basis {
  article: string;
  parameter?: keyof AgreementParameters;
  value?: number | string;
  rule: Bilingual;
}

export interface MetBy {
  /** The kind of record that fulfilled the duty (notice, item_request, containment, …). */
  type: string;
  id: string;
  /** When it counts as done: the moment the record was made in BreachPact. */
  atMs: number;
  /** A user-entered time of the act itself (Art 3.3 `takenAt`), shown beside `atMs`; null if none. */
  takenAtMs: number | null;
}

export interface Waiver {
  byUserId: string | null;
  reason: string;
  atMs: number;
}

export interface Obligation {
  /** Opaque: derived from (incident, clause, source, debtor) by a one-way hash; never parsed. */
  id: string;
  clause: Clause;
  incidentId: string;
  agreementId: string;
  owedBy: PartyCode;
  owedTo: Creditor;
  startsAtMs: number;
  dueAtMs: number;
  state: ObligationState;
  metBy: MetBy | null;
  waiver: Waiver | null;
  /** The record that opened the duty (the incident, a notice, an item request…) and its kind. */
  sourceType: string;
  sourceId: string;
  basis: Basis;
  /** Art 11.3: whether the clause survives the end of the agreement (its article is in survivingArticles). */
  survives: boolean;
}

/** The records the engine reads for one incident; times are epoch milliseconds. */
export interface ObligationInputs {
  agreement: {
    id: string;
    parameters: Pick<
      AgreementParameters,
      'noticeTargetHours' | 'containmentTargetHours' | 'itemRequestMinHours' | 'survivingArticles'
    >;
    /** When the memorandum took effect: the start of the signing day, Japan time (null: never signed). */
    effectiveFromMs: number | null;
    /** When it ends or ended (the day after its last day, 0:00 Japan time); null while no end is fixed. */
    endsAtMs: number | null;
  };
  incident: {
    id: string;
    reportingParty: PartyCode;
    discoveredAtMs: number;
    /** Set when the incident was dismissed (非該当): duties that only an actual incident triggers lapse. */
    dismissedAtMs: number | null;
  };
  /** Notices (第一報・続報), any order. */
  notices: ReadonlyArray<{ id: string; fromParty: PartyCode; sentAtMs: number }>;
  /** Art 3.2(6) requests for further items by the counterparty. */
  itemRequests: ReadonlyArray<{
    id: string;
    requestedAtMs: number;
    dueAtMs: number;
    answeredAtMs: number | null;
  }>;
  /** Art 3.3 records: a measure, or a decision that none is needed. */
  containment: ReadonlyArray<{ id: string; byParty: PartyCode; recordedAtMs: number; takenAtMs: number }>;
  waivers: ReadonlyArray<{ obligationId: string; byUserId: string | null; reason: string; atMs: number }>;
  /**
   * Art 4.2 cooperation requests between the parties (absent: none). `category` is the Art 4.2
   * item (cause_analysis = (1) … other = (8)); `deliverByMs` is set by an acceptance that promised
   * delivery by then.
   */
  cooperationRequests?: ReadonlyArray<{
    id: string;
    fromParty: PartyCode;
    toParty: PartyCode;
    category: string;
    requestedAtMs: number;
    dueAtMs: number;
    respondedAtMs: number | null;
    deliverByMs: number | null;
    deliveredAtMs: number | null;
  }>;
  /**
   * Art 12 consultations of this incident that reached an agreed outcome (absent: none), by the
   * subject they were about — e.g. Art 6.2's "consult afterwards" is met by an agreed consultation
   * on the announcement.
   */
  agreedConsultations?: ReadonlyArray<{
    id: string;
    subjectType: string;
    subjectId: string;
    agreedAtMs: number;
  }>;
  /**
   * Art 6.2 announcements published in an emergency without the other party's approval (absent:
   * none): each opens the publisher's duty to consult afterwards (clause 6.2).
   */
  emergencyAnnouncements?: ReadonlyArray<{ id: string; byParty: PartyCode; publishedAtMs: number }>;
}

/** What a clause entry emits: one duty before the engine settles it (state, waiver, id). */
export interface Duty {
  sourceType: string;
  sourceId: string;
  owedBy: PartyCode;
  owedTo: Creditor;
  /** When the triggering event happened (for survival: a duty opened after the end needs a surviving article). */
  openedAtMs: number;
  startsAtMs: number;
  dueAtMs: number;
  metBy: MetBy | null;
  basis: Basis;
}

/**
 * One clause of the memorandum (or of a regulation) as data plus a pure function: what opens it,
 * who owes it to whom, its due rule and basis, what fulfils it, whether it survives the end.
 * Adding a clause is adding a file under `clauses/` and listing it in `clauses/index.ts`.
 */
export interface ClauseEntry {
  clause: Clause;
  /** The article number, for Art 11.3 survival (`survivingArticles`). */
  article: number;
  citation: Bilingual;
  title: Bilingual;
  /** The record that opens the duty, in words. */
  trigger: Bilingual;
  /** The records that fulfil it, in words. */
  fulfilledBy: Bilingual;
  /**
   * Whether a duty not yet due when the incident is dismissed (非該当) lapses: true for duties that
   * only an actual incident triggers; false where a mere suspicion already triggers it (Art 3.1).
   */
  lapsesOnDismissal: boolean;
  duties(input: ObligationInputs, emit: (d: Duty) => void): void;
}
