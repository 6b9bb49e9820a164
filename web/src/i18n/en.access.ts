import type { jaAccess } from './ja.access';

/** English text of the access lifecycle (the same keys as ja.access.ts). */
export const enAccess: typeof jaAccess = {
  members: {
    actions: 'Actions',
    changeRole: 'Change role',
    disable: 'Disable',
    enable: 'Enable',
    remove: 'Remove',
    disabled: 'Disabled',
    you: '(you)',
    confirmDisable:
      "Disable {{name}}? Their sessions end at once and their API tokens stop working. The organisation's owners are notified by e-mail.",
    confirmEnable: "Enable {{name}} again? The organisation's owners are notified by e-mail.",
    confirmRole:
      "Change the role of {{name}} to “{{role}}”? The organisation's owners are notified by e-mail.",
    confirmRemove:
      "Remove {{name}} from the organisation? Their sessions and API tokens end; this cannot be undone (the name stays in audit trails). The organisation's owners are notified by e-mail.",
    confirmTitle: 'Please confirm',
    confirm: 'Confirm',
    lastOwnerHint:
      'The last owner cannot be disabled, removed or given another role. Make another user an owner first.',
    adminHint:
      'In an organisation with an owner, the instance administrator can only disable and re-enable accounts.',
  },
  settings: {
    nav: 'Account settings',
    title: 'Account settings',
    digestTitle: 'Morning mail of open duties',
    digestLabel: 'Every day at 9:00 Japan time, mail me the list of open duties',
    digestHelp:
      'Lists the duties your organisation owes or is owed that are still open (overdue, within 24 hours, within 7 days, later). Nothing is sent on a day without any.',
    passwordTitle: 'Change password',
    currentPassword: 'Current password',
    newPassword: 'New password (at least 8 characters)',
    confirmPassword: 'New password (again)',
    mismatch: 'The passwords do not match',
    changePassword: 'Change password',
    passwordChanged: 'Your password was changed. {{count}} session(s) on other devices were ended.',
    tokensTitle: 'API tokens',
    tokensIntro:
      'Tokens for automation (Authorization: Bearer …). A token acts with your permissions; revoke it when it is no longer needed.',
    tokenName: 'Name',
    expiresInDays: 'Valid for (days; empty: no expiry)',
    createToken: 'Create token',
    tokenOnce: 'This token is shown only now. Copy it and keep it somewhere safe.',
    copy: 'Copy',
    copied: 'Copied',
    noTokens: 'No API tokens.',
    created: 'Created',
    lastUsed: 'Last used',
    expires: 'Expires',
    never: 'Never',
    neverUsed: 'Not used yet',
    expired: 'Expired',
    revoke: 'Revoke',
    confirmRevoke: 'Revoke the token “{{name}}”? It stops working at once.',
  },
};
