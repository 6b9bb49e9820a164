import { AppError } from '../domain/shared/errors.js';
import type { Role } from '../persistence/repositories/users.js';
import type { Actor } from './context.js';

/**
 * Access is denied by default and decided here, in one place (DESIGN §7, after Immich's
 * requireAccess). A user sees only agreements its organisation is party to; the instance
 * administrator manages organisations, users and agreements but never incident content.
 */
export type AgreementPermission =
  | 'agreement.read'
  | 'agreement.create'
  | 'agreement.sign'
  | 'agreement.update'
  | 'termination_notice.record'
  | 'audit.read'
  | 'document.read';

const AGREEMENT_ROLES: Record<AgreementPermission, readonly Role[]> = {
  'agreement.read': ['owner', 'legal', 'responder', 'viewer'],
  'document.read': ['owner', 'legal', 'responder', 'viewer'],
  'audit.read': ['owner', 'legal', 'responder', 'viewer'],
  'agreement.create': ['owner'],
  'agreement.sign': ['owner', 'legal'],
  'agreement.update': ['owner', 'legal'],
  // Art 11.2: a written notice of termination is recorded by owner or legal of either party.
  'termination_notice.record': ['owner', 'legal'],
};

export interface AgreementParties {
  partyAId: string;
  partyBId: string;
}

export type PartyCode = 'A' | 'B';

/**
 * Throws unless `actor` may do `permission` on an agreement between these parties. A user of
 * a company that is not a party gets 404 (the agreement's existence is not revealed).
 * Returns the actor's side, or null for the administrator/system.
 */
export function requireAgreementAccess(
  actor: Actor,
  permission: AgreementPermission,
  parties: AgreementParties,
): PartyCode | null {
  if (actor.kind === 'system' || actor.isAdmin) return null;
  const side: PartyCode | null =
    actor.organizationId === parties.partyAId ? 'A' : actor.organizationId === parties.partyBId ? 'B' : null;
  if (side === null) {
    throw new AppError(permission === 'agreement.create' ? 'FORBIDDEN' : 'AGREEMENT_NOT_FOUND');
  }
  if (!AGREEMENT_ROLES[permission].includes(actor.role)) throw new AppError('FORBIDDEN');
  return side;
}

export type OrganizationPermission =
  'organization.create' | 'organization.directory' | 'user.create' | 'user.list';

export function requireOrganizationAccess(
  actor: Actor,
  permission: OrganizationPermission,
  organizationId: string | null,
): void {
  if (actor.kind === 'system' || actor.isAdmin) return;
  switch (permission) {
    case 'organization.create':
      throw new AppError('FORBIDDEN');
    case 'organization.directory':
      if (actor.role !== 'owner') throw new AppError('FORBIDDEN');
      return;
    case 'user.list':
      if (actor.organizationId !== organizationId) throw new AppError('ORGANIZATION_NOT_FOUND');
      return;
    case 'user.create':
      if (actor.organizationId !== organizationId) throw new AppError('ORGANIZATION_NOT_FOUND');
      if (actor.role !== 'owner') throw new AppError('FORBIDDEN');
      return;
    default: {
      const never: never = permission;
      throw new AppError('FORBIDDEN', { detail: `unknown permission ${String(never)}` });
    }
  }
}
