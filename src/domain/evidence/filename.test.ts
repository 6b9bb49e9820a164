import { describe, expect, it } from 'vitest';
import { filenameProblem, MAX_FILENAME_BYTES } from './filename.js';

describe('filenameProblem', () => {
  it('accepts plain names, Japanese ones and exactly 255 UTF-8 bytes', () => {
    for (const ok of [
      'access.log',
      'アクセスログ 2026-11-27.csv',
      '.htaccess',
      'a..b',
      'あ'.repeat(85),
      '😀.png',
    ]) {
      expect(filenameProblem(ok), ok).toBeNull();
    }
    expect(new TextEncoder().encode('あ'.repeat(85)).length).toBe(MAX_FILENAME_BYTES);
  });

  it('refuses empty, . and .., separators, controls, unpaired surrogates and over 255 bytes', () => {
    for (const bad of [
      '',
      '.',
      '..',
      'a/b',
      '/etc/passwd',
      'a\\b',
      'a\u0000b',
      'a\tb',
      'a\u007fb',
      'a\u009bb',
      'a\ud800b',
      'a\udc00',
      `${'あ'.repeat(85)}x`,
    ]) {
      const p = filenameProblem(bad);
      expect(p, JSON.stringify(bad)).not.toBeNull();
      expect(p?.ja).toBeTruthy();
      expect(p?.en).toBeTruthy();
    }
  });
});
