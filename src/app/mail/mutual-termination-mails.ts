import type { Locale } from '../../persistence/repositories/users.js';
import type { MailMessage } from './templates.js';

export type MutualTerminationMailKind = 'proposed' | 'confirmed' | 'withdrawn';

/**
 * To the owners and legal members of both companies: a mutual termination (合意解約) of their
 * memorandum was proposed, confirmed or withdrawn. `effectiveOn` is the first day it no longer
 * applies; from then only the articles surviving under Art 11.3 apply.
 */
export function mutualTerminationMail(p: {
  kind: MutualTerminationMailKind;
  to: string;
  name: string;
  locale: Locale;
  /** The organisation that proposed (proposed, withdrawn) or confirmed (confirmed). */
  byOrganization: string;
  partyA: string;
  partyB: string;
  effectiveOn: string;
  /** e.g. 第5条、第8条及び第9条 / Arts 5, 8 and 9 */
  surviving: { ja: string; en: string };
  link: string;
}): MailMessage {
  const [y, m, d] = p.effectiveOn.split('-').map(Number);
  if (p.locale === 'en') {
    const what = `the data-leak memorandum between ${p.partyA} (甲) and ${p.partyB} (乙)`;
    const lead =
      p.kind === 'proposed'
        ? `${p.byOrganization} proposes to end ${what} by mutual consent, effective ${p.effectiveOn}. ` +
          "It ends only once the other party's owner or legal confirms it on BreachPact."
        : p.kind === 'confirmed'
          ? `${p.byOrganization} confirmed the mutual termination of ${what}: from ${p.effectiveOn} it no longer ` +
            `applies, except the surviving provisions (${p.surviving.en}, Art 11.3). Incidents discovered before ` +
            'then can still be reported.'
          : `${p.byOrganization} withdrew its proposal to end ${what} by mutual consent on ${p.effectiveOn}. ` +
            'The memorandum continues.';
    const subject =
      p.kind === 'proposed'
        ? `[BreachPact] Proposal to end the memorandum by mutual consent on ${p.effectiveOn}`
        : p.kind === 'confirmed'
          ? `[BreachPact] The memorandum ends by mutual consent on ${p.effectiveOn}`
          : '[BreachPact] Proposal of a mutual termination withdrawn';
    return { to: p.to, locale: p.locale, subject, text: `${p.name},\n\n${lead}\n\n${p.link}\n` };
  }
  const date = `${y}年${m}月${d}日`;
  const what = `${p.partyA}（甲）と ${p.partyB}（乙）の情報漏えい対応に関する覚書`;
  const lead =
    p.kind === 'proposed'
      ? `${p.byOrganization}から、${what}を${date}をもって合意解約する旨の申入れがありました。` +
        '相手方のオーナーまたは法務担当が BreachPact 上で確認したときに合意が成立します。'
      : p.kind === 'confirmed'
        ? `${p.byOrganization}が合意解約を確認しました。${what}は${date}から効力を失います。` +
          `ただし、${p.surviving.ja}の規定は引き続き効力を有します（第11条第3項）。` +
          'それより前に発見された事故は引き続き登録できます。'
        : `${p.byOrganization}が、${what}を${date}をもって合意解約する旨の申入れを撤回しました。覚書は継続します。`;
  const subject =
    p.kind === 'proposed'
      ? `【BreachPact】覚書の合意解約の申入れ（${date}）`
      : p.kind === 'confirmed'
        ? `【BreachPact】覚書は${date}をもって合意解約されます`
        : '【BreachPact】覚書の合意解約の申入れが撤回されました';
  return { to: p.to, locale: p.locale, subject, text: `${p.name} 様\n\n${lead}\n\n${p.link}\n` };
}
