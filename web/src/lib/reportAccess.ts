import type { Agreement, User } from '../api/types';

/** The roles of a party's organisation that register incidents (Art 3.1; viewers read only). */
export const REPORTING_ROLES = ['owner', 'legal', 'responder'] as const;

/** Why the user cannot register an incident under the agreement, or null when they can. */
export type ReportBlocker = 'signedOut' | 'admin' | 'notParty' | 'role' | 'notActive';

/**
 * The real reason first: who the user is (administrator, outside the agreement, a viewer) before
 * the agreement's state, so a viewer is not told the agreement is inactive when it is the role.
 * Mirrors the server's policy (src/app/access.ts); the server still decides.
 */
export function reportBlocker(user: User | null | undefined, a: Agreement): ReportBlocker | null {
  if (!user) return 'signedOut';
  if (user.isAdmin) return 'admin';
  if (!a.myParty) return 'notParty';
  if (!(REPORTING_ROLES as readonly string[]).includes(user.role)) return 'role';
  if (a.term.status !== 'active') return 'notActive';
  return null;
}
