/**
 * The term engine: Art 11 of the memorandum (有効期間・自動更新・終了の意思表示) computed with the
 * Civil Code period rules (民法138-143, legal-rules §2). Pure: no I/O and no clock — the caller
 * passes the evaluation date.
 *
 * Dates are contractual local dates (Asia/Tokyo, legal-rules §6) as `Temporal.PlainDate`s in the
 * ISO calendar. Nothing here adds milliseconds: periods are counted on the calendar.
 *
 * Implementation note: the engine walks the renewal terms on (month index, day) integers instead
 * of Temporal objects, because one `temporal-polyfill` operation costs microseconds and a century
 * of monthly renewals would otherwise take tens of milliseconds. `addMonthsCivil` is written with
 * Temporal directly; the tests check that both agree on every date they generate.
 */
import { dateNote, type DateNote } from '../shared/calendar.js';
import { AppError } from '../shared/errors.js';
import { Temporal } from '../shared/time.js';
import type { AgreementParameters } from './parameters.js';
import type { RuleId, TermField, TermRuleRef } from './rules.js';

export type { RuleId, TermField, TermRuleRef } from './rules.js';

/** `not_started`: signed, but `on` is before the signing date (発効前). */
export type AgreementStatus = 'draft' | 'not_started' | 'active' | 'terminated' | 'expired';
export type PartyCode = 'A' | 'B';

/**
 * What a late notice (received after the deadline of its term) does. 第11条第2項 only says that
 * without a notice by the deadline the agreement renews; it is silent on a notice that arrives
 * later. The system's reading (`next_term`, the default) treats it as a notice for the next term:
 * the agreement ends when the first term whose deadline it meets expires. The recorder may instead
 * record it as `not_effective`: kept on record, but it ends nothing.
 */
export type LateNoticeEffect = 'next_term' | 'not_effective';
export const LATE_NOTICE_EFFECTS: readonly LateNoticeEffect[] = ['next_term', 'not_effective'];

/** 第11条第2項「書面による」: how the written notice was given (absent = not stated). */
export type TerminationNoticeMethod = 'letter' | 'pdf_email' | 'other';
export const TERMINATION_NOTICE_METHODS: readonly TerminationNoticeMethod[] = [
  'letter',
  'pdf_email',
  'other',
];

export interface RecordedTerminationNotice {
  byParty: PartyCode;
  receivedOn: Temporal.PlainDate;
  /** For a late notice; absent or `next_term` = the system's reading. Ignored for a notice on time. */
  lateEffect?: LateNoticeEffect | null;
}

export interface TermPeriod {
  /** 1 = the initial term, 2 = the first renewal, … */
  number: number;
  /** First day of the term (counted). */
  start: Temporal.PlainDate;
  /** Last day of the term; the term ends at the end of this day (民法141条). */
  end: Temporal.PlainDate;
  /** Last day on which a termination notice stops the next renewal; null when renewal is off. */
  terminationNoticeDeadline: Temporal.PlainDate | null;
}

export type EndReason = 'termination_notice' | 'no_renewal' | 'mutual_termination';

/**
 * 合意解約: the parties' agreement (both confirmed) to end the memorandum early. `effectiveOn` is
 * the first day it no longer applies, so its last day is the day before. It is a contract of its
 * own (民法第521条, freedom of contract): Art 11 neither requires nor limits it, so it may fall
 * in a later renewal term, but it only ever ends the agreement earlier than Art 11 would.
 */
export interface MutualTermination {
  effectiveOn: Temporal.PlainDate;
}

