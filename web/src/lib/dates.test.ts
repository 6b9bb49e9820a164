import { describe, expect, it } from 'vitest';
import { formatDate } from './dates';

describe('formatDate: term dates on the agreement page carry the weekday', () => {
  it('「2027年3月31日（水）」 / "Wed 31 Mar 2027", whatever the device time zone', () => {
    expect(formatDate('2027-03-31', 'ja')).toBe('2027年3月31日（水）');
    expect(formatDate('2027-03-31', 'en')).toBe('Wed 31 Mar 2027');
    expect(formatDate('2026-04-02', 'ja')).toBe('2026年4月2日（木）');
  });
  it('absent or impossible dates', () => {
    expect(formatDate(null, 'ja')).toBe('—');
    expect(formatDate('2027-02-30', 'en')).toBe('2027-02-30');
  });
});
