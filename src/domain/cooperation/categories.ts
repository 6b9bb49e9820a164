/**
 * Art 4.2 of the memorandum (第4条第2項): the eight matters on which the parties cooperate 「合理的な
 * 範囲で」, in the memorandum's order, with its own Japanese wording. A cooperation request names
 * one of them; its duty is clause `4.2(n)`.
 */
export const COOPERATION_CATEGORIES = [
  'cause_analysis',
  'damage_scope',
  'prevention_plan',
  'authority_report',
  'individual_notice',
  'public_relations',
  'evidence_and_logs',
  'other',
] as const;
export type CooperationCategory = (typeof COOPERATION_CATEGORIES)[number];

/** Art 4.2 (1)-(8), the memorandum's words. */
export const COOPERATION_CATEGORY_LABELS: Record<CooperationCategory, { ja: string; en: string }> = {
  cause_analysis: { ja: '事故原因の調査及び解析', en: 'Investigating and analysing the cause' },
  damage_scope: { ja: '被害範囲の特定', en: 'Identifying the extent of the damage' },
  prevention_plan: { ja: '再発防止策の策定', en: 'Drawing up measures against recurrence' },
  authority_report: {
    ja: '行政機関その他関係機関への報告対応',
    en: 'Reports to administrative and other authorities',
  },
  individual_notice: { ja: '対象者への通知対応', en: 'Notifying the persons concerned' },
  public_relations: {
    ja: '記者発表その他の広報対応',
    en: 'Press releases and other public relations',
  },
  evidence_and_logs: { ja: '証拠保全及びログ解析', en: 'Preserving evidence and analysing logs' },
  other: { ja: 'その他事故対応に必要な事項', en: 'Other matters needed to handle the incident' },
};

/** The item number n of Art 4.2(n) (1-8). */
export function cooperationItem(category: CooperationCategory): number {
  return COOPERATION_CATEGORIES.indexOf(category) + 1;
}

/** The clause of a request's response duty: `4.2(n)`. */
export function cooperationClause(category: CooperationCategory): string {
  return `4.2(${cooperationItem(category)})`;
}

export function isCooperationCategory(c: string): c is CooperationCategory {
  return (COOPERATION_CATEGORIES as readonly string[]).includes(c);
}