export interface TermEvaluation {
  status: AgreementStatus;
  /** First day of the first term. */
  start: Temporal.PlainDate | null;
  /** Last day of the first term. */
  initialEnd: Temporal.PlainDate | null;
  /** 1 = initial term, 2 = first renewal, … */
  currentTermNumber: number | null;
  /** The term that contains `on` (before the start: term 1; after the end: the last term). */
  currentTermStart: Temporal.PlainDate | null;
  currentTermEnd: Temporal.PlainDate | null;
  /** For the current term; null when the agreement is already set to end or renewal is off. */
  terminationNoticeDeadline: Temporal.PlainDate | null;
  /** Last day of the agreement; null while it keeps renewing. */
  endsOn: Temporal.PlainDate | null;
  endReason: EndReason | null;
  /** The notice that set `endsOn` (the earliest-received among equal ends); null otherwise. */
  endingNotice: RecordedTerminationNotice | null;
  /** The confirmed mutual termination, when it is what ends the agreement (endReason mutual_termination). */
  mutualTerminationOn: Temporal.PlainDate | null;
  /** Which rule produced which date; every non-null date has at least one ref. */
  rules: TermRuleRef[];
}

export interface NoticeAssessment {
  /** Received by the deadline of the term that contains `receivedOn`. */
  onTime: boolean;
  /** The term that contains `receivedOn` (term 1 when received before the first term starts). */
  termNumber: number;
  termEnd: Temporal.PlainDate;
  /** That term's notice deadline; null when renewal is off. */
  deadline: Temporal.PlainDate | null;
  /** Late notices only: the effect chosen (default `next_term`, the system's reading); null when on time. */
  lateEffect: LateNoticeEffect | null;
  /**
   * The end the notice brings about on its own under the system's reading: the current term's end
   * when on time, else the end of the first later term whose deadline it meets.
   */
  readingEnd: Temporal.PlainDate;
  /** The end this notice brings about on its own: `readingEnd`, or null when recorded as not effective. */
  effectiveEnd: Temporal.PlainDate | null;
  /** The end already set by the prior notices (or by no-renewal); null if the agreement renews. */
  previouslyEndsOn: Temporal.PlainDate | null;
  /** The agreement's end once this notice is recorded: the earlier of the two above (null: it renews). */
  agreementEndsOn: Temporal.PlainDate | null;
  /** The notice arrived after the agreement had already ended (the caller should refuse it). */
  agreementAlreadyEnded: boolean;
}

// ---------------------------------------------------------------------------------------------
// Calendar core on integers. A date is (mi, d): mi = year * 12 + (month - 1), d = day of month.
// The ISO (proleptic Gregorian) calendar, the same one Temporal.PlainDate uses.

