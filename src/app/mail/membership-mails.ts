import type { Locale } from '../../persistence/repositories/users.js';
import type { MailMessage } from './templates.js';

/** One change of an organisation's membership, as told to its owners. */
export type MembershipChange =
  | { kind: 'added'; role: string }
  | { kind: 'role_changed'; from: string; to: string }
  | { kind: 'disabled' }
  | { kind: 'enabled' }
  | { kind: 'removed' };

const ROLE_JA: Record<string, string> = {
  owner: 'オーナー',
  legal: '法務',
  responder: '対応担当',
  viewer: '閲覧者',
};

function lineJa(c: MembershipChange): string {
  switch (c.kind) {
    case 'added':
      return `利用者として追加されました（権限: ${ROLE_JA[c.role] ?? c.role}）`;
    case 'role_changed':
      return `権限が ${ROLE_JA[c.from] ?? c.from} から ${ROLE_JA[c.to] ?? c.to} に変更されました`;
    case 'disabled':
      return 'アカウントが無効化されました（ログイン中のセッションと API トークンは使えなくなりました）';
    case 'enabled':
      return 'アカウントが再び有効になりました';
    case 'removed':
      return '組織から削除されました（セッションと API トークンは終了しました）';
  }
}

function lineEn(c: MembershipChange): string {
  switch (c.kind) {
    case 'added':
      return `added as a user (role: ${c.role})`;
    case 'role_changed':
      return `role changed from ${c.from} to ${c.to}`;
    case 'disabled':
      return 'account disabled (its sessions and API tokens no longer work)';
    case 'enabled':
      return 'account enabled again';
    case 'removed':
      return 'removed from the organisation (its sessions and API tokens have ended)';
  }
}

/**
 * To each owner of an organisation: a change of its membership (issue 7, finding 2b), so that a
 * change made by anyone — another owner or the instance administrator — never goes unnoticed.
 */
export function membershipChangedMail(p: {
  to: string;
  ownerName: string;
  organizationName: string;
  userName: string;
  userEmail: string;
  byName: string;
  byAdministrator: boolean;
  changes: readonly MembershipChange[];
  at: string;
  locale: Locale;
}): MailMessage {
  if (p.locale === 'en') {
    const by = p.byAdministrator ? `${p.byName} (instance administrator)` : p.byName;
    return {
      to: p.to,
      locale: p.locale,
      subject: `[BreachPact] Membership of ${p.organizationName} changed: ${p.userName}`,
      text:
        `${p.ownerName},\n\nA change was made to the users of ${p.organizationName} on BreachPact.\n\n` +
        `User: ${p.userName} <${p.userEmail}>\n` +
        p.changes.map((c) => `- ${lineEn(c)}\n`).join('') +
        `By: ${by}\nAt: ${p.at} (UTC)\n\n` +
        'If you did not expect this change, review the users of your organisation in BreachPact.\n',
    };
  }
  const by = p.byAdministrator ? `${p.byName}（インスタンス管理者）` : p.byName;
  return {
    to: p.to,
    locale: p.locale,
    subject: `【BreachPact】${p.organizationName} の利用者が変更されました: ${p.userName}`,
    text:
      `${p.ownerName} 様\n\nBreachPact で ${p.organizationName} の利用者に変更がありました。\n\n` +
      `利用者: ${p.userName} <${p.userEmail}>\n` +
      p.changes.map((c) => `・${lineJa(c)}\n`).join('') +
      `操作者: ${by}\n日時: ${p.at}（UTC）\n\n` +
      '心当たりのない変更であれば、BreachPact で組織の利用者を確認してください。\n',
  };
}
