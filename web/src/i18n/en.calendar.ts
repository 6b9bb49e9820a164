import type { jaCalendar } from './ja.calendar';

/** English text of the calendar feeds (issue 8, item 4). */
export const enCalendar: typeof jaCalendar = {
  calendar: {
    title: 'Deadlines in your calendar',
    intro:
      "Show the due times of our open duties (overdue ones included) in the calendar you already use (Outlook, Google Calendar…), with reminders at 50 % and 90 % of the time. The URL is a secret key: don't share it.",
    none: 'No calendar URL yet.',
    create: 'Create a calendar URL',
    created: 'Created',
    lastUsed: 'Last read',
    neverUsed: 'Never',
    revoke: 'Revoke',
    urlOnce: 'This URL is shown only now. Copy it and add it to your calendar.',
    copy: 'Copy',
    copied: 'Copied',
    howOutlook: 'Outlook: Add calendar → From Internet → paste this URL',
    howGoogle: 'Google Calendar: Other calendars → From URL → paste this URL',
    secretHint:
      'Anyone with the URL can see the list of deadlines. If it leaks, revoke it and create a new one.',
    confirmTitle: 'Confirm',
    confirmRevoke:
      'Revoke this calendar URL? Calendars that subscribed to it will no longer show the deadlines.',
  },
};
