import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoInstant, parseLocalDate, Temporal, todayIn } from './time.js';

describe('time helpers', () => {
  it('todayIn(Asia/Tokyo) equals the time-zone database answer for any instant since 1952', () => {
    // Japan observed daylight saving time 1948-1951; JST has been a fixed UTC+9 since.
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1952, 0, 1), max: 4_000_000_000_000 }), (ms) => {
        const i = Temporal.Instant.fromEpochMilliseconds(ms);
        expect(todayIn(i).toString()).toBe(i.toZonedDateTimeISO('Asia/Tokyo').toPlainDate().toString());
      }),
    );
  });

  it('todayIn crosses midnight at 15:00 UTC', () => {
    expect(todayIn(Temporal.Instant.from('2026-12-31T14:59:59.999Z')).toString()).toBe('2026-12-31');
    expect(todayIn(Temporal.Instant.from('2026-12-31T15:00:00Z')).toString()).toBe('2027-01-01');
  });

  it('isoInstant is fixed-width and equals Temporal’s millisecond text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
        const i = Temporal.Instant.fromEpochMilliseconds(ms);
        expect(isoInstant(i)).toBe(i.toString({ fractionalSecondDigits: 3 }));
        expect(isoInstant(i)).toHaveLength(24);
      }),
    );
  });

  it('parseLocalDate rejects impossible dates instead of clamping them', () => {
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('2028-02-29')?.toString()).toBe('2028-02-29');
    expect(parseLocalDate('2027-02-29')).toBeNull();
    expect(parseLocalDate('2026-4-1')).toBeNull();
  });
});
