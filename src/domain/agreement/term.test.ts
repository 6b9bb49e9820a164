import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../shared/time.js';
import { AppError } from '../shared/errors.js';
import { withDefaults, type AgreementParameters } from './parameters.js';
import { RULE_IDS, TERM_RULES, describeRule, type TermField } from './rules.js';
import {
  addMonthsCivil,
  assessTerminationNotice,
  evaluateTerm,
  termContaining,
  termPeriods,
  type AgreementStatus,
  type LateNoticeEffect,
  type RecordedTerminationNotice,
  type TermEvaluation,
  type TermPeriod,
} from './term.js';

// ---------------------------------------------------------------------------------------------
// helpers

const D = (s: string): Temporal.PlainDate => Temporal.PlainDate.from(s);
const P = (overrides: Partial<AgreementParameters> = {}): AgreementParameters => withDefaults(overrides);
const cmp = Temporal.PlainDate.compare;
const str = (d: Temporal.PlainDate | null): string | null => (d === null ? null : d.toString());
const notice = (receivedOn: string, byParty: 'A' | 'B' = 'B'): RecordedTerminationNotice => ({
  byParty,
  receivedOn: D(receivedOn),
});

function evaluate(
  signedOn: string | null,
  on: string,
  params: Partial<AgreementParameters> = {},
  notices: RecordedTerminationNotice[] = [],
): TermEvaluation {
  return evaluateTerm({
    signedOn: signedOn === null ? null : D(signedOn),
    parameters: P(params),
    terminationNotices: notices,
    on: D(on),
  });
}

function periods(signedOn: string, through: string, params: Partial<AgreementParameters> = {}) {
  return termPeriods({ signedOn: D(signedOn), parameters: P(params), through: D(through) }).map((t) => ({
    number: t.number,
    start: str(t.start),
    end: str(t.end),
    deadline: str(t.terminationNoticeDeadline),
  }));
}

function assess(
  signedOn: string,
  receivedOn: string,
  params: Partial<AgreementParameters> = {},
  prior: RecordedTerminationNotice[] = [],
  lateEffect?: LateNoticeEffect,
) {
  const a = assessTerminationNotice({
    signedOn: D(signedOn),
    parameters: P(params),
    priorNotices: prior,
    receivedOn: D(receivedOn),
    ...(lateEffect ? { lateEffect } : {}),
  });
  return {
    onTime: a.onTime,
    termNumber: a.termNumber,
    termEnd: str(a.termEnd),
    deadline: str(a.deadline),
    lateEffect: a.lateEffect,
    readingEnd: str(a.readingEnd),
    effectiveEnd: str(a.effectiveEnd),
    previouslyEndsOn: str(a.previouslyEndsOn),
    agreementEndsOn: str(a.agreementEndsOn),
    agreementAlreadyEnded: a.agreementAlreadyEnded,
  };
}

const DATE_FIELDS: TermField[] = [
  'start',
  'initialEnd',
  'currentTermStart',
  'currentTermEnd',
  'terminationNoticeDeadline',
  'endsOn',
];

function ruleIdsFor(e: TermEvaluation, field: TermField): string[] {
  return e.rules.filter((r) => r.field === field).map((r) => r.ruleId);
}

// ---------------------------------------------------------------------------------------------
// 民法143条 — addMonthsCivil

