import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ja } from './ja';

/**
 * The legal department's wording (issue 6 §4) over every Japanese UI text: retired terms stay
 * retired and citations are written in full (第3条第1項, 第3条第2項第6号, 第5条、第8条及び第9条).
 */

/** Every string of a resource tree with its key path, e.g. ['incidents.report', '事故を登録']. */
function leaves(tree: unknown, path = ''): Array<[string, string]> {
  if (typeof tree === 'string') return [[path, tree]];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) =>
    leaves(v, path ? `${path}.${k}` : k),
  );
}

/** Terms the review retired, each with the wording that replaced it. */
const RETIRED_JA: ReadonlyArray<[string, string]> = [
  ['事故を報告', '事故を登録 (報告 is the report to the PPC)'],
  ['報告した当事者', '登録した当事者'],
  ['報告する', '登録する'],
  ['却下', '非該当（情報漏えい事故に当たらない）'],
  ['封じ込め', '被害拡大防止措置済み'],
  ['取り下げ', '調査中に変更'],
  ['解約予告', '終了の意思表示の期限'],
  ['有効期間開始日', '期間の初日'],
  ['この日から計算', '締結日の翌日から起算（初日不算入、民法第140条）'],
  ['目標時間', '期限'],
  ['目安', '期限'],
  ['期日', '期限'],
];

/** Short or foreign citation forms; the Japanese text writes 第N条第M項第K号 and lists with 、/及び. */
const SHORT_CITATIONS: ReadonlyArray<[RegExp, string]> = [
  [/(?<![第\d])\d+条/, 'an article number without 第 (3条, 民法140条)'],
  [/条\d+項/, 'a paragraph without 第 (第3条1項)'],
  [/項\d+号/, 'an item without 第 (第3条第2項6号)'],
  [/\d+\.\d+(\(\d+\))?条?/, 'the English style 3.1 / 3.2(6)'],
  [/\d+・\d+/, 'a dotted list of numbers (5・8・9条)'],
  [/[条項号]・第/, 'a dotted list of provisions (第2条・第3条: use 及び)'],
  [/\bArt\b/, 'an English "Art" citation'],
];

const jaTexts = leaves(ja);

describe('Japanese UI wording (legal review)', () => {
  it('walks the whole resource tree', () => {
    expect(jaTexts.length).toBeGreaterThan(300);
  });

  it.each(RETIRED_JA)('no text uses the retired 「%s」 (now %s)', (term) => {
    expect(jaTexts.filter(([, text]) => text.includes(term))).toEqual([]);
  });

  it.each(SHORT_CITATIONS)('no citation has the short form %s (%s)', (pattern) => {
    expect(jaTexts.filter(([, text]) => pattern.test(text))).toEqual([]);
  });

  it('cites in full where the UI names provisions', () => {
    expect(ja.params.noticeTargetHours).toContain('第3条第1項');
    expect(ja.params.survivingArticles).toContain('第11条第3項');
    expect(ja.itemRequests.title).toContain('第3条第2項第6号');
    expect(ja.noticeForm.titleFirst).toContain('第3条第1項及び第2項');
    expect(ja.sign.help).toContain('締結日の翌日から起算します（初日不算入、民法第140条）');
  });

  it('registering says the Art 3 clocks run from the discovery, not from the registration', () => {
    expect(ja.incidents.report).toBe('事故を登録');
    expect(ja.report.discoveredAtHelp).toBe('第3条の期限は登録日時ではなく発覚日時から進行します。');
    expect(ja.report.intro).toContain('発覚日時から進行');
  });

  it('names the states and the notice diff as reviewed, with the short 非該当 for badges', () => {
    expect(ja.incidentState.dismissed).toBe('非該当（情報漏えい事故に当たらない）');
    expect(ja.incidentStateShort.dismissed).toBe('非該当');
    expect(ja.incidentState.contained).toBe('被害拡大防止措置済み');
    expect(ja.noticeList.withdrawn).toBe('調査中に変更');
    expect(ja.term.start).toBe('期間の初日');
    expect(ja.fields.terminationNoticeMonths).toContain('終了の意思表示の期限');
    expect(ja.term.terminationNoticeDeadline).toBe('終了の意思表示の期限');
  });

  it('the English texts follow the same terms', () => {
    expect(en.incidents.report).toBe('Register incident');
    expect(en.incidentState.dismissed).toBe('Not an incident (dismissed)');
    expect(en.incidentState.contained).toBe('Containment measures taken');
    expect(en.term.terminationNoticeDeadline).toBe('Deadline for notice of non-renewal');
    const enTexts = leaves(en);
    for (const retired of [
      /report an incident/i,
      /\b(notice|containment) target\b/i,
      /^Dismissed\b/,
      /^Withdrawn$/,
    ]) {
      expect(enTexts.filter(([, text]) => retired.test(text))).toEqual([]);
    }
  });
});
