/**
 * The app's Mantine theme. Colour contrast is settled here, once, rather than element by element
 * (issue 8 item 8, WCAG 2 AA 1.4.3): Mantine's default shades 6-9 are too light to read as text
 * (indigo-6 links 4.3:1, red-7 3.8:1, orange-9 on its light badge 3.3:1, white on teal-6 2.6:1), so
 * every palette's text shades are darkened just enough (lib/contrast.ts), and dimmed text is gray-7
 * instead of gray-6 (3.3:1 on white). test/e2e/accessibility.e2e.ts keeps axe-core at zero.
 */
import {
  DEFAULT_THEME,
  createTheme,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core';
import { readablePalette } from './lib/contrast';

const colors = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors)
    // `dark` is the dark scheme's background scale, not a text colour.
    .filter(([name]) => name !== 'dark')
    .map(([name, shades]) => [name, readablePalette(shades) as unknown as MantineColorsTuple]),
);

export const theme = createTheme({
  primaryColor: 'indigo',
  colors,
  // Latin and kana from the same family where the OS has one (Hiragino, Meiryo, Noto Sans JP);
  // IPA P Gothic (proportional) on Debian. Never the fixed-width IPAGothic.
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", Meiryo, "IPAPGothic", Roboto, "Helvetica Neue", Arial, sans-serif',
});

/** Dimmed text (c="dimmed": hints, secondary lines) reads at 7:1 or more on white and the light tints. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
