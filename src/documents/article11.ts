/**
 * Art 11 (有効期間) of the memorandum as the agreement's parameters make it. The memorandum's text
 * says 1年間, 1か月前, さらに1年間 and 第5条、第8条及び第9条; when the parties agree other terms
 * (termMonths, renewalMonths — 0 = no renewal —, terminationNoticeMonths, countSigningDay,
 * survivingArticles) the body must say so rather than contradict the annex. With the memorandum's
 * own parameters these functions return the memorandum's text exactly (tested).
 */
import type { AgreementParameters } from '../domain/agreement/parameters.js';
import { formatArticleList } from './annex.js';

/** 12 → 1年間, 24 → 2年間, 18 → 18か月間 (the memorandum writes 1年間). */
export function periodText(months: number): string {
  return months > 0 && months % 12 === 0 ? `${months / 12}年間` : `${months}か月間`;
}

/** 1 → 1か月前 (the memorandum's wording); 0 → the expiry date itself. */
function noticeLimit(months: number): string {
  return months === 0 ? '期間満了日まで' : `期間満了の${months}か月前まで`;
}

/** The three paragraphs of Art 11 (texts without their numbers) for these parameters. */
export function article11Texts(p: AgreementParameters): [string, string, string] {
  // 11.1 + 民法第140条: 「締結日から」 does not count the signing day; when the parties agreed that
  // it counts (民法第138条), the text says so.
  const first = p.countSigningDay
    ? `本覚書の有効期間は、本覚書締結日を初日として${periodText(p.termMonths)}とする。`
    : `本覚書の有効期間は、本覚書締結日から${periodText(p.termMonths)}とする。`;
  const second =
    p.renewalMonths === 0
      ? '本覚書は、前項の期間の満了をもって終了し、更新されないものとする。'
      : `${noticeLimit(p.terminationNoticeMonths)}に甲乙いずれからも書面による終了の意思表示がない場合、本覚書は同一条件でさらに${periodText(p.renewalMonths)}更新されるものとし、以後も同様とする。`;
  const third =
    p.survivingArticles.length === 0
      ? '本覚書終了後は、本覚書のいずれの規定も効力を失う。'
      : `本覚書終了後も、${formatArticleList(p.survivingArticles)}の規定は有効に存続する。`;
  return [first, second, third];
}
