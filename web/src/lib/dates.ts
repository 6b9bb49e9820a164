/**
 * Date display. Contract dates are local dates (YYYY-MM-DD) without a zone: they are formatted
 * as UTC calendar days so no browser time zone can shift them. Instants display in Asia/Tokyo.
 */
import type { IsoDate, Locale } from '../api/types';
import { formatDateWithWeekday } from '../../../src/domain/shared/deadline';

const TOKYO = 'Asia/Tokyo';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(iso: IsoDate): Date | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

const wareki = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'UTC',
});

/**
 * A contract date with its weekday: 「2026年4月2日（木）」 / 'Thu 2 Apr 2026' — the domain's formatter,
 * so the agreement page's term dates read as the mail and the digest do.
 */
export function formatDate(iso: IsoDate | null | undefined, lang: Locale): string {
  return formatDateWithWeekday(iso, lang);
}

/** 令和8年4月2日 (used beside the western date when an agreement is styled 和暦). */
export function formatWareki(iso: IsoDate | null | undefined): string {
  if (!iso) return '—';
  const d = parts(iso);
  return d ? wareki.format(d) : iso;
}

const instantFormats: Record<Locale, Intl.DateTimeFormat> = {
  // Explicit parts: ja-JP's timeStyle leaves single-digit hours unpadded (3:10:00 next to 19:54:00).
  ja: new Intl.DateTimeFormat('ja-JP', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: TOKYO,
  }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: TOKYO }),
};

/** An instant in Japan time: 2026/04/01 10:00:00 JST. */
export function formatInstant(instant: string | null | undefined, lang: Locale): string {
  if (!instant) return '—';
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  return `${instantFormats[lang].format(d)} JST`;
}

/** Today's date in Asia/Tokyo as YYYY-MM-DD. */
export function todayInTokyo(now: Date = new Date()): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TOKYO }).format(now);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) return NaN;
  return Math.round((b.getTime() - a.getTime()) / 86_400_000);
}

export function isIsoDate(s: string): boolean {
  const d = parts(s);
  return d !== null && d.toISOString().slice(0, 10) === s;
}

/** Deadlines with the weekday in Japan time: one formatter for the web, mail and documents. */
export { formatDue } from '../../../src/domain/shared/deadline';
