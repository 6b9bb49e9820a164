import { DEFAULT_PARAMETERS, type AgreementParameters, type ParameterName } from '../api/types';

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
