import type { Locale } from '../../persistence/repositories/users.js';

/** A mail as queued in the outbox: plain data, rendered before the transaction commits. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  locale: Locale;
}

export function invitationMail(p: {
  to: string;
  name: string;
  organizationName: string;
  link: string;
  locale: Locale;
  days: number;
}): MailMessage {
  if (p.locale === 'en') {
    return {
      to: p.to,
      locale: p.locale,
      subject: `[BreachPact] You are invited to ${p.organizationName}`,
      text:
        `${p.name},\n\nAn account has been created for you at ${p.organizationName} on BreachPact.\n` +
        `Set your password with this link (valid for ${p.days} days):\n\n${p.link}\n\n` +
        `If you did not expect this e-mail, you can ignore it.\n`,
    };
  }
  return {
    to: p.to,
    locale: p.locale,
    subject: `【BreachPact】${p.organizationName} へのご招待`,
    text:
      `${p.name} 様\n\nBreachPact に ${p.organizationName} のアカウントが作成されました。\n` +
      `次のリンクからパスワードを設定してください（有効期限 ${p.days} 日）。\n\n${p.link}\n\n` +
      `心当たりのない場合は、このメールを破棄してください。\n`,
  };
}
