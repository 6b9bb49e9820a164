/** Geometry for the incident timeline: a time scale, Japan-time ticks, and label placement. */
import type { Locale } from '../api/types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TOKYO_OFFSET = 9 * HOUR;
const STEPS = [
  15 * MIN,
  30 * MIN,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

export interface Scale {
  from: number;
  to: number;
  x: (ms: number) => number;
}

/** A linear scale over the given instants, padded so markers at the ends stay inside. */
export function timeScale(instants: number[], left: number, right: number): Scale {
  const lo = Math.min(...instants);
  const hi = Math.max(...instants);
  const span = Math.max(hi - lo, HOUR);
  const from = lo - span * 0.04;
  const to = hi + span * 0.04;
  return { from, to, x: (ms) => left + ((ms - from) / (to - from)) * (right - left) };
}

/** Tick instants on round Japan-time boundaries (hours, days), at most `maxTicks` of them. */
export function ticks(scale: Scale, maxTicks: number): { step: number; at: number[] } {
  const span = scale.to - scale.from;
  const step = STEPS.find((s) => span / s <= Math.max(2, maxTicks)) ?? STEPS[STEPS.length - 1]!;
  const first = Math.ceil((scale.from + TOKYO_OFFSET) / step) * step - TOKYO_OFFSET;
  const at: number[] = [];
  for (let t = first; t <= scale.to; t += step) at.push(t);
  return { step, at };
}

const dayFormat: Record<Locale, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', month: 'short', day: 'numeric' }),
};
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Two lines under a tick: the date (when it changes, or always for day steps) and the time. */
export function tickLabel(at: number, previous: number | null, step: number, lang: Locale): [string, string] {
  const day = dayFormat[lang].format(at);
  const newDay = previous === null || dayFormat[lang].format(previous) !== day;
  if (step >= DAY) return [day, ''];
  return [newDay ? day : '', timeFormat.format(at)];
}

/** Rough rendered width of a label at `fontSize` (full-width characters are about 1 em). */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) > 0x2e7f ? fontSize : fontSize * 0.58;
  return w;
}

/**
 * Puts a label right of its marker, or left when it would run past the right edge; when it fits
 * on neither side (a narrow phone) it is pulled inside the picture rather than cut at the edge.
 */
export function placeLabel(
  x: number,
  text: string,
  fontSize: number,
  bounds: { left: number; right: number },
): { x: number; anchor: 'start' | 'end' } {
  const w = textWidth(text, fontSize);
  if (x + 9 + w <= bounds.right) return { x: x + 9, anchor: 'start' };
  if (x - 9 - w >= bounds.left) return { x: x - 9, anchor: 'end' };
  return { x: Math.max(bounds.left, bounds.right - w), anchor: 'start' };
}

/**
 * A deadline's label, on its own line above the bar (never over it): it ends at the deadline's
 * marker `x` and is shifted right or left only as far as keeps it inside the picture. Returns the
 * label's left edge (text-anchor start).
 */
export function placeAbove(
  x: number,
  text: string,
  fontSize: number,
  bounds: { left: number; right: number },
): number {
  const w = textWidth(text, fontSize);
  return Math.max(bounds.left, Math.min(x + 7 - w, bounds.right - w));
}
