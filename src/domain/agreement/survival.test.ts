import { describe, expect, it } from 'vitest';
import { Temporal } from '../shared/time.js';
import { withDefaults, type AgreementParameters } from './parameters.js';
import { articleApplies, articleStanding } from './survival.js';
import { evaluateTerm, type AgreementStatus } from './term.js';

const D = (s: string) => Temporal.PlainDate.from(s);

/** Standing of `article` on `on` for an agreement signed 2026-04-01 (initial term to 2027-04-01). */
function standingOn(on: string, article: number, params: Partial<AgreementParameters> = {}, notice?: string) {
  const parameters = withDefaults(params);
  const { status } = evaluateTerm({
    signedOn: D('2026-04-01'),
    parameters,
    terminationNotices: notice ? [{ byParty: 'B', receivedOn: D(notice) }] : [],
    on: D(on),
  });
  return {
    status,
    standing: articleStanding({ status, survivingArticles: parameters.survivingArticles, article }),
  };
}

describe('articleStanding (Art 11.3)', () => {
  it('nothing applies before the memorandum took effect', () => {
    for (const status of ['draft', 'not_started'] as AgreementStatus[]) {
      for (const article of [3, 5, 6, 8]) {
        expect(articleStanding({ status, survivingArticles: [5, 8, 9], article })).toBe('not_in_force');
        expect(articleApplies({ status, survivingArticles: [5, 8, 9], article })).toBe(false);
      }
    }
  });

  it('every article applies while the agreement is active', () => {
    for (let article = 1; article <= 13; article++) {
      expect(articleStanding({ status: 'active', survivingArticles: [], article })).toBe('in_force');
    }
  });

  it('after the end (expired or terminated) only the surviving articles apply', () => {
    for (const status of ['expired', 'terminated'] as AgreementStatus[]) {
      const q = { status, survivingArticles: [5, 8, 9] };
      expect(articleStanding({ ...q, article: 5 })).toBe('surviving');
      expect(articleStanding({ ...q, article: 8 })).toBe('surviving');
      expect(articleStanding({ ...q, article: 9 })).toBe('surviving');
      expect(articleStanding({ ...q, article: 4 })).toBe('ended');
      expect(articleStanding({ ...q, article: 6 })).toBe('ended');
      expect(articleApplies({ ...q, article: 5 })).toBe(true);
      expect(articleApplies({ ...q, article: 6 })).toBe(false);
    }
  });

  it('is driven by survivingArticles: parties who dropped Art 5 lose the disclosure gate after the end', () => {
    const q = { status: 'terminated' as const, survivingArticles: [8, 9] };
    expect(articleStanding({ ...q, article: 5 })).toBe('ended');
    expect(articleApplies({ ...q, article: 5 })).toBe(false);
    // …and parties who made Art 6 survive keep the announcement rules.
    expect(articleApplies({ status: 'expired', survivingArticles: [5, 6, 8, 9], article: 6 })).toBe(true);
  });

  it('follows the term engine: signing day, active term, after a notice ends it, after no renewal', () => {
    expect(standingOn('2026-03-31', 6)).toEqual({ status: 'not_started', standing: 'not_in_force' });
    // The memorandum binds from its signing day.
    expect(standingOn('2026-04-01', 6)).toEqual({ status: 'active', standing: 'in_force' });
    // Notice on time (deadline 2027-03-01): ends at the end of 2027-04-01.
    expect(standingOn('2027-04-01', 6, {}, '2027-02-15')).toEqual({ status: 'active', standing: 'in_force' });
    expect(standingOn('2027-04-02', 6, {}, '2027-02-15')).toEqual({
      status: 'terminated',
      standing: 'ended',
    });
    expect(standingOn('2027-04-02', 5, {}, '2027-02-15')).toEqual({
      status: 'terminated',
      standing: 'surviving',
    });
    expect(standingOn('2027-04-02', 5, { survivingArticles: [8, 9] }, '2027-02-15')).toEqual({
      status: 'terminated',
      standing: 'ended',
    });
    // No renewal: expired after the initial term.
    expect(standingOn('2027-04-02', 9, { renewalMonths: 0 })).toEqual({
      status: 'expired',
      standing: 'surviving',
    });
    expect(standingOn('2027-04-02', 4, { renewalMonths: 0 })).toEqual({
      status: 'expired',
      standing: 'ended',
    });
    // Renewing without a notice: still in force years later.
    expect(standingOn('2031-06-01', 4)).toEqual({ status: 'active', standing: 'in_force' });
  });
});
