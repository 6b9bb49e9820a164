import { describe, expect, it } from 'vitest';
import { formatDue } from './deadline.js';

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
