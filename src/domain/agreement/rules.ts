/**
 * The rules the term engine (term.ts) applies, with the one-line explanation the UI shows beside
 * each date it computes. Every date in a `TermEvaluation` names at least one of these ids, so a
 * lawyer can audit which article produced which date (legal-rules §1 Art 11, §2 Civil Code).
 *
 * The texts depend on the agreement's parameters (the parties may amend "1 year" and "1 month"),
 * so call `describeRule(id, parameters)`; `TERM_RULES` holds the texts for the memorandum's own
 * wording (DEFAULT_PARAMETERS).
 */
import type { AgreementParameters } from './parameters.js';
import { DEFAULT_PARAMETERS } from './parameters.js';

export const RULE_IDS = [
  'civil-140',
  'civil-138',
  'civil-143',
  'civil-142',
  'art-11-1',
  'art-11-2-renewal-start',
  'art-11-2-renewal-term',
  'art-11-2-notice-deadline',
  'art-11-2-termination',
  'art-11-2-late-notice',
  'no-renewal',
  'mutual-termination',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** The dated fields of a `TermEvaluation`. */
export type TermField =
  'start' | 'initialEnd' | 'currentTermStart' | 'currentTermEnd' | 'terminationNoticeDeadline' | 'endsOn';

/**
 * Which rule produced which date. A field may carry several refs (e.g. Art 11.1 gives the length,
 * Civil Code 143 the way it is counted); the first ref of a field is the primary one.
 */
export interface TermRuleRef {
  field: TermField;
  ruleId: RuleId;
}

export interface RuleText {
  ja: string;
  en: string;
}

export interface TermRule extends RuleText {
  id: RuleId;
  /** Short citation, e.g. 民法第140条 or 第11条第2項. */
  article: string;
  /** The same citation in English. */
  articleEn: string;
}

export type RuleParameters = Pick<
  AgreementParameters,
  'termMonths' | 'renewalMonths' | 'terminationNoticeMonths'
>;

/** 12 → 1年, 18 → 18か月 (a months count written as lawyers would write it). */
function periodJa(months: number): string {
  return months > 0 && months % 12 === 0 ? `${months / 12}年` : `${months}か月`;
}

function periodEn(months: number): string {
  if (months > 0 && months % 12 === 0) {
    const years = months / 12;
    return years === 1 ? '1 year' : `${years} years`;
  }
  return months === 1 ? '1 month' : `${months} months`;
}

const ARTICLES: Record<RuleId, { ja: string; en: string }> = {
  'civil-140': { ja: '民法第140条', en: 'Civil Code Art 140' },
  'civil-138': { ja: '民法第138条', en: 'Civil Code Art 138' },
  'civil-143': { ja: '民法第143条', en: 'Civil Code Art 143' },
  'civil-142': { ja: '民法第142条', en: 'Civil Code Art 142' },
  'art-11-1': { ja: '第11条第1項', en: 'Art 11.1' },
  'art-11-2-renewal-start': { ja: '第11条第2項', en: 'Art 11.2' },
  'art-11-2-renewal-term': { ja: '第11条第2項', en: 'Art 11.2' },
  'art-11-2-notice-deadline': { ja: '第11条第2項', en: 'Art 11.2' },
  'art-11-2-termination': { ja: '第11条第2項', en: 'Art 11.2' },
  'art-11-2-late-notice': { ja: '第11条第2項', en: 'Art 11.2' },
  'no-renewal': { ja: '第11条第2項（運用細則で変更）', en: 'Art 11.2 (amended in the annex)' },
  'mutual-termination': { ja: '合意解約（民法第521条）', en: 'Mutual termination (Civil Code Art 521)' },
};

/** The one-line explanation of a rule for these parameters, in Japanese and English. */
export function describeRule(id: RuleId, params: RuleParameters = DEFAULT_PARAMETERS): RuleText {
  const a = ARTICLES[id];
  const n = params.terminationNoticeMonths;
  switch (id) {
    case 'civil-140':
      return {
        ja: `${a.ja}: 初日不算入（締結日の翌日から起算）`,
        en: `${a.en}: the first day is not counted (the term starts the day after signing)`,
      };
    case 'civil-138':
      return {
        ja: `${a.ja}: 当事者の合意により初日算入（締結日から起算）`,
        en: `${a.en}: by agreement of the parties the signing day counts as the first day`,
      };
    case 'civil-143':
      return {
        ja: `${a.ja}: 暦に従って計算し、起算日の応当日の前日に満了（応当日がなければその月の末日）。満了日の終了をもって満了（民法第141条）`,
        en: `${a.en}: months follow the calendar; the period ends on the day before the day corresponding to its first day (on the month's last day if there is none), at the end of that day (Art 141)`,
      };
    case 'civil-142':
      return {
        ja: `${a.ja}: 土日・祝日に当たっても日付は繰り延べない（休日に取引をしない慣習を前提としない）`,
        en: `${a.en}: the date is not moved for a weekend or holiday (no custom of not trading on holidays is assumed)`,
      };
    case 'art-11-1':
      return {
        ja: `${a.ja}: 有効期間は締結日から${periodJa(params.termMonths)}間`,
        en: `${a.en}: the agreement runs for ${periodEn(params.termMonths)} from signing`,
      };
    case 'art-11-2-renewal-start':
      return {
        ja: `${a.ja}: 更新後の期間は前期間の満了日の翌日午前0時に始まる（初日算入、民法第140条ただし書）`,
        en: `${a.en}: a renewal term starts at 00:00 on the day after the previous term ends, so its first day counts (Civil Code Art 140 proviso)`,
      };
    case 'art-11-2-renewal-term':
      return {
        ja: `${a.ja}: 終了の意思表示がなければ同一条件でさらに${periodJa(params.renewalMonths)}間更新`,
        en: `${a.en}: without a termination notice the agreement renews on the same terms for a further ${periodEn(params.renewalMonths)}`,
      };
    case 'art-11-2-notice-deadline':
      return n === 0
        ? {
            ja: `${a.ja}: 終了の意思表示は期間満了日まで（当日必着）`,
            en: `${a.en}: written notice of termination must arrive by the expiry date (arriving on that day is on time)`,
          }
        : {
            ja: `${a.ja}: 終了の意思表示は期間満了の${periodJa(n)}前まで（満了日から暦で${periodJa(n)}遡った日、その日がなければ月末。当日必着）`,
            en: `${a.en}: written notice of termination must arrive at least ${periodEn(n)} before expiry (the expiry date minus ${periodEn(n)} on the calendar, or that month's last day; arriving on that day is on time)`,
          };
    case 'art-11-2-termination':
      return {
        ja: `${a.ja}: 期限内に書面による終了の意思表示があったため、当期の満了日をもって終了`,
        en: `${a.en}: written notice of termination arrived by the deadline, so the agreement ends when the current term expires`,
      };
    case 'art-11-2-late-notice':
      return {
        ja: `${a.ja}: 期限後の意思表示のため、本システムでは次の期間満了時に終了するものと解釈しています（期限に間に合う最初の期間の満了時。本覚書は期限後の意思表示の効果を定めていません）`,
        en: `${a.en}: the notice arrived after the deadline, so this system reads it as ending the agreement when the next term expires (the first term whose deadline it meets; the memorandum does not say what a late notice does)`,
      };
    case 'mutual-termination':
      return {
        ja: `${a.ja}: 両当事者の合意により、合意した終了日の前日をもって終了（以後は第11条第3項の存続条項のみ効力を有する）`,
        en: `${a.en}: ended by agreement of both parties on the day before the agreed termination date (afterwards only the articles surviving under Art 11.3 apply)`,
      };
    case 'no-renewal':
      return {
        ja: `${a.ja}: 自動更新なし（更新期間0か月）のため、当初期間の満了日をもって終了`,
        en: `${a.en}: no automatic renewal (renewal period 0 months), so the agreement ends when the initial term expires`,
      };
  }
}

export function termRule(id: RuleId, params: RuleParameters = DEFAULT_PARAMETERS): TermRule {
  const a = ARTICLES[id];
  return { id, article: a.ja, articleEn: a.en, ...describeRule(id, params) };
}

/** The rule table with the memorandum's own wording (DEFAULT_PARAMETERS). */
export const TERM_RULES: Readonly<Record<RuleId, TermRule>> = Object.freeze(
  Object.fromEntries(RULE_IDS.map((id) => [id, termRule(id)])) as Record<RuleId, TermRule>,
);

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
