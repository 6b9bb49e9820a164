/**
 * The English UI must not join facts with a Japanese 「・」: components take the separator from
 * the language's texts (common.sep 「・」 / ' · ', common.listSep 「、」 / ', '). Only the Japanese
 * texts (i18n/ja*.ts) and comments may contain it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ja } from '../i18n/ja';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The code of a file without its comments (a comment may quote Japanese text). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('list and fact separators', () => {
  it('no component or helper writes 「・」 itself (only the Japanese texts do)', () => {
    const files = sources(SRC).filter((f) => !/[/\\]i18n[/\\]ja[^/\\]*\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .filter((f) => code(readFileSync(f, 'utf8')).includes('・'))
      .map((f) => f.slice(SRC.length));
    expect(offenders).toEqual([]);
  });

  it('no English text contains 「・」', () => {
    const strings = (o: unknown): string[] =>
      typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : [];
    expect(strings(en).filter((s) => s.includes('・'))).toEqual([]);
  });

  it('each language has its own separators', () => {
    expect([ja.common.sep, ja.common.listSep]).toEqual(['・', '、']);
    expect([en.common.sep, en.common.listSep]).toEqual([' · ', ', ']);
  });
});
