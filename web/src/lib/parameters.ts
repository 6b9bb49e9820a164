import { DEFAULT_PARAMETERS, type AgreementParameters, type Locale, type ParameterName } from '../api/types';

export const PARAMETER_NAMES = Object.keys(DEFAULT_PARAMETERS) as ParameterName[];

function same(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.join(',') === b.join(',') : a === b;
}

export function isChanged(p: AgreementParameters, name: ParameterName): boolean {
  return !same(p[name], DEFAULT_PARAMETERS[name]);
}

/** Only the parameters that differ from the memorandum's text (undefined when none). */
export function changedOnly(p: AgreementParameters): Partial<AgreementParameters> | undefined {
  const out: Partial<AgreementParameters> = {};
  let any = false;
  for (const name of PARAMETER_NAMES) {
    if (isChanged(p, name)) {
      (out as Record<string, unknown>)[name] = p[name];
      any = true;
    }
  }
  return any ? out : undefined;
}

/** "5, 8, 9" → [5, 8, 9]; unique, sorted, only article numbers 1-13 of the memorandum. */
export function parseArticles(text: string): number[] {
  const nums = text
    .split(/[,、，\s]+/)
    .map((s) => s.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
    .filter((n) => n >= 1 && n <= 13);
  return [...new Set(nums)].sort((a, b) => a - b);
}

/**
 * Articles as a legal text lists them: [5, 8, 9] → 「第5条、第8条及び第9条」 (as the memorandum and
 * its annex write them), "Art 5, 8 and 9" in English; no articles → なし / none.
 */
export function formatArticleList(articles: readonly number[], lang: Locale): string {
  if (articles.length === 0) return lang === 'en' ? 'none' : 'なし';
  if (lang === 'en') {
    const nums = articles.map(String);
    return `Art ${nums.length === 1 ? nums[0] : `${nums.slice(0, -1).join(', ')} and ${nums.at(-1)}`}`;
  }
  const names = articles.map((n) => `第${n}条`);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join('、')}及び${names.at(-1)}`;
}
