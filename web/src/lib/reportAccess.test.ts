import { describe, expect, it } from 'vitest';
import type { Agreement, User } from '../api/types';
import { reportBlocker } from './reportAccess';

const user = (role: User['role'], isAdmin = false) => ({ role, isAdmin }) as User;
const agreement = (myParty: 'A' | 'B' | null, status: string) =>
  ({ myParty, term: { status } }) as unknown as Agreement;

describe('who may register an incident, and the real reason when not', () => {
  it('lets the owner, legal and responder of a party register under an active agreement', () => {
    for (const role of ['owner', 'legal', 'responder'] as const)
      expect(reportBlocker(user(role), agreement('B', 'active'))).toBeNull();
  });

  it('tells a viewer it is the role, even when the agreement is active', () => {
    expect(reportBlocker(user('viewer'), agreement('B', 'active'))).toBe('role');
    // The role comes first: a viewer under an ended agreement still learns it is the role.
    expect(reportBlocker(user('viewer'), agreement('A', 'terminated'))).toBe('role');
  });

  it('says the agreement is not active only to those whose role may report', () => {
    expect(reportBlocker(user('responder'), agreement('B', 'expired'))).toBe('notActive');
    expect(reportBlocker(user('owner'), agreement('A', 'draft'))).toBe('notActive');
  });

  it('names the administrator, a non-party and a signed-out visitor as such', () => {
    expect(reportBlocker(user('admin', true), agreement(null, 'active'))).toBe('admin');
    expect(reportBlocker(user('owner'), agreement(null, 'active'))).toBe('notParty');
    expect(reportBlocker(null, agreement('A', 'active'))).toBe('signedOut');
  });
});
