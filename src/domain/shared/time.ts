import { Temporal } from 'temporal-polyfill';

export { Temporal };

export type LocalDate = Temporal.PlainDate;
export type Instant = Temporal.Instant;

/** Contractual days are local dates in Japan (legal-rules §6). */
export const TOKYO = 'Asia/Tokyo';

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
  return now.toZonedDateTimeISO(timeZone).toPlainDate();
}

export function formatDate(d: LocalDate): string {
  return d.toString();
}

/** Fixed-width ISO instant (millisecond precision, UTC) so stored text sorts chronologically. */
export function isoInstant(i: Instant): string {
  return i.toString({ fractionalSecondDigits: 3 });
}

export function addHours(i: Instant, hours: number): Instant {
  // Civil Code 139: a period in hours runs from the moment.
  return i.add({ hours });
}
