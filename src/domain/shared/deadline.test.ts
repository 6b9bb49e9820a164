import { describe, expect, it } from 'vitest';
import {
  DUE_GROUP_LABELS,
  DUE_GROUPS,
  dueGroup,
  formatDateWithWeekday,
  formatDue,
  formatDueWithLeft,
  formatDuration,
  timeLeft,
} from './deadline.js';

describe('formatDue: deadlines with the weekday, in Japan time', () => {
  it('reads as the issue asks: 「2026年12月1日（火）4時48分」 / "Tue 1 Dec 2026, 04:48 JST"', () => {
    // 2026-11-30T19:48Z is 04:48 on Tuesday 1 December in Tokyo (the UTC date is still Monday).
    expect(formatDue('2026-11-30T19:48:00.000Z', 'ja')).toBe('2026年12月1日（火）4時48分');
    expect(formatDue('2026-11-30T19:48:00.000Z', 'en')).toBe('Tue 1 Dec 2026, 04:48 JST');
  });

  it('midnight is 0時; every weekday is named', () => {
    expect(formatDue('2026-12-05T15:00:00.000Z', 'ja')).toBe('2026年12月6日（日）0時00分');
    const days = ['月', '火', '水', '木', '金', '土', '日'];
    for (let i = 0; i < 7; i++) {
      // Monday 2026-11-30, 12:00 in Tokyo (03:00Z), then the following days.
      const at = new Date(Date.UTC(2026, 10, 30 + i, 3)).toISOString();
      expect(formatDue(at, 'ja')).toContain(`（${days[i]}）`);
    }
  });

  it('an absent or unreadable value', () => {
    expect(formatDue(null, 'ja')).toBe('—');
    expect(formatDue('not a date', 'en')).toBe('not a date');
  });
});

describe('timeLeft and formatDueWithLeft: the time left beside every deadline', () => {
  const due = '2026-11-30T19:48:00.000Z'; // 4:48 on Tue 1 Dec in Tokyo
  const at = (iso: string) => Date.parse(iso);

  it('reads as the issue asks: 「2026年12月1日（火）4時48分まで（あと17時間）」', () => {
    expect(formatDueWithLeft(due, at('2026-11-30T02:48:00Z'), 'ja')).toBe(
      '2026年12月1日（火）4時48分まで（あと17時間）',
    );
    expect(formatDueWithLeft(due, at('2026-11-30T02:48:00Z'), 'en')).toBe(
      'by Tue 1 Dec 2026, 04:48 JST (17 h left)',
    );
  });

  it('hours and minutes; days drop the minutes; under a minute is 0分', () => {
    expect(timeLeft(at(due), at('2026-11-30T16:36:00Z'), 'ja')).toBe('あと3時間12分');
    expect(timeLeft(at(due), at('2026-11-29T15:30:00Z'), 'ja')).toBe('あと1日4時間');
    expect(timeLeft(at(due), at('2026-11-29T15:30:00Z'), 'en')).toBe('1 d 4 h left');
    expect(timeLeft(at(due), at(due) - 59_000, 'ja')).toBe('あと0分');
    expect(timeLeft(at(due), at(due), 'en')).toBe('0 min left');
  });

  it('past the deadline it says how long overdue', () => {
    expect(timeLeft(at(due), at('2026-11-30T21:48:00Z'), 'ja')).toBe('2時間超過');
    expect(timeLeft(at(due), at('2026-11-30T21:48:00Z'), 'en')).toBe('2 h overdue');
    expect(formatDueWithLeft(due, at('2026-11-30T21:50:00Z'), 'ja')).toBe(
      '2026年12月1日（火）4時48分まで（2時間2分超過）',
    );
  });

  it('formatDuration: the same spans the web clocks show', () => {
    expect(formatDuration(25 * 60_000, 'ja')).toBe('25分');
    expect(formatDuration(2 * 3_600_000, 'en')).toBe('2 h');
    expect(formatDuration(-(3 * 3_600_000 + 12 * 60_000), 'en')).toBe('3 h 12 min');
  });
});

describe('dueGroup: the work queue groups by exact hours', () => {
  const now = Date.parse('2026-11-30T00:00:00Z');
  const H = 3_600_000;
  it('期限超過 / 24時間以内 / 7日以内 / それ以降, boundaries inclusive', () => {
    expect(dueGroup(now - 1, now)).toBe('overdue');
    expect(dueGroup(now, now)).toBe('day');
    expect(dueGroup(now + 24 * H, now)).toBe('day');
    expect(dueGroup(now + 24 * H + 1, now)).toBe('week');
    expect(dueGroup(now + 168 * H, now)).toBe('week');
    expect(dueGroup(now + 168 * H + 1, now)).toBe('later');
    expect(DUE_GROUPS.map((g) => DUE_GROUP_LABELS[g].ja)).toEqual([
      '期限超過',
      '24時間以内',
      '7日以内',
      'それ以降',
    ]);
  });
});

describe('formatDateWithWeekday: contractual dates with their weekday', () => {
  it('「2027年3月31日（水）」 / "Wed 31 Mar 2027"', () => {
    expect(formatDateWithWeekday('2027-03-31', 'ja')).toBe('2027年3月31日（水）');
    expect(formatDateWithWeekday('2027-03-31', 'en')).toBe('Wed 31 Mar 2027');
    expect(formatDateWithWeekday('2026-04-01', 'ja')).toBe('2026年4月1日（水）');
    expect(formatDateWithWeekday('2028-02-29', 'en')).toBe('Tue 29 Feb 2028');
  });
  it('an absent, malformed or impossible date is shown as given', () => {
    expect(formatDateWithWeekday(null, 'ja')).toBe('—');
    expect(formatDateWithWeekday('2027-02-30', 'ja')).toBe('2027-02-30');
    expect(formatDateWithWeekday('31/03/2027', 'en')).toBe('31/03/2027');
  });
});