describe('addMonthsCivil — 民法143条 (Civil Code 143): months follow the calendar', () => {
  it.each([
    // [first counted day, months, last day]
    ['2026-04-02', 12, '2027-04-01'], // legal-rules §2 worked example
    ['2026-04-01', 12, '2027-03-31'],
    ['2026-01-31', 1, '2026-02-28'], // no 31 Feb → last day of Feb
    ['2028-01-31', 1, '2028-02-29'], // leap year
    ['2026-01-30', 1, '2026-02-28'], // naive add(1 month) − 1 day would give 02-27
    ['2026-01-29', 1, '2026-02-28'],
    ['2028-01-29', 1, '2028-02-28'], // 2028-02-29 exists → the day before it
    ['2026-03-31', 1, '2026-04-30'], // naive add − 1 day would give 04-29
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2028-02-29', 12, '2029-02-28'], // no 29 Feb 2029 → 02-28
    ['2028-02-29', 48, '2032-02-28'], // 2032-02-29 exists → the day before
    ['2027-03-01', 12, '2028-02-29'], // day before 2028-03-01
    ['2026-03-01', 12, '2027-02-28'],
    ['2026-01-01', 1, '2026-01-31'],
    ['2026-12-01', 1, '2026-12-31'],
    ['2026-12-15', 1, '2027-01-14'],
    ['2026-12-31', 2, '2027-02-28'],
    ['2099-12-31', 2, '2100-02-28'], // 2100 is not a leap year
    ['2000-01-31', 1, '2000-02-29'], // 2000 is a leap year
  ] as const)('民法143条: first day %s + %i months ends on %s', (start, months, end) => {
    expect(addMonthsCivil(D(start), months).toString()).toBe(end);
  });

  it('民法143条: rejects a period of 0, negative or fractional months', () => {
    expect(() => addMonthsCivil(D('2026-01-01'), 0)).toThrow(RangeError);
    expect(() => addMonthsCivil(D('2026-01-01'), -1)).toThrow(RangeError);
    expect(() => addMonthsCivil(D('2026-01-01'), 1.5)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Worked examples

describe('第11条1項 (Art 11.1) with 民法140条/138条: the initial term', () => {
  it('民法140条 (Civil Code 140): the signing day is not counted', () => {
    const e = evaluate('2026-04-01', '2026-06-01');
    expect(str(e.start)).toBe('2026-04-02');
    expect(str(e.initialEnd)).toBe('2027-04-01');
    expect(e.status).toBe('active');
    expect(e.currentTermNumber).toBe(1);
    expect(str(e.currentTermStart)).toBe('2026-04-02');
    expect(str(e.currentTermEnd)).toBe('2027-04-01');
    expect(ruleIdsFor(e, 'start')).toEqual(['civil-140']);
    expect(ruleIdsFor(e, 'initialEnd')).toEqual(['art-11-1', 'civil-143']);
  });

  it('民法138条 (Civil Code 138): by agreement the signing day counts', () => {
    const e = evaluate('2026-04-01', '2026-06-01', { countSigningDay: true });
    expect(str(e.start)).toBe('2026-04-01');
    expect(str(e.initialEnd)).toBe('2027-03-31');
    expect(ruleIdsFor(e, 'start')).toEqual(['civil-138']);
    expect(ruleIdsFor(e, 'currentTermStart')).toEqual(['civil-138']);
  });

  it('第11条1項 (Art 11.1): the term length is a parameter (termMonths)', () => {
    const e = evaluate('2026-04-01', '2026-06-01', { termMonths: 24 });
    expect(str(e.initialEnd)).toBe('2028-04-01');
  });

  it('民法140条 (Civil Code 140): on the non-counted signing day the agreement is active in term 1', () => {
    const e = evaluate('2026-04-01', '2026-04-01');
    expect(e.status).toBe('active');
    expect(e.currentTermNumber).toBe(1);
    expect(str(e.currentTermStart)).toBe('2026-04-02');
    expect(str(e.terminationNoticeDeadline)).toBe('2027-03-01');
  });

  it('第11条1項 (Art 11.1): before its signing date the memorandum is not yet in force (not_started)', () => {
    const e = evaluate('2026-04-01', '2026-03-31');
    expect(e.status).toBe('not_started');
    // The dates it will have are already known.
    expect(str(e.start)).toBe('2026-04-02');
    expect(str(e.initialEnd)).toBe('2027-04-01');
    expect(evaluate('2026-04-01', '2026-04-01').status).toBe('active');
  });

  it('draft: an unsigned agreement has no dates', () => {
    const e = evaluate(null, '2026-04-01');
    expect(e).toEqual({
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
      rules: [],
    });
  });

  it('rejects unusable term parameters with VALIDATION_FAILED', () => {
    for (const bad of [
      { termMonths: 0 },
      { termMonths: 1.5 },
      { renewalMonths: -1 },
      { terminationNoticeMonths: -1 },
      { terminationNoticeMonths: Number.NaN },
    ]) {
      let caught: unknown;
      try {
        evaluate('2026-04-01', '2026-04-01', bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('第11条2項 (Art 11.2): automatic renewal', () => {
  it('第11条2項 (Art 11.2): a renewal term starts the day after expiry and its first day counts', () => {
    expect(periods('2026-04-01', '2029-01-01')).toEqual([
      { number: 1, start: '2026-04-02', end: '2027-04-01', deadline: '2027-03-01' },
      { number: 2, start: '2027-04-02', end: '2028-04-01', deadline: '2028-03-01' },
      { number: 3, start: '2028-04-02', end: '2029-04-01', deadline: '2029-03-01' },
    ]);
    const e = evaluate('2026-04-01', '2027-04-02');
    expect(e.currentTermNumber).toBe(2);
    expect(str(e.currentTermStart)).toBe('2027-04-02');
    expect(str(e.currentTermEnd)).toBe('2028-04-01');
    expect(e.endsOn).toBeNull();
    expect(ruleIdsFor(e, 'currentTermStart')).toEqual(['art-11-2-renewal-start']);
    expect(ruleIdsFor(e, 'currentTermEnd')).toEqual(['art-11-2-renewal-term', 'civil-143']);
  });

  it('第11条2項 + 民法143条: with the signing day counted, renewals run Apr 1 – Mar 31', () => {
    expect(periods('2026-04-01', '2028-04-01', { countSigningDay: true })).toEqual([
      { number: 1, start: '2026-04-01', end: '2027-03-31', deadline: '2027-02-28' },
      { number: 2, start: '2027-04-01', end: '2028-03-31', deadline: '2028-02-29' },
      { number: 3, start: '2028-04-01', end: '2029-03-31', deadline: '2029-02-28' },
    ]);
  });

  it('民法143条 (Civil Code 143): leap day — signed 2028-02-28, renewals through 2029-02-28', () => {
    expect(periods('2028-02-28', '2031-01-01')).toEqual([
      { number: 1, start: '2028-02-29', end: '2029-02-28', deadline: '2029-01-28' },
      { number: 2, start: '2029-03-01', end: '2030-02-28', deadline: '2030-01-28' },
      { number: 3, start: '2030-03-01', end: '2031-02-28', deadline: '2031-01-28' },
    ]);
  });

  it('民法143条 (Civil Code 143): leap day — signed 2028-02-29', () => {
    expect(periods('2028-02-29', '2029-03-01')).toEqual([
      { number: 1, start: '2028-03-01', end: '2029-02-28', deadline: '2029-01-28' },
      { number: 2, start: '2029-03-01', end: '2030-02-28', deadline: '2030-01-28' },
    ]);
    // counting the signing day: first day 2028-02-29, no 29 Feb 2029 → ends 2029-02-28 as well
    expect(periods('2028-02-29', '2028-03-01', { countSigningDay: true })).toEqual([
      { number: 1, start: '2028-02-29', end: '2029-02-28', deadline: '2029-01-28' },
    ]);
    // counting 2028-02-28: ends the day before 2029-02-28
    expect(str(evaluate('2028-02-28', '2028-03-01', { countSigningDay: true }).initialEnd)).toBe(
      '2029-02-27',
    );
  });

  it('民法143条 (Civil Code 143): a term from 2027-03-01 ends on leap day 2028-02-29', () => {
    expect(periods('2027-02-28', '2028-03-01')).toEqual([
      { number: 1, start: '2027-03-01', end: '2028-02-29', deadline: '2028-01-29' },
      { number: 2, start: '2028-03-01', end: '2029-02-28', deadline: '2029-01-28' },
    ]);
  });

  it('民法143条 (Civil Code 143): month ends — Jan 31 with monthly terms moves to the 1st after February', () => {
    expect(periods('2026-01-30', '2026-05-01', { termMonths: 1, renewalMonths: 1 })).toEqual([
      { number: 1, start: '2026-01-31', end: '2026-02-28', deadline: '2026-01-28' },
      { number: 2, start: '2026-03-01', end: '2026-03-31', deadline: '2026-02-28' },
      { number: 3, start: '2026-04-01', end: '2026-04-30', deadline: '2026-03-30' },
      { number: 4, start: '2026-05-01', end: '2026-05-31', deadline: '2026-04-30' },
    ]);
  });

  it('民法143条 (Civil Code 143): month ends — Mar 31 and Aug 31', () => {
    expect(periods('2026-03-30', '2026-05-01', { termMonths: 1, renewalMonths: 1 })).toEqual([
      { number: 1, start: '2026-03-31', end: '2026-04-30', deadline: '2026-03-30' },
      { number: 2, start: '2026-05-01', end: '2026-05-31', deadline: '2026-04-30' },
    ]);
    expect(periods('2026-08-30', '2027-03-01', { termMonths: 6, renewalMonths: 6 })).toEqual([
      { number: 1, start: '2026-08-31', end: '2027-02-28', deadline: '2027-01-28' },
      { number: 2, start: '2027-03-01', end: '2027-08-31', deadline: '2027-07-31' },
    ]);
    // Jan 31 with yearly terms stays on Jan 31 (every January has 31 days)
    expect(periods('2026-01-30', '2028-02-01')).toEqual([
      { number: 1, start: '2026-01-31', end: '2027-01-30', deadline: '2026-12-30' },
      { number: 2, start: '2027-01-31', end: '2028-01-30', deadline: '2027-12-30' },
      { number: 3, start: '2028-01-31', end: '2029-01-30', deadline: '2028-12-30' },
    ]);
  });

  it('第11条2項 (Art 11.2): the renewal length is a parameter (renewalMonths)', () => {
    expect(periods('2026-04-01', '2027-12-01', { renewalMonths: 6 })).toEqual([
      { number: 1, start: '2026-04-02', end: '2027-04-01', deadline: '2027-03-01' },
      { number: 2, start: '2027-04-02', end: '2027-10-01', deadline: '2027-09-01' },
      { number: 3, start: '2027-10-02', end: '2028-04-01', deadline: '2028-03-01' },
    ]);
  });

  it('民法142条 (Civil Code 142): dates on weekends are not moved', () => {
    // 2027-08-01 is a Sunday; the term still ends on it, and the deadline 2027-07-01 stays
    const e = evaluate('2026-07-31', '2026-09-01', {}, []);
    expect(str(e.initialEnd)).toBe('2027-07-31'); // Saturday
    expect(D('2027-07-31').dayOfWeek).toBe(6);
    expect(str(e.terminationNoticeDeadline)).toBe('2027-06-30');
    const sunday = evaluate('2026-08-01', '2026-09-01');
    expect(D('2027-08-01').dayOfWeek).toBe(7);
    expect(str(sunday.initialEnd)).toBe('2027-08-01');
    expect(ruleIdsFor(sunday, 'terminationNoticeDeadline')).toContain('civil-142');
  });
});

describe('第11条2項 (Art 11.2): termination notice deadline 「期間満了の1か月前まで」', () => {
  it('第11条2項 (Art 11.2): expiry 2027-04-01 → deadline 2027-03-01', () => {
    const e = evaluate('2026-04-01', '2026-06-01');
    expect(str(e.terminationNoticeDeadline)).toBe('2027-03-01');
    expect(ruleIdsFor(e, 'terminationNoticeDeadline')).toEqual(['art-11-2-notice-deadline', 'civil-142']);
  });

  it('第11条2項 (Art 11.2): expiry 2027-03-31 → deadline clamped to 2027-02-28', () => {
    const e = evaluate('2026-03-31', '2026-06-01');
    expect(str(e.initialEnd)).toBe('2027-03-31');
    expect(str(e.terminationNoticeDeadline)).toBe('2027-02-28');
  });

  it('第11条2項 (Art 11.2): the notice period is a parameter (terminationNoticeMonths 2 and 0)', () => {
    expect(
      str(evaluate('2026-04-01', '2026-06-01', { terminationNoticeMonths: 2 }).terminationNoticeDeadline),
    ).toBe('2027-02-01');
    expect(
      str(evaluate('2026-04-30', '2026-06-01', { terminationNoticeMonths: 2 }).terminationNoticeDeadline),
    ).toBe('2027-02-28');
    expect(
      str(evaluate('2026-04-01', '2026-06-01', { terminationNoticeMonths: 0 }).terminationNoticeDeadline),
    ).toBe('2027-04-01');
  });

  it('第11条2項 (Art 11.2): a notice received exactly on the deadline is on time (当日必着)', () => {
    expect(assess('2026-04-01', '2027-03-01')).toEqual({
      onTime: true,
      termNumber: 1,
      termEnd: '2027-04-01',
      deadline: '2027-03-01',
      lateEffect: null,
      readingEnd: '2027-04-01',
      effectiveEnd: '2027-04-01',
      previouslyEndsOn: null,
      agreementEndsOn: '2027-04-01',
      agreementAlreadyEnded: false,
    });
    const e = evaluate('2026-04-01', '2027-03-15', {}, [notice('2027-03-01')]);
    expect(str(e.endsOn)).toBe('2027-04-01');
    expect(e.endReason).toBe('termination_notice');
    expect(e.terminationNoticeDeadline).toBeNull();
    expect(ruleIdsFor(e, 'endsOn')).toEqual(['art-11-2-termination']);
  });

  it('第11条2項 (Art 11.2): a notice one day after the deadline is late — ends at the next term end', () => {
    expect(assess('2026-04-01', '2027-03-02')).toMatchObject({
      onTime: false,
      termNumber: 1,
      termEnd: '2027-04-01',
      deadline: '2027-03-01',
      effectiveEnd: '2028-04-01',
    });
    const e = evaluate('2026-04-01', '2027-05-01', {}, [notice('2027-03-02')]);
    expect(e.status).toBe('active');
    expect(e.currentTermNumber).toBe(2);
    expect(str(e.endsOn)).toBe('2028-04-01');
    expect(ruleIdsFor(e, 'endsOn')).toEqual(['art-11-2-late-notice']);
  });

  it('第11条2項 (Art 11.2): a notice on the last day of the term is late', () => {
    expect(assess('2026-04-01', '2027-04-01')).toMatchObject({
      onTime: false,
      termNumber: 1,
      effectiveEnd: '2028-04-01',
    });
  });

  it('民法140条 + 第11条2項: a notice on the non-counted signing day belongs to term 1', () => {
    expect(assess('2026-04-01', '2026-04-01')).toMatchObject({
      onTime: true,
      termNumber: 1,
      effectiveEnd: '2027-04-01',
    });
  });

  it('第11条2項 (Art 11.2): notices during renewal terms (on time and late)', () => {
    // term 3: 2028-04-02 … 2029-04-01, deadline 2029-03-01
    expect(assess('2026-04-01', '2029-02-15')).toMatchObject({
      onTime: true,
      termNumber: 3,
      termEnd: '2029-04-01',
      deadline: '2029-03-01',
      effectiveEnd: '2029-04-01',
    });
    expect(assess('2026-04-01', '2029-03-15')).toMatchObject({
      onTime: false,
      termNumber: 3,
      effectiveEnd: '2030-04-01',
    });
    // first day of a renewal term
    expect(assess('2026-04-01', '2028-04-02')).toMatchObject({ onTime: true, termNumber: 3 });
  });

  it('第11条2項 (Art 11.2): status runs active → terminated the day after the end', () => {
    const notices = [notice('2029-02-15', 'A')];
    const last = evaluate('2026-04-01', '2029-04-01', {}, notices);
    expect(last.status).toBe('active');
    expect(str(last.endsOn)).toBe('2029-04-01');
    expect(last.endingNotice).toEqual(notices[0]);
    const after = evaluate('2026-04-01', '2029-04-02', {}, notices);
    expect(after.status).toBe('terminated');
    // after the end the current term stays the last one
    const later = evaluate('2026-04-01', '2035-01-01', {}, notices);
    expect(later.status).toBe('terminated');
    expect(later.currentTermNumber).toBe(3);
    expect(str(later.currentTermStart)).toBe('2028-04-02');
    expect(str(later.currentTermEnd)).toBe('2029-04-01');
    expect(later.terminationNoticeDeadline).toBeNull();
  });

  it('第11条2項 (Art 11.2): with several notices the earliest end wins', () => {
    const late = notice('2027-03-10', 'A'); // → 2028-04-01
    const onTime = notice('2027-02-01', 'B'); // → 2027-04-01
    const e = evaluate('2026-04-01', '2027-05-01', {}, [late, onTime]);
    expect(str(e.endsOn)).toBe('2027-04-01');
    expect(e.endingNotice).toEqual(onTime);
    expect(e.status).toBe('terminated');
    expect(ruleIdsFor(e, 'endsOn')).toEqual(['art-11-2-termination']);
  });

  it('第11条2項 (Art 11.2): assessing a notice against prior notices', () => {
    expect(assess('2026-04-01', '2027-02-01', {}, [notice('2027-03-10')])).toMatchObject({
      onTime: true,
      effectiveEnd: '2027-04-01',
      previouslyEndsOn: '2028-04-01',
      agreementEndsOn: '2027-04-01',
      agreementAlreadyEnded: false,
    });
    expect(assess('2026-04-01', '2027-05-01', {}, [notice('2027-02-01')])).toMatchObject({
      onTime: true,
      termNumber: 2,
      effectiveEnd: '2028-04-01',
      previouslyEndsOn: '2027-04-01',
      agreementEndsOn: '2027-04-01',
      agreementAlreadyEnded: true,
    });
  });

  it('第11条2項 (Art 11.2): monthly terms — a late notice may need to wait two terms at month ends', () => {
    // terms: Jan 1–31 (deadline Dec 31), Feb 1–28 (deadline Jan 28), Mar 1–31 (deadline Feb 28).
    // Received Jan 30: late for January and also after February's deadline (Jan 28), so the first
    // expiry it is a full month ahead of is March 31.
    const params = { termMonths: 1, renewalMonths: 1 };
    expect(assess('2026-12-31', '2027-01-30', params)).toMatchObject({
      onTime: false,
      termNumber: 1,
      termEnd: '2027-01-31',
      deadline: '2026-12-31',
      effectiveEnd: '2027-03-31',
    });
    expect(assess('2026-12-31', '2027-01-28', params)).toMatchObject({
      onTime: false,
      effectiveEnd: '2027-02-28',
    });
  });

  it('第11条2項 (Art 11.2): a notice period longer than the renewal period', () => {
    // monthly renewals, 3 months notice: ends at the first expiry at least 3 months after receipt
    const params = { termMonths: 12, renewalMonths: 1, terminationNoticeMonths: 3 };
    expect(assess('2026-04-01', '2027-03-15', params)).toMatchObject({
      onTime: false,
      termNumber: 1,
      deadline: '2027-01-01',
      effectiveEnd: '2027-07-01',
    });
  });
});

describe('late notices: the system reading or not effective (第11条第2項 is silent)', () => {
  it('a late notice takes the system reading by default: it ends the agreement at the next term end', () => {
    expect(assess('2026-04-01', '2027-03-02')).toMatchObject({
      onTime: false,
      lateEffect: 'next_term',
      readingEnd: '2028-04-01',
      effectiveEnd: '2028-04-01',
      agreementEndsOn: '2028-04-01',
    });
  });

  it('a late notice recorded as not effective ends nothing: the agreement keeps renewing', () => {
    expect(assess('2026-04-01', '2027-03-02', {}, [], 'not_effective')).toEqual({
      onTime: false,
      termNumber: 1,
      termEnd: '2027-04-01',
      deadline: '2027-03-01',
      lateEffect: 'not_effective',
      readingEnd: '2028-04-01',
      effectiveEnd: null,
      previouslyEndsOn: null,
      agreementEndsOn: null,
      agreementAlreadyEnded: false,
    });
    const ignored: RecordedTerminationNotice = { ...notice('2027-03-02'), lateEffect: 'not_effective' };
    const e = evaluate('2026-04-01', '2028-05-01', {}, [ignored]);
    expect(e.status).toBe('active');
    expect(e.endsOn).toBeNull();
    expect(e.endReason).toBeNull();
    expect(e.currentTermNumber).toBe(3);
    expect(str(e.terminationNoticeDeadline)).toBe('2029-03-01');
    // a later notice on time still ends it; the ignored one does not count as prior
    const ended = evaluate('2026-04-01', '2029-05-01', {}, [ignored, notice('2029-02-01')]);
    expect(ended.status).toBe('terminated');
    expect(str(ended.endsOn)).toBe('2029-04-01');
    expect(assess('2026-04-01', '2029-02-01', {}, [ignored])).toMatchObject({
      previouslyEndsOn: null,
      agreementEndsOn: '2029-04-01',
    });
  });

  it('a notice on time is not affected by a lateEffect', () => {
    expect(assess('2026-04-01', '2027-03-01', {}, [], 'not_effective')).toMatchObject({
      onTime: true,
      lateEffect: null,
      effectiveEnd: '2027-04-01',
    });
    const e = evaluate('2026-04-01', '2027-05-01', {}, [
      { ...notice('2027-03-01'), lateEffect: 'not_effective' },
    ]);
    expect(e.status).toBe('terminated');
  });
});

describe('no renewal (renewalMonths 0, 第11条2項 amended)', () => {
  it('自動更新なし: ends at the initial end and is expired afterwards', () => {
    const before = evaluate('2026-04-01', '2027-04-01', { renewalMonths: 0 });
    expect(before.status).toBe('active');
    expect(str(before.endsOn)).toBe('2027-04-01');
    expect(before.endReason).toBe('no_renewal');
    expect(before.terminationNoticeDeadline).toBeNull();
    expect(ruleIdsFor(before, 'endsOn')).toEqual(['no-renewal']);
    const after = evaluate('2026-04-01', '2027-04-02', { renewalMonths: 0 });
    expect(after.status).toBe('expired');
    expect(after.currentTermNumber).toBe(1);
    expect(str(after.currentTermEnd)).toBe('2027-04-01');
    expect(periods('2026-04-01', '2030-01-01', { renewalMonths: 0 })).toEqual([
      { number: 1, start: '2026-04-02', end: '2027-04-01', deadline: null },
    ]);
  });

  it('自動更新なし: a termination notice changes nothing', () => {
    const e = evaluate('2026-04-01', '2027-05-01', { renewalMonths: 0 }, [notice('2026-05-01')]);
    expect(e.status).toBe('expired');
    expect(e.endReason).toBe('no_renewal');
    expect(str(e.endsOn)).toBe('2027-04-01');
    expect(assess('2026-04-01', '2027-03-20', { renewalMonths: 0 })).toEqual({
      onTime: true,
      termNumber: 1,
      termEnd: '2027-04-01',
      deadline: null,
      lateEffect: null,
      readingEnd: '2027-04-01',
      effectiveEnd: '2027-04-01',
      previouslyEndsOn: '2027-04-01',
      agreementEndsOn: '2027-04-01',
      agreementAlreadyEnded: false,
    });
    expect(assess('2026-04-01', '2027-04-02', { renewalMonths: 0 })).toMatchObject({
      onTime: false,
      agreementAlreadyEnded: true,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// rules.ts

describe('rules.ts: the rule table', () => {
  it('every rule id has an article and texts in both languages', () => {
    for (const id of RULE_IDS) {
      const rule = TERM_RULES[id];
      expect(rule.id).toBe(id);
      expect(rule.article.length).toBeGreaterThan(0);
      expect(rule.ja.startsWith(rule.article)).toBe(true);
      expect(rule.en.length).toBeGreaterThan(0);
    }
    expect(TERM_RULES['civil-140'].ja).toBe('民法第140条: 初日不算入（締結日の翌日から起算）');
    expect(TERM_RULES['art-11-2-notice-deadline'].ja).toContain('期間満了の1か月前まで');
    expect(TERM_RULES['art-11-1'].ja).toContain('1年間');
  });

  it('第11条2項 (Art 11.2): the explanation follows the parameters instead of hard-coding 1か月', () => {
    const two = describeRule('art-11-2-notice-deadline', P({ terminationNoticeMonths: 2 }));
    expect(two.ja).toContain('期間満了の2か月前まで');
    expect(two.ja).not.toContain('1か月');
    expect(two.en).toContain('2 months');
    const threeMonthTerm = describeRule('art-11-1', P({ termMonths: 3 }));
    expect(threeMonthTerm.ja).toContain('3か月間');
    expect(describeRule('art-11-2-renewal-term', P({ renewalMonths: 24 })).en).toContain('2 years');
    expect(describeRule('art-11-2-notice-deadline', P({ terminationNoticeMonths: 0 })).ja).toContain(
      '期間満了日まで',
    );
  });

  it('every non-null date of an evaluation names a rule, and null dates name none', () => {
    const cases: TermEvaluation[] = [
      evaluate('2026-04-01', '2026-05-01'),
      evaluate('2026-04-01', '2028-05-01', { countSigningDay: true }),
      evaluate('2026-04-01', '2028-05-01', { renewalMonths: 0 }),
      evaluate('2026-04-01', '2028-05-01', {}, [notice('2027-03-02')]),
      evaluate(null, '2028-05-01'),
    ];
    for (const e of cases) {
      for (const field of DATE_FIELDS) {
        expect(ruleIdsFor(e, field).length > 0, field).toBe(e[field] !== null);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

const yearArb = fc.integer({ min: 2000, max: 2100 });
const monthArb = fc.integer({ min: 1, max: 12 });
const constrained = (year: number, month: number, day: number): Temporal.PlainDate =>
  Temporal.PlainDate.from({ year, month, day }, { overflow: 'constrain' });

/** Dates 2000-2100, biased towards month ends, the 28th-31st, Feb 28/29 and the 1st. */
const dateArb: fc.Arbitrary<Temporal.PlainDate> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(yearArb, monthArb, fc.integer({ min: 1, max: 31 }))
      .map(([y, m, d]) => constrained(y, m, d)),
  },
  { weight: 2, arbitrary: fc.tuple(yearArb, monthArb).map(([y, m]) => constrained(y, m, 31)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(yearArb, monthArb, fc.integer({ min: 27, max: 31 }))
      .map(([y, m, d]) => constrained(y, m, d)),
  },
  { weight: 2, arbitrary: fc.tuple(yearArb, fc.constantFrom(28, 29)).map(([y, d]) => constrained(y, 2, d)) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 525 }).map((i) => constrained(4 * i, 2, 29)) },
  { weight: 1, arbitrary: fc.tuple(yearArb, monthArb).map(([y, m]) => constrained(y, m, 1)) },
);

const monthsArb = fc.oneof(fc.integer({ min: 1, max: 36 }), fc.constantFrom(1, 6, 12, 24, 48));

const paramsArb: fc.Arbitrary<AgreementParameters> = fc
  .record({
    termMonths: monthsArb,
    renewalMonths: fc.oneof({ weight: 5, arbitrary: monthsArb }, { weight: 1, arbitrary: fc.constant(0) }),
    terminationNoticeMonths: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(1)),
    countSigningDay: fc.boolean(),
  })
  .map((r) => P(r));

const daysBetween = (a: Temporal.PlainDate, b: Temporal.PlainDate): number =>
  a.until(b, { largestUnit: 'days' }).days;

/** Oracle for 民法143条 written differently: Temporal's constrained add finds the 応当日. */
function civilEndOracle(start: Temporal.PlainDate, months: number): Temporal.PlainDate {
  const corresponding = start.add({ months }); // overflow: constrain
  const clamped = corresponding.day !== start.day;
  return clamped ? corresponding : corresponding.subtract({ days: 1 });
}

function periodsThrough(
  signedOn: Temporal.PlainDate,
  parameters: AgreementParameters,
  through: Temporal.PlainDate,
): TermPeriod[] {
  return termPeriods({ signedOn, parameters, through });
}

const STATUS_RANK: Record<AgreementStatus, number> = {
  draft: 0,
  not_started: 1,
  active: 2,
  terminated: 3,
  expired: 3,
};

describe('properties (fast-check)', () => {
  it('民法143条 (Civil Code 143): addMonthsCivil agrees with the 応当日 oracle and stays within naive bounds', () => {
    fc.assert(
      fc.property(dateArb, monthsArb, (start, n) => {
        const end = addMonthsCivil(start, n);
        expect(end.toString()).toBe(civilEndOracle(start, n).toString());
        // the day after the period is the corresponding day, or the 1st of the next month
        const after = end.add({ days: 1 });
        const monthsLater = (after.year - start.year) * 12 + after.month - start.month;
        if (after.day === start.day) expect(monthsLater).toBe(n);
        else expect([after.day, monthsLater]).toEqual([1, n + 1]);
        // end ≥ start; n months are 28·n … 31·n days
        const days = daysBetween(start, end) + 1;
        expect(days).toBeGreaterThanOrEqual(28 * n);
        expect(days).toBeLessThanOrEqual(31 * n);
        // never later than the naive corresponding day; equal to it exactly when it is clamped
        const naive = start.add({ months: n });
        expect(cmp(end, naive)).toBeLessThanOrEqual(0);
        const clamped = start.day > naive.daysInMonth;
        expect(cmp(end, naive) === 0).toBe(clamped);
        if (!clamped) expect(end.toString()).toBe(naive.subtract({ days: 1 }).toString());
      }),
      { numRuns: 1000 },
    );
  });

  it('民法143条 (Civil Code 143): addMonthsCivil is monotone in its start day', () => {
    fc.assert(
      fc.property(dateArb, dateArb, monthsArb, (a, b, n) => {
        const [lo, hi] = cmp(a, b) <= 0 ? [a, b] : [b, a];
        expect(cmp(addMonthsCivil(lo, n), addMonthsCivil(hi, n))).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('民法140条/138条 + 第11条2項: the terms chain without gaps and follow 民法143条', () => {
    fc.assert(
      fc.property(dateArb, paramsArb, fc.integer({ min: 0, max: 3000 }), (signedOn, p, span) => {
        const through = signedOn.add({ days: span });
        const terms = periodsThrough(signedOn, p, through);
        const first = terms[0]!;
        // 民法140条 / 138条
        const expectedStart = p.countSigningDay ? signedOn : signedOn.add({ days: 1 });
        expect(first.start.toString()).toBe(expectedStart.toString());
        expect(first.end.toString()).toBe(addMonthsCivil(first.start, p.termMonths).toString());
        if (p.renewalMonths === 0) expect(terms).toHaveLength(1);
        for (let i = 0; i < terms.length; i++) {
          const t = terms[i]!;
          expect(t.number).toBe(i + 1);
          expect(cmp(t.end, t.start)).toBeGreaterThanOrEqual(0);
          if (i > 0) {
            const prev = terms[i - 1]!;
            // 第11条2項: the renewal starts exactly the day after the previous term ends
            expect(t.start.toString()).toBe(prev.end.add({ days: 1 }).toString());
            expect(t.end.toString()).toBe(civilEndOracle(t.start, p.renewalMonths).toString());
          }
          // deadline: expiry minus N calendar months (clamped), never after the expiry
          if (p.renewalMonths === 0) expect(t.terminationNoticeDeadline).toBeNull();
          else {
            const deadline = t.terminationNoticeDeadline!;
            expect(deadline.toString()).toBe(
              t.end.subtract({ months: p.terminationNoticeMonths }).toString(),
            );
            expect(cmp(deadline, t.end)).toBeLessThanOrEqual(0);
          }
        }
        // the last listed term contains `through` (or `through` is before the start / after a non-renewing end)
        const last = terms.at(-1)!;
        if (p.renewalMonths > 0 && cmp(through, first.start) >= 0) {
          expect(cmp(last.start, through)).toBeLessThanOrEqual(0);
          expect(cmp(through, last.end)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('民法138条 (Civil Code 138): counting the signing day ends the initial term one day earlier, or the same day at month-end clamps', () => {
    fc.assert(
      fc.property(dateArb, monthsArb, (signedOn, n) => {
        const params = (count: boolean) => P({ termMonths: n, countSigningDay: count });
        const counted = evaluateTerm({
          signedOn,
          parameters: params(true),
          terminationNotices: [],
          on: signedOn,
        });
        const notCounted = evaluateTerm({
          signedOn,
          parameters: params(false),
          terminationNotices: [],
          on: signedOn,
        });
        expect(counted.start!.toString()).toBe(signedOn.toString());
        expect(notCounted.start!.toString()).toBe(signedOn.add({ days: 1 }).toString());
        const diff = daysBetween(counted.initialEnd!, notCounted.initialEnd!);
        const lastMonth = signedOn.with({ day: 1 }).add({ months: n });
        const clamped = signedOn.day > lastMonth.daysInMonth; // no 応当日 for the signing day
        if (signedOn.day < signedOn.daysInMonth) {
          // one day earlier; the same day only when the counted start has no 応当日 either
          expect(diff).toBe(clamped ? 0 : 1);
        } else {
          // signed on a month's last day: not counting starts on the 1st, so the term ends on the
          // last day of a month, while counting ends the day before the 応当日 of the signing day
          // (e.g. signed 2027-02-28, 12 months: 2028-02-27 counted, 2028-02-29 not counted).
          expect(notCounted.initialEnd!.day).toBe(notCounted.initialEnd!.daysInMonth);
          expect(diff).toBe(clamped ? 0 : lastMonth.daysInMonth - signedOn.day + 1);
          expect(diff).toBeLessThanOrEqual(4);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('民法138条/143条: a month-end signing counted as day 1 can end more than a day earlier (worked example)', () => {
    expect(str(evaluate('2027-02-28', '2027-03-01', { countSigningDay: true }).initialEnd)).toBe(
      '2028-02-27',
    );
    expect(str(evaluate('2027-02-28', '2027-03-01').initialEnd)).toBe('2028-02-29');
    expect(
      str(evaluate('2026-02-28', '2026-03-01', { termMonths: 1, countSigningDay: true }).initialEnd),
    ).toBe('2026-03-27');
    expect(str(evaluate('2026-02-28', '2026-03-01', { termMonths: 1 }).initialEnd)).toBe('2026-03-31');
  });

  it('第11条2項 (Art 11.2): on-time iff received by the deadline; the end is the first term end whose deadline it meets', () => {
    fc.assert(
      fc.property(
        dateArb,
        paramsArb,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: -40, max: 4000 }),
        fc.boolean(),
        (signedOn, p, termIndex, delta, offset, nearDeadline) => {
          // either a day near some term's deadline, or any day from shortly before signing
          let receivedOn = signedOn.add({ days: offset });
          if (nearDeadline && p.renewalMonths > 0) {
            const horizon = signedOn.add({ months: p.termMonths + termIndex * p.renewalMonths + 1 });
            const t = periodsThrough(signedOn, p, horizon)[termIndex];
            if (t) receivedOn = t.terminationNoticeDeadline!.add({ days: delta });
          }
          const a = assessTerminationNotice({ signedOn, parameters: p, priorNotices: [], receivedOn });
          const containing = termContaining({ signedOn, parameters: p, on: receivedOn });
          expect(a.termNumber).toBe(containing.number);
          expect(a.termEnd.toString()).toBe(containing.end.toString());
          // without a lateEffect every notice takes the system's reading
          expect(str(a.effectiveEnd)).toBe(a.readingEnd.toString());
          const terms = periodsThrough(signedOn, p, a.readingEnd);
          const ending = terms.at(-1)!;
          // readingEnd is a term end
          expect(ending.end.toString()).toBe(a.readingEnd.toString());
          if (p.renewalMonths === 0) {
            expect(a.deadline).toBeNull();
            expect(a.readingEnd.toString()).toBe(terms[0]!.end.toString());
            return;
          }
          expect(a.deadline!.toString()).toBe(containing.terminationNoticeDeadline!.toString());
          expect(a.onTime).toBe(cmp(receivedOn, a.deadline!) <= 0);
          if (a.onTime) expect(a.readingEnd.toString()).toBe(a.termEnd.toString());
          else expect(cmp(a.readingEnd, a.termEnd)).toBeGreaterThan(0);
          // the ending term's deadline is met, and no earlier term from the containing one on is
          expect(cmp(receivedOn, ending.terminationNoticeDeadline!)).toBeLessThanOrEqual(0);
          for (const t of terms) {
            if (t.number >= a.termNumber && t.number < ending.number) {
              expect(cmp(receivedOn, t.terminationNoticeDeadline!)).toBeGreaterThan(0);
            }
          }
          // a late notice normally ends the agreement at the end of the next term
          if (!a.onTime && p.renewalMonths > p.terminationNoticeMonths) {
            expect(ending.number).toBe(a.termNumber + 1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('第11条 (Art 11): evaluateTerm agrees with the term-by-term walk, endsOn is a term end, status is consistent', () => {
    const noticeArb = fc.record({
      byParty: fc.constantFrom<'A' | 'B'>('A', 'B'),
      offset: fc.integer({ min: -5, max: 5000 }),
    });
    fc.assert(
      fc.property(
        dateArb,
        paramsArb,
        fc.array(noticeArb, { maxLength: 3 }),
        fc.integer({ min: -30, max: 8000 }),
        (signedOn, p, rawNotices, onOffset) => {
          const notices = rawNotices.map((n) => ({
            byParty: n.byParty,
            receivedOn: signedOn.add({ days: n.offset }),
          }));
          const on = signedOn.add({ days: onOffset });
          const e = evaluateTerm({ signedOn, parameters: p, terminationNotices: notices, on });
          // every non-null date names a rule
          for (const field of DATE_FIELDS) expect(ruleIdsFor(e, field).length > 0).toBe(e[field] !== null);

          // endsOn: earliest effective end of the notices (or the initial end without renewal)
          let expectedEnd: Temporal.PlainDate | null = null;
          if (p.renewalMonths === 0) expectedEnd = e.initialEnd;
          else {
            for (const n of notices) {
              const a = assessTerminationNotice({
                signedOn,
                parameters: p,
                priorNotices: [],
                receivedOn: n.receivedOn,
              });
              if (expectedEnd === null || cmp(a.readingEnd, expectedEnd) < 0) expectedEnd = a.readingEnd;
            }
          }
          expect(str(e.endsOn)).toBe(str(expectedEnd));
          expect(e.endReason).toBe(
            e.endsOn === null ? null : p.renewalMonths === 0 ? 'no_renewal' : 'termination_notice',
          );

          // the current term is the one the plain walk finds for min(on, endsOn)
          const target = e.endsOn !== null && cmp(on, e.endsOn) > 0 ? e.endsOn : on;
          const walked = periodsThrough(signedOn, p, target).at(-1)!;
          expect(e.currentTermNumber).toBe(walked.number);
          expect(str(e.currentTermStart)).toBe(walked.start.toString());
          expect(str(e.currentTermEnd)).toBe(walked.end.toString());
          expect(str(e.terminationNoticeDeadline)).toBe(
            e.endsOn === null ? str(walked.terminationNoticeDeadline) : null,
          );
          if (e.endsOn !== null) {
            // endsOn is a term end
            expect(periodsThrough(signedOn, p, e.endsOn).at(-1)!.end.toString()).toBe(e.endsOn.toString());
          }
          if (cmp(on, e.start!) >= 0 && (e.endsOn === null || cmp(on, e.endsOn) <= 0)) {
            expect(cmp(e.currentTermStart!, on)).toBeLessThanOrEqual(0);
            expect(cmp(on, e.currentTermEnd!)).toBeLessThanOrEqual(0);
          }

          // status
          const ended = e.endsOn !== null && cmp(on, e.endsOn) > 0;
          const expectedStatus: AgreementStatus =
            cmp(on, signedOn) < 0
              ? 'not_started'
              : !ended
                ? 'active'
                : p.renewalMonths === 0
                  ? 'expired'
                  : 'terminated';
          expect(e.status).toBe(expectedStatus);
          if (e.endsOn !== null) {
            // the last day is still active; the next day it has ended
            const at = (d: Temporal.PlainDate) =>
              evaluateTerm({ signedOn, parameters: p, terminationNotices: notices, on: d }).status;
            expect(at(e.endsOn)).toBe('active');
            expect(at(e.endsOn.add({ days: 1 }))).toBe(p.renewalMonths === 0 ? 'expired' : 'terminated');
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('第11条 (Art 11): status progression is monotone in the evaluation date', () => {
    fc.assert(
      fc.property(
        dateArb,
        paramsArb,
        fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 2 }),
        fc.integer({ min: -30, max: 6000 }),
        fc.integer({ min: 0, max: 3000 }),
        (signedOn, p, offsets, onOffset, gap) => {
          const notices = offsets.map((o) => ({
            byParty: 'A' as const,
            receivedOn: signedOn.add({ days: o }),
          }));
          const on1 = signedOn.add({ days: onOffset });
          const on2 = on1.add({ days: gap });
          const e1 = evaluateTerm({ signedOn, parameters: p, terminationNotices: notices, on: on1 });
          const e2 = evaluateTerm({ signedOn, parameters: p, terminationNotices: notices, on: on2 });
          expect(STATUS_RANK[e1.status]).toBeLessThanOrEqual(STATUS_RANK[e2.status]);
          if (e1.status !== 'active' && e1.status !== 'not_started') expect(e2.status).toBe(e1.status);
          expect(e1.currentTermNumber!).toBeLessThanOrEqual(e2.currentTermNumber!);
          expect(str(e1.endsOn)).toBe(str(e2.endsOn));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('performance', () => {
  it('evaluates 100 years of monthly renewals (and of yearly renewals from Jan 31) quickly', () => {
    const cases = [
      { signedOn: D('2026-01-15'), parameters: P({ termMonths: 1, renewalMonths: 1 }) },
      { signedOn: D('2026-01-30'), parameters: P({ termMonths: 1, renewalMonths: 1 }) },
      { signedOn: D('2026-01-30'), parameters: P({ renewalMonths: 12 }) }, // Jan 31 never clamps: walks
      { signedOn: D('2026-01-30'), parameters: P({ termMonths: 1, renewalMonths: 2 }) }, // odd months: walks
    ];
    const on = D('2126-01-01');
    const notices = [notice('2125-11-20')];
    const run = () => {
      for (const c of cases) {
        evaluateTerm({ ...c, terminationNotices: notices, on });
      }
    };
    for (let i = 0; i < 20; i++) run(); // warm up
    const rounds = 100;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) run();
    const perEvaluation = (performance.now() - t0) / (rounds * cases.length);
    // generous bound for slow CI machines; typically well under 0.1 ms
    expect(perEvaluation).toBeLessThan(1);
    // and the answer is right
    const e = evaluateTerm({ ...cases[0]!, terminationNotices: [], on });
    expect(e.currentTermNumber).toBe(1200);
    expect(str(e.currentTermStart)).toBe('2125-12-16');
  });
});

describe('合意解約 (mutual termination)', () => {
  const withMutual = (
    on: string,
    effectiveOn: string,
    params: Partial<AgreementParameters> = {},
    notices: RecordedTerminationNotice[] = [],
  ) =>
    evaluateTerm({
      signedOn: D('2026-04-01'),
      parameters: P(params),
      terminationNotices: notices,
      mutualTermination: { effectiveOn: D(effectiveOn) },
      on: D(on),
    });

  it('terminated from effectiveOn; the last day is the day before; basis 合意解約', () => {
    const before = withMutual('2026-12-14', '2026-12-15');
    expect(before).toMatchObject({ status: 'active', endReason: 'mutual_termination' });
    expect(str(before.endsOn)).toBe('2026-12-14');
    const on = withMutual('2026-12-15', '2026-12-15');
    expect(on.status).toBe('terminated');
    expect(str(on.mutualTerminationOn)).toBe('2026-12-15');
    expect(on.terminationNoticeDeadline).toBeNull();
    expect(on.rules.filter((r) => r.field === 'endsOn').map((r) => r.ruleId)).toEqual(['mutual-termination']);
    expect(describeRule('mutual-termination').ja).toContain('合意解約');
  });

  it('may fall in a renewal term; the current term stops at the end', () => {
    const e = withMutual('2028-01-01', '2027-06-01');
    expect(e).toMatchObject({ status: 'terminated', currentTermNumber: 2 });
    expect(str(e.endsOn)).toBe('2027-05-31');
  });

  it('never ends the agreement later than Art 11 already does', () => {
    // Notice on time: ends at the end of 2027-04-01; a mutual termination from 2027-06-01 changes nothing.
    const e = withMutual('2027-04-02', '2027-06-01', {}, [notice('2027-01-15')]);
    expect(e).toMatchObject({
      status: 'terminated',
      endReason: 'termination_notice',
      mutualTerminationOn: null,
    });
    expect(str(e.endsOn)).toBe('2027-04-01');
    // No renewal: expired, not terminated, when the mutual date is later than the expiry.
    expect(withMutual('2027-04-02', '2027-05-01', { renewalMonths: 0 }).status).toBe('expired');
    // An earlier mutual date wins over no renewal: terminated.
    expect(withMutual('2027-03-01', '2027-03-01', { renewalMonths: 0 })).toMatchObject({
      status: 'terminated',
      endReason: 'mutual_termination',
    });
  });
});
