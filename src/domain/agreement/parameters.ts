/**
 * Agreement parameters. Each defaults to the memorandum's text (legal-rules §1) because real
 * parties amend them; the document's annex (運用細則) lists those that differ.
 */
export interface AgreementParameters {
  /** Art 3.1 「速やかに」: concrete notice target in hours from discovery. */
  noticeTargetHours: number;
  /** Art 3.3 「速やかに」: containment decision target in hours from discovery. */
  containmentTargetHours: number;
  /** Art 3.2(6): the shortest time a request for further items may leave the other party to answer. */
  itemRequestMinHours: number;
  /**
   * Art 4.2 「合理的な範囲で」: the time a cooperation request leaves the requested party to answer
   * (accept, decline with a reason, or deliver) when the request sets none, in hours.
   */
  cooperationResponseHours: number;
  /** Art 11.1: initial term, months from signing. */
  termMonths: number;
  /** Art 11.2: each renewal term in months; 0 = no automatic renewal. */
  renewalMonths: number;
  /** Art 11.2: written notice of termination at least this many months before expiry. */
  terminationNoticeMonths: number;
  /** Civil Code 138/140: whether the signing day counts as the first day of the term. */
  countSigningDay: boolean;
  /** Art 11.3: articles that survive the end of the agreement. */
  survivingArticles: number[];
}

export const DEFAULT_PARAMETERS: Readonly<AgreementParameters> = Object.freeze({
  noticeTargetHours: 24,
  containmentTargetHours: 24,
  itemRequestMinHours: 24,
  cooperationResponseHours: 72,
  termMonths: 12,
  renewalMonths: 12,
  terminationNoticeMonths: 1,
  countSigningDay: false,
  survivingArticles: [5, 8, 9],
});

export function withDefaults(partial: Partial<AgreementParameters> | undefined): AgreementParameters {
  const merged = { ...DEFAULT_PARAMETERS, ...(partial ?? {}) };
  return {
    ...merged,
    survivingArticles: [...new Set(merged.survivingArticles)].sort((a, b) => a - b),
  };
}

export type ParameterName = keyof AgreementParameters;

/** Parameters whose value differs from the memorandum's text, in a stable order. */
export function changedParameters(p: AgreementParameters): ParameterName[] {
  const names = Object.keys(DEFAULT_PARAMETERS) as ParameterName[];
  return names.filter((name) => {
    const a = p[name];
    const b = DEFAULT_PARAMETERS[name];
    return Array.isArray(a) && Array.isArray(b) ? a.join(',') !== b.join(',') : a !== b;
  });
}
