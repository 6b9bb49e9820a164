/**
 * Instants entered and shown in Japan time. Asia/Tokyo has had no daylight saving since 1951, so
 * a wall-clock time there is exactly UTC+09:00: the inputs send `…+09:00` whatever the device's zone.
 */
import type { Locale } from '../api/types';

const TOKYO = 'Asia/Tokyo';
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const inputFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TOKYO,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The value of an `<input type="datetime-local">` showing `d` in Japan time (minute precision). */
export function toTokyoInput(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  const p = Object.fromEntries(inputFormat.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** `2026-11-27T10:40` (Japan time) → `2026-11-27T10:40:00+09:00`; null when not a valid time. */
export function fromTokyoInput(value: string): string | null {
  const m = LOCAL.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const utc = new Date(Date.UTC(y, mo - 1, d, h - 9, mi));
  if (Number.isNaN(utc.getTime()) || toTokyoInput(utc) !== value) return null;
  return `${value}:00+09:00`;
}

/** The calendar date in Japan time of an instant, as YYYY-MM-DD. */
export function tokyoDate(instant: string): string {
  return toTokyoInput(instant).slice(0, 10);
}

const shortFormats: Record<Locale, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', {
    timeZone: TOKYO,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: TOKYO,
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
};

/** 11/27 10:40 — a compact Japan time for dense places (the timeline). */
export function formatShortInstant(instant: string | number, lang: Locale): string {
  return shortFormats[lang].format(new Date(instant));
}

/**
 * A span for a clock: `3時間12分`, `1日4時間`, `2時間`, `25分` (ja) / `3 h 12 min` (en) — the same pure
 * formatter the server's mail uses (with `timeLeft`), so screen and mail say the same.
 */
export { formatDuration, timeLeft } from '../../../src/domain/shared/deadline';
