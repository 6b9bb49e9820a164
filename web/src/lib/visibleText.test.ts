import { describe, expect, it } from 'vitest';
import { showBidiControls } from './visibleText';

describe('showBidiControls', () => {
  it('shows bidirectional override, embedding, isolate and mark characters as visible markers', () => {
    expect(showBidiControls('evil\u202Egnp.exe')).toBe('evil⟦U+202E⟧gnp.exe');
    expect(showBidiControls('a\u2066b\u2069c\u200Ed\u200Fe\u202Af')).toBe(
      'a⟦U+2066⟧b⟦U+2069⟧c⟦U+200E⟧d⟦U+200F⟧e⟦U+202A⟧f',
    );
  });

  it('leaves other text (Japanese, Arabic, emoji, newlines) and empty values alone', () => {
    for (const s of ['株式会社テスト', 'مرحبا', '😀 ok', 'line\nline', ''])
      expect(showBidiControls(s)).toBe(s);
    expect(showBidiControls(null)).toBeNull();
    expect(showBidiControls(undefined)).toBeUndefined();
  });
});
