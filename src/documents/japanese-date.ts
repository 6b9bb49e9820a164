import type { Temporal } from '../domain/shared/time.js';

export type DateStyle = 'western' | 'japanese';

/**
 * 2026年4月1日 (西暦) or 令和8年4月1日 (和暦). The first year of an era is written 元年
 * (令和元年5月1日): `Intl` gives the number 1 for the year part with numeric options, so the
 * 元 is applied here rather than relying on the ICU pattern.
 */
export function formatJapaneseDate(d: Temporal.PlainDate, style: DateStyle): string {
  if (style === 'western') return `${d.year}年${d.month}月${d.day}日`;
  const { era, year } = japaneseEraYear(d);
  return `${era}${year === 1 ? '元' : String(year)}年${d.month}月${d.day}日`;
}

let formatter: Intl.DateTimeFormat | undefined;

/** The Japanese era and year of the era, from `Intl` (japanese calendar), with a table as fallback. */
export function japaneseEraYear(d: Temporal.PlainDate): { era: string; year: number } {
  try {
    formatter ??= new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
      era: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const date = new Date(Date.UTC(2000, d.month - 1, d.day));
    date.setUTCFullYear(d.year);
    const parts = formatter.formatToParts(date);
    const era = parts.find((p) => p.type === 'era')?.value;
    const year = Number(parts.find((p) => p.type === 'year')?.value);
    if (era && /^\p{Script=Han}+$/u.test(era) && era !== '西暦' && Number.isInteger(year) && year > 0) {
      return { era, year };
    }
  } catch {
    // fall through: a Node built without full ICU may not know the japanese calendar
  }
  return eraFromTable(d);
}

/** Modern eras by first day; 明治 from the adoption of the solar calendar (明治6年). */
const ERAS: ReadonlyArray<{ era: string; start: [number, number, number] }> = [
  { era: '令和', start: [2019, 5, 1] },
  { era: '平成', start: [1989, 1, 8] },
  { era: '昭和', start: [1926, 12, 25] },
  { era: '大正', start: [1912, 7, 30] },
  { era: '明治', start: [1873, 1, 1] },
];

/** The fallback, exported for its tests. */
export function eraFromTable(d: Temporal.PlainDate): { era: string; year: number } {
  const key = d.year * 10000 + d.month * 100 + d.day;
  for (const { era, start } of ERAS) {
    if (key >= start[0] * 10000 + start[1] * 100 + start[2]) return { era, year: d.year - start[0] + 1 };
  }
  throw new RangeError(`no Japanese era for ${d.toString()} (before 明治6年, the solar calendar)`);
}
