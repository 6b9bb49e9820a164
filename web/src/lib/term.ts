import type { IsoDate, Term, TermField } from '../api/types';
import { daysBetween } from './dates';

export interface Deadline {
  field: TermField;
  date: IsoDate;
  /** Days from the evaluation date (基準日) to the deadline. */
  daysLeft: number;
}

/**
 * The next date that matters on the evaluation date: the end date when the agreement is
 * ending; otherwise the termination-notice deadline while it is still open; otherwise the end
 * of the current term (when it renews).
 */
export function nextDeadline(term: Term): Deadline | null {
  if (term.status !== 'active') return null;
  const on = term.evaluatedOn;
  const pick = (field: TermField, date: IsoDate | null): Deadline | null =>
    date && daysBetween(on, date) >= 0 ? { field, date, daysLeft: daysBetween(on, date) } : null;
  if (term.endsOn) return pick('endsOn', term.endsOn);
  return (
    pick('terminationNoticeDeadline', term.terminationNoticeDeadline) ??
    pick('currentTermEnd', term.currentTermEnd)
  );
}

/** The API's one-line rule for a field, in the UI language. */
export function ruleFor(term: Term, field: TermField, lang: 'ja' | 'en'): string | null {
  const rule = term.rules.find((r) => r.field === field);
  return rule ? rule[lang] : null;
}
