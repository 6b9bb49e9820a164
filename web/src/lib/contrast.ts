/**
 * WCAG 2 colour contrast (1.4.3): relative luminance, contrast ratio, and a palette whose text
 * shades are dark enough to read. Pure: the theme (web/src/theme.ts) builds its colours with it.
 */

/** The normal-size text minimum of WCAG 2 AA (1.4.3), with a little margin for rounding. */
export const TEXT_CONTRAST = 4.6;

function channels(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Mixes a colour with black by `amount` (0 to 1), keeping its hue. */
export function darken(hex: string, amount: number): string {
  const [r, g, b] = channels(hex);
  const f = 1 - amount;
  return toHex([r * f, g * f, b * f]);
}

/** The least darkening of `hex` (in 1 % steps) that reaches `ratio` against `background`. */
export function darkenTo(hex: string, background: string, ratio: number): string {
  for (let step = 0; step <= 100; step++) {
    const c = darken(hex, step / 100);
    if (contrast(c, background) >= ratio) return c;
  }
  return '#000000';
}

/** Shades used for text, filled backgrounds under white text, and the light variant's text. */
export const TEXT_SHADES = [6, 7, 8, 9] as const;
/** Each text shade reads this much more strongly than the one before, so the steps stay visible. */
const STEP = 1.12;

/**
 * A ten-shade palette (Mantine's tuple) whose shades 6-9 are readable as text: each reaches
 * TEXT_CONTRAST against the palette's own shade 1 (the light variant's background; so also against
 * shade 0 and white), and white text on it reaches it too (filled buttons and badges use shade 6).
 * Shades 0-5 (backgrounds, borders, bars) are kept as they are.
 */
export function readablePalette(shades: readonly string[]): string[] {
  const out = [...shades];
  const light = shades[1]!;
  let previous = 0;
  for (const i of TEXT_SHADES) {
    const target = Math.max(TEXT_CONTRAST, previous * STEP);
    const c = darkenTo(shades[i]!, light, target);
    out[i] = contrast(c, '#ffffff') >= TEXT_CONTRAST ? c : darkenTo(c, '#ffffff', TEXT_CONTRAST);
    previous = contrast(out[i]!, light);
  }
  return out;
}