interface Ymd {
  readonly mi: number;
  readonly d: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function mod12(mi: number): number {
  return ((mi % 12) + 12) % 12;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(mi: number): number {
  const m = mod12(mi);
  return m === 1 && isLeapYear((mi - m) / 12) ? 29 : DAYS_IN_MONTH[m]!;
}

/** Totally ordered key: a < b ⇔ key(a) < key(b). */
function key(x: Ymd): number {
  return x.mi * 32 + x.d;
}

function fromPlain(p: Temporal.PlainDate): Ymd {
  return { mi: p.year * 12 + p.month - 1, d: p.day };
}

function toPlain(x: Ymd): Temporal.PlainDate {
  const m = mod12(x.mi);
  return new Temporal.PlainDate((x.mi - m) / 12, m + 1, x.d);
}

function nextDay(x: Ymd): Ymd {
  return x.d < daysIn(x.mi) ? { mi: x.mi, d: x.d + 1 } : { mi: x.mi + 1, d: 1 };
}

function previousDay(x: Ymd): Ymd {
  return x.d > 1 ? { mi: x.mi, d: x.d - 1 } : { mi: x.mi - 1, d: daysIn(x.mi - 1) };
}

/**
 * 民法143条2項: the day corresponding to the first day, `months` later (応当日) — or, when that
 * month has no such day, the first day of the following month. It is the day after the period.
 */
function dayAfterPeriod(first: Ymd, months: number): Ymd {
  const mi = first.mi + months;
  return first.d <= daysIn(mi) ? { mi, d: first.d } : { mi: mi + 1, d: 1 };
}

/**
 * 民法143条2項: the period ends on the day before the corresponding day (応当日の前日); if that
 * month has no corresponding day, on that month's last day. 民法141条: at the end of that day.
 */
function lastDayOfPeriod(first: Ymd, months: number): Ymd {
  return previousDay(dayAfterPeriod(first, months));
}

/**
 * 第11条2項「期間満了の1か月前まで」: the expiry date minus `months` calendar months, clamped to
 * the month's last day (legal-rules §2). Inclusive: a notice arriving on that day is on time.
 * 民法142条: not moved for weekends or holidays.
 */
function noticeDeadline(termEnd: Ymd, months: number): Ymd {
  const mi = termEnd.mi - months;
  return { mi, d: Math.min(termEnd.d, daysIn(mi)) };
}

// ---------------------------------------------------------------------------------------------
// Public calendar helper (written with Temporal; the engine's integer core must agree with it).

/**
 * The last day of a period of `months` months whose first counted day is `start` (民法143条2項):
 * the day before the corresponding day in the last month, or that month's last day when it has
 * no corresponding day. 2026-04-02 + 12 → 2027-04-01; 2026-03-31 + 1 → 2026-04-30;
 * 2028-02-29 + 12 → 2029-02-28; 2027-03-01 + 12 → 2028-02-29.
 */
export function addMonthsCivil(start: Temporal.PlainDate, months: number): Temporal.PlainDate {
  if (!Number.isSafeInteger(months) || months < 1) {
    throw new RangeError(`addMonthsCivil: months must be a positive integer, got ${months}`);
  }
  // The month in which the period ends, counted on the calendar (民法143条1項).
  const lastMonth = start.with({ day: 1 }).add({ months });
  if (start.day <= lastMonth.daysInMonth) {
    // 応当日 exists: the period ends the day before it.
    return lastMonth.with({ day: start.day }).subtract({ days: 1 });
  }
  // 民法143条2項ただし書: no 応当日 in that month → its last day.
  return lastMonth.with({ day: lastMonth.daysInMonth });
}

// ---------------------------------------------------------------------------------------------
// Parameters

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', {
    detail: `term parameters: ${field} ${message}`,
    extras: { field },
  });
}

/** Throws AppError VALIDATION_FAILED unless the term parameters are usable. */
export function validateTermParameters(p: AgreementParameters): void {
  if (!Number.isSafeInteger(p.termMonths) || p.termMonths < 1) {
    throw invalid('termMonths', 'must be an integer ≥ 1');
  }
  if (!Number.isSafeInteger(p.renewalMonths) || p.renewalMonths < 0) {
    throw invalid('renewalMonths', 'must be an integer ≥ 0 (0 = no automatic renewal)');
  }
  if (!Number.isSafeInteger(p.terminationNoticeMonths) || p.terminationNoticeMonths < 0) {
    throw invalid('terminationNoticeMonths', 'must be an integer ≥ 0');
  }
}

// ---------------------------------------------------------------------------------------------
// The schedule of terms

interface Term {
  readonly number: number;
  readonly start: Ymd;
  readonly end: Ymd;
}

class Schedule {
  readonly first: Term;
  readonly renewalMonths: number;
  readonly noticeMonths: number;

  constructor(signedOn: Temporal.PlainDate, p: AgreementParameters) {
    validateTermParameters(p);
    const signed = fromPlain(signedOn);
    // 民法140条: 初日不算入 — the term starts the day after signing;
    // 民法138条: unless the parties agreed that the signing day counts (countSigningDay).
    const start = p.countSigningDay ? signed : nextDay(signed);
    // 第11条1項 + 民法143条: termMonths on the calendar.
    this.first = { number: 1, start, end: lastDayOfPeriod(start, p.termMonths) };
    this.renewalMonths = p.renewalMonths;
    this.noticeMonths = p.terminationNoticeMonths;
  }

  get renews(): boolean {
    return this.renewalMonths > 0;
  }

