import type { Locale } from '../../persistence/repositories/users.js';
import type { MailMessage } from './templates.js';

/**
 * To the holder of an address that another organisation's owner tried to add: nothing was
 * changed. The inviting owner got the same reply as for a new address (no enumeration), so this
 * mail is how the person learns of it; it says nothing about the account's own organisation.
 */
export function addressInUseMail(p: {
  to: string;
  name: string;
  organizationName: string;
  locale: Locale;
}): MailMessage {
  if (p.locale === 'en') {
    return {
      to: p.to,
      locale: p.locale,
      subject: '[BreachPact] Someone tried to add your e-mail address',
      text:
        `${p.name},\n\nAn owner of ${p.organizationName} tried to add this e-mail address as a user on BreachPact.\n` +
        'The address already belongs to your account, so nothing was changed and you were not added.\n' +
        'If you expected this, ask them to use another address. Otherwise you can ignore this e-mail.\n',
    };
  }
  return {
    to: p.to,
    locale: p.locale,
    subject: '【BreachPact】メールアドレスの追加が試みられました',
    text:
      `${p.name} 様\n\nBreachPact で ${p.organizationName} の管理者が、このメールアドレスを利用者として追加しようとしました。\n` +
      'このアドレスは既にあなたのアカウントで使われているため、何も変更されておらず、追加もされていません。\n' +
      '心当たりがある場合は、別のメールアドレスを使うよう先方にお伝えください。心当たりのない場合は、このメールを破棄してください。\n',
  };
}
