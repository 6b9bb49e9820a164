import { describe, expect, it } from 'vitest';
import { dateNote, holidayOn } from './calendar.js';
import { Temporal } from './time.js';

const D = (s: string) => Temporal.PlainDate.from(s);

describe('dateNote (民法142条: noted, never moved)', () => {
  it('is null on an ordinary weekday', () => {
    expect(dateNote(D('2026-04-01'))).toBeNull(); // Wednesday
    expect(dateNote(D('2027-03-01'))).toBeNull(); // Monday
  });

  it('flags Saturdays and Sundays', () => {
    expect(dateNote(D('2026-04-04'))).toEqual({
      date: '2026-04-04',
      weekend: 'saturday',
      holiday: null,
      labels: [{ ja: '土曜日', en: 'Saturday' }],
    });
    expect(dateNote(D('2026-04-05'))?.labels).toEqual([{ ja: '日曜日', en: 'Sunday' }]);
  });

  it('names national holidays, also on a weekend', () => {
    expect(dateNote(D('2027-01-01'))).toEqual({
      date: '2027-01-01',
      weekend: null,
      holiday: { kind: 'national', ja: '元日', en: "New Year's Day" },
      labels: [{ ja: '祝日（元日）', en: "Holiday (New Year's Day)" }],
    });
    // 2026-05-03 is a Sunday and 憲法記念日
    expect(dateNote(D('2026-05-03'))?.labels.map((l) => l.ja)).toEqual(['日曜日', '祝日（憲法記念日）']);
  });

  it('names substitute holidays and citizens’ holidays (legal-rules §3 checks for 2026)', () => {
    expect(holidayOn('2026-05-06')).toEqual({ kind: 'substitute', ja: '振替休日', en: 'Substitute holiday' });
    expect(holidayOn('2026-09-22')).toEqual({ kind: 'citizens', ja: '国民の休日', en: "Citizens' holiday" });
    expect(dateNote(D('2026-09-22'))?.labels).toEqual([{ ja: '国民の休日', en: "Citizens' holiday" }]);
  });

  it('does not treat the year-end days as holidays (only government offices close then)', () => {
    expect(dateNote(D('2026-12-29'))).toBeNull(); // Tuesday
  });
});
