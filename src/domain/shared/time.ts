import { Temporal } from 'temporal-polyfill';

export { Temporal };

export type LocalDate = Temporal.PlainDate;
export type Instant = Temporal.Instant;

/** Contractual days are local dates in Japan (legal-rules §6). */
export const TOKYO = 'Asia/Tokyo';
const JST_OFFSET_MS = 9 * 3_600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses `YYYY-MM-DD` strictly: impossible dates such as 2026-02-30 are rejected
 * (Temporal's default would clamp them), returning null.
 */
export function parseLocalDate(text: string): LocalDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  try {
    return Temporal.PlainDate.from(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) },
      { overflow: 'reject' },
    );
  } catch {
    return null;
  }
}

export function todayIn(now: Instant, timeZone: string = TOKYO): LocalDate {
  if (timeZone === TOKYO) {
    // Japan Standard Time is a fixed UTC+9 (daylight saving ended in 1951; contractual dates are
    // never that old): shifting the instant
    // and reading the UTC calendar date is exact and ~20× cheaper than a time-zone lookup.
    const d = new Date(now.epochMilliseconds + JST_OFFSET_MS);
    return new Temporal.PlainDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return now.toZonedDateTimeISO(timeZone).toPlainDate();
}

export function formatDate(d: LocalDate): string {
  return d.toString();
}

/** Fixed-width ISO instant (millisecond precision, UTC) so stored text sorts chronologically. */
export function isoInstant(i: Instant): string {
  // Same text as i.toString({ fractionalSecondDigits: 3 }) for years 0-9999, at a tenth of the cost.
  return new Date(i.epochMilliseconds).toISOString();
}

export function addHours(i: Instant, hours: number): Instant {
  // Civil Code 139: a period in hours runs from the moment.
  return i.add({ hours });
}