  /** The renewal term after `t`, or null when renewal is off (renewalMonths 0). */
  next(t: Term): Term | null {
    if (!this.renews) return null;
    // 第11条2項: the renewal term starts at 00:00 the day after expiry, so its first day counts
    // (民法140条ただし書), and lasts renewalMonths on the calendar (民法143条).
    return this.renewalStartingOn(t.number + 1, nextDay(t.end));
  }

  private renewalStartingOn(number: number, start: Ymd): Term {
    return { number, start, end: lastDayOfPeriod(start, this.renewalMonths) };
  }

  deadline(t: Term): Ymd {
    return noticeDeadline(t.end, this.noticeMonths);
  }

  /**
   * The term containing the day with key `k`; term 1 before the first term starts; the only
   * term after it when renewal is off. Walks term by term, but once a renewal term starts on a
   * day ≤ 28 every later one starts on that same day of the month (the day exists in every
   * month), so it jumps straight to the answer.
   */
  locate(k: number): Term {
    const first = this.first;
    if (k <= key(first.end)) return first;
    let t = this.next(first);
    if (t === null) return first;
    while (key(t.end) < k) {
      if (t.start.d <= 28) {
        const { mi, d } = t.start;
        const r = this.renewalMonths;
        const kMi = Math.floor(k / 32);
        // The latest start (mi + j·r, d) that is ≤ k; it exists because t.start < k.
        let j = Math.floor((kMi - mi) / r);
        if (key({ mi: mi + j * r, d }) > k) j -= 1;
        return this.renewalStartingOn(t.number + j, { mi: mi + j * r, d });
      }
      t = this.next(t)!;
    }
    return t;
  }

  /**
   * Where a termination notice received on day `k` takes effect (第11条2項). If it arrives by the
   * deadline of the term containing it, that term is the last; if late, the agreement renews and
   * ends at the end of the first later term whose deadline it meets — normally the next term.
   */
  assess(k: number): { term: Term; deadline: Ymd | null; onTime: boolean; endingTerm: Term } {
    const term = this.locate(k);
    if (!this.renews) {
      // No renewal to stop: the agreement ends at the initial end whatever the notice says.
      return { term, deadline: null, onTime: k <= key(term.end), endingTerm: term };
    }
    const deadline = this.deadline(term);
    // 第11条2項「期間満了の1か月前まで」: inclusive (当日必着).
    const onTime = k <= key(deadline);
    let endingTerm = term;
    if (!onTime) {
      // Late: the next renewal happens; the notice stops the one after (次期満了時に終了). With a
      // notice period longer than the renewal period it may need more than one step.
      endingTerm = this.next(term)!;
      while (key(this.deadline(endingTerm)) < k) endingTerm = this.next(endingTerm)!;
    }
    return { term, deadline, onTime, endingTerm };
  }
}

function toPeriod(s: Schedule, t: Term): TermPeriod {
  return {
    number: t.number,
    start: toPlain(t.start),
    end: toPlain(t.end),
    terminationNoticeDeadline: s.renews ? toPlain(s.deadline(t)) : null,
  };
}

/**
 * The terms from the first up to and including the one that contains `through` (at least the
 * first term; only the first when renewal is off), ignoring any termination notices. Walks term
 * by term, without the shortcut `evaluateTerm` takes.
 */
export function termPeriods(input: {
  signedOn: Temporal.PlainDate;
  parameters: AgreementParameters;
  through: Temporal.PlainDate;
}): TermPeriod[] {
  const s = new Schedule(input.signedOn, input.parameters);
  const k = key(fromPlain(input.through));
  const out: TermPeriod[] = [];
  let t: Term | null = s.first;
  while (t !== null) {
    out.push(toPeriod(s, t));
    if (key(t.end) >= k) break;
    t = s.next(t);
  }
  return out;
}

