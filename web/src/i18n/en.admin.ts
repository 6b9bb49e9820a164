import type { jaAdmin } from './ja.admin';

/** English UI text for the first-run demo and webhooks: the same keys as `ja.admin.ts`. */
export const enAdmin: typeof jaAdmin = {
  demo: {
    title: 'Getting started',
    intro:
      "Register organisations to begin, or load demo data (two companies, a signed agreement, an incident in progress at 乙's sub-contractor) to try things out.",
    load: 'Load demo data',
    loaded: 'Demo data loaded. You can log in with these accounts.',
    already: 'The demo data is already loaded (the password is shown only when it is first loaded).',
    password: 'Password (all accounts)',
    passwordOnce: 'This password is shown only now. Note it before you leave this page.',
    organization: 'Organisation',
    party: 'Party',
    email: 'E-mail',
    name: 'Name',
    role: 'Role',
    openAgreement: 'Open the demo agreement',
  },
  webhooks: {
    title: 'Webhooks',
    help: "Sends incident registrations, notices and deadlines to this organisation's systems (signed with HMAC-SHA256).",
    empty: 'No webhook registered.',
    url: 'Target URL',
    events: 'Events to send',
    add: 'Register webhook',
    secret: 'Signing secret',
    secretOnce: 'The secret is shown only now. Configure it on the receiving side.',
    copy: 'Copy',
    copied: 'Copied',
    remove: 'Delete',
    confirmRemove: 'Delete this webhook?',
    createdAt: 'Registered',
    active: 'Active',
    inactive: 'Inactive',
    pickEvent: 'Choose at least one event',
    eventNames: {
      'incident.reported': 'Incident registered',
      'notice.sent': 'Notice sent',
      'notice.acknowledged': 'Notice acknowledged',
      'obligation.due_soon': 'Deadline approaching',
      'obligation.breached': 'Deadline missed',
      'audit.receipt': 'Signed audit receipt',
    },
  },
};
