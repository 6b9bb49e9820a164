import { describe, expect, it } from 'vitest';
import { placeAbove, placeLabel, textWidth, tickLabel, ticks, timeScale } from './timeline';

const HOUR = 3_600_000;
const bounds = { left: 2, right: 356 };

describe('timeline geometry', () => {
  it('spans the instants with a margin and ticks on Japan-time hours', () => {
    const from = Date.parse('2026-11-30T00:00:00Z');
    const scale = timeScale([from, from + 24 * HOUR], 12, 348);
    expect(scale.x(from)).toBeGreaterThan(12);
    expect(scale.x(from + 24 * HOUR)).toBeLessThan(348);
    const axis = ticks(scale, 3);
    expect(axis.at.length).toBeLessThanOrEqual(4);
    // 12-hour steps fall on 0:00 and 12:00 in Tokyo.
    for (const at of axis.at) expect(((at + 9 * HOUR) % (12 * HOUR)) / HOUR).toBe(0);
    expect(tickLabel(Date.parse('2026-11-30T15:00:00Z'), null, 12 * HOUR, 'ja')).toEqual(['12/1', '00:00']);
    expect(tickLabel(Date.parse('2026-11-30T15:00:00Z'), null, 12 * HOUR, 'en')).toEqual(['1 Dec', '00:00']);
  });

  it('measures full-width characters at about 1 em and Latin at about 0.58 em', () => {
    expect(textWidth('期限', 10)).toBe(20);
    expect(textWidth('12/1', 10)).toBeCloseTo(23.2, 5);
  });

  it('puts an event label right of its marker, else left, else inside the picture (never cut)', () => {
    expect(placeLabel(20, '発覚 11/30 03:09', 11, bounds)).toEqual({ x: 29, anchor: 'start' });
    expect(placeLabel(340, '発覚 11/30 03:09', 11, bounds)).toEqual({ x: 331, anchor: 'end' });
    const long = '第一報 受領確認 11/30 08:09 第一報 受領確認 11/30';
    const w = textWidth(long, 11);
    const placed = placeLabel(180, long, 11, bounds);
    expect(placed.anchor).toBe('start');
    expect(placed.x).toBeGreaterThanOrEqual(bounds.left);
    expect(placed.x + w).toBeLessThanOrEqual(bounds.right);
  });

  it('puts a deadline label above its bar, ending at the marker, inside the picture', () => {
    const label = '期限: 第3条第1項 通知 12/1 03:09';
    const w = textWidth(label, 11);
    // Room on the left: it ends at the marker (+7, the diamond's half width).
    expect(placeAbove(300, label, 11, bounds) + w).toBeCloseTo(307, 5);
    // A marker near the left edge: pulled right to start at the edge.
    expect(placeAbove(40, label, 11, bounds)).toBe(bounds.left);
    // A marker at the right edge: pulled left so it ends at the edge.
    expect(placeAbove(354, label, 11, bounds) + w).toBeCloseTo(bounds.right, 5);
  });
});