/** The term containing `on` (term 1 before the start; the only term when renewal is off). */
export function termContaining(input: {
  signedOn: Temporal.PlainDate;
  parameters: AgreementParameters;
  on: Temporal.PlainDate;
}): TermPeriod {
  const s = new Schedule(input.signedOn, input.parameters);
  return toPeriod(s, s.locate(key(fromPlain(input.on))));
}

interface EndInfo {
  end: Ymd;
  reason: EndReason;
  notice: RecordedTerminationNotice | null;
  onTime: boolean;
}

/** The end set by no-renewal or by the earliest-ending notice; null while it keeps renewing. */
function scheduledEnd(s: Schedule, notices: readonly RecordedTerminationNotice[]): EndInfo | null {
  if (!s.renews) {
    // renewalMonths 0: the agreement ends when the initial term expires.
    return { end: s.first.end, reason: 'no_renewal', notice: null, onTime: true };
  }
  let best: (EndInfo & { received: number }) | null = null;
  for (const notice of notices) {
    const received = key(fromPlain(notice.receivedOn));
    const a = s.assess(received);
    // A late notice recorded as not effective stays on record but ends nothing.
    if (!a.onTime && notice.lateEffect === 'not_effective') continue;
    const end = key(a.endingTerm.end);
    if (best === null || end < key(best.end) || (end === key(best.end) && received < best.received)) {
      best = { end: a.endingTerm.end, reason: 'termination_notice', notice, onTime: a.onTime, received };
    }
  }
  if (best === null) return null;
  return { end: best.end, reason: best.reason, notice: best.notice, onTime: best.onTime };
}

const DRAFT: Omit<TermEvaluation, 'rules'> = Object.freeze({
  status: 'draft',
  start: null,
  initialEnd: null,
  currentTermNumber: null,
  currentTermStart: null,
  currentTermEnd: null,
  terminationNoticeDeadline: null,
  endsOn: null,
  endReason: null,
  endingNotice: null,
  mutualTerminationOn: null,
});

/** Evaluates the agreement's term on day `on` (the caller's "today" in Asia/Tokyo). */
export function evaluateTerm(input: {
  signedOn: Temporal.PlainDate | null;
  parameters: AgreementParameters;
  terminationNotices: readonly RecordedTerminationNotice[];
  /** A confirmed mutual termination (合意解約); absent or null: none. */
  mutualTermination?: MutualTermination | null;
  on: Temporal.PlainDate;
}): TermEvaluation {
  if (input.signedOn === null) return { ...DRAFT, rules: [] };

  const p = input.parameters;
  const s = new Schedule(input.signedOn, p);
  const on = key(fromPlain(input.on));
  let end = scheduledEnd(s, input.terminationNotices);
  if (input.mutualTermination) {
    // 合意解約: the last day is the day before `effectiveOn`; it wins only when it is earlier than
    // the end Art 11 already set (an agreement cannot be ended after it has ended).
    const last = previousDay(fromPlain(input.mutualTermination.effectiveOn));
    if (end === null || key(last) < key(end.end)) {
      end = { end: last, reason: 'mutual_termination', notice: null, onTime: true };
    }
  }

  // The current term: the one containing `on`, but never past the agreement's last term.
  const current = s.locate(end === null ? on : Math.min(on, key(end.end)));
  const deadline = end === null ? s.deadline(current) : null;

  let status: AgreementStatus = 'active';
  // The memorandum binds from its signing (締結日); only the counting of the term skips that day.
  if (on < key(fromPlain(input.signedOn))) status = 'not_started';
  else if (end !== null && on > key(end.end)) {
    status = end.reason === 'no_renewal' ? 'expired' : 'terminated';
  }

  const startRule: RuleId = p.countSigningDay ? 'civil-138' : 'civil-140';
  const rules: TermRuleRef[] = [
    { field: 'start', ruleId: startRule },
    { field: 'initialEnd', ruleId: 'art-11-1' },
    { field: 'initialEnd', ruleId: 'civil-143' },
  ];
  const ref = (field: TermField, ...ids: RuleId[]): void => {
    for (const ruleId of ids) rules.push({ field, ruleId });
  };
  if (current.number === 1) {
    ref('currentTermStart', startRule);
    ref('currentTermEnd', 'art-11-1', 'civil-143');
  } else {
    ref('currentTermStart', 'art-11-2-renewal-start');
    ref('currentTermEnd', 'art-11-2-renewal-term', 'civil-143');
  }
  if (deadline !== null) ref('terminationNoticeDeadline', 'art-11-2-notice-deadline', 'civil-142');
  if (end !== null) {
    if (end.reason === 'no_renewal') ref('endsOn', 'no-renewal');
    else if (end.reason === 'mutual_termination') ref('endsOn', 'mutual-termination');
    else ref('endsOn', end.onTime ? 'art-11-2-termination' : 'art-11-2-late-notice');
  }

  return {
    status,
    start: toPlain(s.first.start),
    initialEnd: toPlain(s.first.end),
    currentTermNumber: current.number,
    currentTermStart: toPlain(current.start),
    currentTermEnd: toPlain(current.end),
    terminationNoticeDeadline: deadline === null ? null : toPlain(deadline),
    endsOn: end === null ? null : toPlain(end.end),
    endReason: end === null ? null : end.reason,
    endingNotice: end === null ? null : end.notice,
    mutualTerminationOn:
      end !== null && end.reason === 'mutual_termination' ? toPlain(nextDay(end.end)) : null,
    rules,
  };
}

