import type { jaWorkQueue } from './ja.workQueue';

/** English text of the work queue's filters, the navigation's count and the agreement's next duty. */
export const enWorkQueue: typeof jaWorkQueue = {
  duties: {
    badge: '{{overdue}} overdue, {{soon}} due within 24 hours',
    badgeTitle: 'Our duties: {{overdue}} overdue, {{soon}} due within 24 hours',
    filters: 'Filters',
    agreement: 'Agreement',
    allAgreements: 'All agreements',
    agreementOption: 'With {{other}} (signed {{date}})',
    clause: 'Clause',
    allClauses: 'All clauses',
    owedBy: 'Owed by',
    clear: 'Clear filters',
    emptyFiltered: 'No unmet duty matches these filters.',
    owedByParty: '{{who}}: {{party}}',
    nextTitle: 'Next action (incidents)',
    nextNone: 'Nothing needs doing',
    nextIncident: 'Incident: {{title}}',
    nextMore: '{{count}} more unmet duties of ours.',
    toQueue: 'See the to-do list',
  },
};
