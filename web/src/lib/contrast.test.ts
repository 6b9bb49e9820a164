import { describe, expect, it } from 'vitest';
import { DEFAULT_THEME } from '@mantine/core';
import { TEXT_CONTRAST, TEXT_SHADES, contrast, darken, luminance, readablePalette } from './contrast';
import { theme } from '../theme';

describe('WCAG 2 contrast', () => {
  it('computes the luminance and ratio of the standard examples', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1, 6);
    expect(luminance('#000000')).toBe(0);
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 6);
    // Mantine's gray-6 (its dimmed text) on white: the 3.32 axe-core reported.
    expect(contrast('#868e96', '#ffffff')).toBeCloseTo(3.32, 2);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('darkens toward black keeping the hue', () => {
    expect(darken('#ff8000', 0.5)).toBe('#804000');
    expect(darken('#123456', 0)).toBe('#123456');
    expect(darken('#123456', 1)).toBe('#000000');
    expect(() => darken('red', 0.1)).toThrow();
  });
});

describe('readable palettes', () => {
  const white = '#ffffff';
  for (const [name, shades] of Object.entries(DEFAULT_THEME.colors).filter(([n]) => n !== 'dark')) {
    it(`${name}: text shades read on white, on the light tints and under white text; light shades kept`, () => {
      const p = readablePalette(shades);
      expect(p.slice(0, 6)).toEqual([...shades.slice(0, 6)]);
      for (const i of TEXT_SHADES) {
        expect(contrast(p[i]!, white), `${name}-${i} on white`).toBeGreaterThanOrEqual(TEXT_CONTRAST);
        expect(contrast(p[i]!, p[0]!), `${name}-${i} on ${name}-0`).toBeGreaterThanOrEqual(TEXT_CONTRAST);
        expect(contrast(p[i]!, p[1]!), `${name}-${i} on ${name}-1`).toBeGreaterThanOrEqual(TEXT_CONTRAST);
      }
      // Darker shade by shade, so 7, 8 and 9 stay distinguishable.
      for (const i of [7, 8, 9]) expect(luminance(p[i]!)).toBeLessThan(luminance(p[i - 1]!));
    });
  }

  it('leaves a shade that already reads unchanged', () => {
    const gray = DEFAULT_THEME.colors.gray;
    const p = readablePalette(gray);
    expect(p.slice(7)).toEqual([...gray.slice(7)]);
    expect(p[6]).not.toBe(gray[6]);
  });

  it('the theme uses them for every colour but the dark scheme scale', () => {
    expect(theme.colors?.red?.[6]).toBe(readablePalette(DEFAULT_THEME.colors.red)[6]);
    expect(contrast(theme.colors!.indigo![6], white)).toBeGreaterThanOrEqual(TEXT_CONTRAST);
    expect(theme.colors?.dark).toBeUndefined();
  });
});