/**
 * Judges a termination notice received on `receivedOn` (第11条2項) against the agreement signed
 * on `signedOn`, given the notices already recorded.
 */
export function assessTerminationNotice(input: {
  signedOn: Temporal.PlainDate;
  parameters: AgreementParameters;
  priorNotices: readonly RecordedTerminationNotice[];
  receivedOn: Temporal.PlainDate;
  /** For a late notice: the system's reading (default) or not effective. */
  lateEffect?: LateNoticeEffect | null;
}): NoticeAssessment {
  const s = new Schedule(input.signedOn, input.parameters);
  const received = key(fromPlain(input.receivedOn));
  const a = s.assess(received);
  const previous = scheduledEnd(s, input.priorNotices);
  const own = a.endingTerm.end;
  const effective = a.onTime || input.lateEffect !== 'not_effective';
  const candidates = [...(previous === null ? [] : [previous.end]), ...(effective ? [own] : [])];
  const agreementEnd = candidates.reduce<Ymd | null>(
    (min, e) => (min === null || key(e) < key(min) ? e : min),
    null,
  );
  return {
    onTime: a.onTime,
    termNumber: a.term.number,
    termEnd: toPlain(a.term.end),
    deadline: a.deadline === null ? null : toPlain(a.deadline),
    lateEffect: a.onTime ? null : (input.lateEffect ?? 'next_term'),
    readingEnd: toPlain(own),
    effectiveEnd: effective ? toPlain(own) : null,
    previouslyEndsOn: previous === null ? null : toPlain(previous.end),
    agreementEndsOn: agreementEnd === null ? null : toPlain(agreementEnd),
    agreementAlreadyEnded: previous !== null && received > key(previous.end),
  };
}

const NOTED_FIELDS: readonly TermField[] = [
  'start',
  'initialEnd',
  'currentTermStart',
  'currentTermEnd',
  'terminationNoticeDeadline',
  'endsOn',
];

/**
 * The term's dates that fall on a Saturday, Sunday or national holiday, by field. 民法第142条 is
 * not applied (legal-rules §2): the dates stay as computed, the note only warns the parties.
 */
export function termDateNotes(t: Pick<TermEvaluation, TermField>): Partial<Record<TermField, DateNote>> {
  const notes: Partial<Record<TermField, DateNote>> = {};
  for (const field of NOTED_FIELDS) {
    const d = t[field];
    const note = d === null ? null : dateNote(d);
    if (note !== null) notes[field] = note;
  }
  return notes;
}
