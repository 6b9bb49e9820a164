import type { Locale } from '../../persistence/repositories/users.js';
import type { MailMessage } from './templates.js';
import { formatDateWithWeekday } from '../../domain/shared/deadline.js';

/**
 * To each owner of both companies: the instance administrator recorded a memorandum the two
 * companies signed on paper, so it is in force here without either company signing in the app.
 * Names only (no incident content, nothing the administrator typed besides the date).
 */
export function paperAgreementRecordedMail(p: {
  to: string;
  name: string;
  locale: Locale;
  partyA: string;
  partyB: string;
  signedOn: string;
  link: string;
}): MailMessage {
  if (p.locale === 'en') {
    return {
      to: p.to,
      locale: p.locale,
      subject: '[BreachPact] A memorandum signed on paper was recorded',
      text:
        `${p.name},\n\nThe instance administrator recorded the data-leak memorandum between ${p.partyA} (甲) and ` +
        `${p.partyB} (乙), signed on paper on ${formatDateWithWeekday(p.signedOn, 'en')}. It is now in force on BreachPact: incidents can be ` +
        `reported under it and its notices are mailed to both companies.\n\n${p.link}\n\n` +
        'If your company did not sign this memorandum, tell your administrator at once.\n',
    };
  }
  return {
    to: p.to,
    locale: p.locale,
    subject: '【BreachPact】書面で締結された覚書が登録されました',
    text:
      `${p.name} 様\n\nインスタンス管理者が、${p.partyA}（甲）と ${p.partyB}（乙）の情報漏えい対応に関する覚書を、` +
      `${formatDateWithWeekday(p.signedOn, 'ja')}に書面で締結されたものとして登録しました。` +
      'BreachPact 上でこの覚書は効力を持ち、事故の報告と両社への通知メールが行われるようになります。\n\n' +
      `${p.link}\n\n` +
      '貴社がこの覚書を締結していない場合は、直ちにインスタンス管理者にお知らせください。\n',
  };
}
