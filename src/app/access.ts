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
  | 'mutual_termination.propose'
  | 'mutual_termination.confirm'
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
  // 合意解約 (mutual termination) binds the company: one party's owner or legal proposes, the
  // other party's confirms (the use case checks the sides); the proposing party may withdraw.
  'mutual_termination.propose': ['owner', 'legal'],
  'mutual_termination.confirm': ['owner', 'legal'],
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
  const side = sideOf(actor, parties);
  if (side === null) {
    throw new AppError(permission === 'agreement.create' ? 'FORBIDDEN' : 'AGREEMENT_NOT_FOUND');
  }
  if (!AGREEMENT_ROLES[permission].includes(actor.role)) throw new AppError('FORBIDDEN');
  return side;
}

export type OrganizationPermission =
  'organization.create' | 'organization.directory' | 'user.create' | 'user.list' | 'webhook.manage';

export function requireOrganizationAccess(
  actor: Actor,
  permission: OrganizationPermission,
  organizationId: string | null,
): void {
  if (actor.kind === 'system') return;
  if (permission === 'webhook.manage') {
    // Webhooks carry incident content (titles, states) to the organisation's own systems: they are
    // the organisation owner's alone, never the instance administrator's (issue 7, finding 2a).
    if (actor.isAdmin) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: 'Webhook は組織のオーナーだけが管理できます（インスタンス管理者は不可）。',
          en: "Webhooks are managed by the organisation's owner only, not by the instance administrator.",
        },
      });
    }
    if (actor.organizationId !== organizationId) throw new AppError('ORGANIZATION_NOT_FOUND');
    if (actor.role !== 'owner') throw new AppError('FORBIDDEN');
    return;
  }
  if (actor.isAdmin) return;
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

/**
 * Membership of an organisation (issue 7, findings 2b and 7). The organisation's owner adds users,
 * changes roles, disables, re-enables and removes them. The instance administrator creates an
 * organisation and its first owner and may disable or re-enable any account, but while the
 * organisation has an active owner its users, roles and passwords are the owner's alone (403):
 * otherwise the operator could make itself a user and read incident content.
 * `hasActiveOwner`: whether the organisation has an active owner (role owner, not disabled or
 * removed, invitation accepted).
 */
export type MembershipPermission = 'user.create' | 'user.role' | 'user.disable' | 'user.remove';

export function requireMembershipAccess(
  actor: Actor,
  permission: MembershipPermission,
  organizationId: string,
  hasActiveOwner: boolean,
): void {
  if (actor.kind === 'system') return;
  if (actor.isAdmin) {
    if (permission === 'user.disable' || !hasActiveOwner) return;
    throw new AppError('FORBIDDEN', {
      message: {
        ja: 'オーナーがいる組織の利用者・権限・パスワードは、その組織のオーナーだけが管理できます（インスタンス管理者は無効化のみ可能）。',
        en: 'Users, roles and passwords of an organisation with an active owner are managed by its owner only; the instance administrator can only disable accounts.',
      },
    });
  }
  if (actor.organizationId !== organizationId) throw new AppError('ORGANIZATION_NOT_FOUND');
  if (actor.role !== 'owner') throw new AppError('FORBIDDEN');
}

/**
 * Incident permissions. Incident content is shared between the two parties only: the instance
 * administrator never sees it (403), a non-party gets 404. `side` says which party must act:
 * `reporting` — the party where it arose; `counterparty` — the other; `either`.
 */
export type IncidentPermission =
  | 'incident.read'
  | 'incident.report'
  | 'incident.update'
  | 'notice.send'
  | 'notice.acknowledge'
  | 'item_request.create'
  | 'item_request.answer'
  | 'containment.record'
  | 'obligation.waive'
  | 'discovery_correction.request'
  | 'discovery_correction.decide'
  | 'evidence.upload'
  | 'evidence.share'
  | 'cooperation_request.create'
  | 'cooperation_request.respond'
  | 'consultation.write'
  | 'consultation.agree'
  | 'disclosure.file'
  | 'disclosure.decide'
  | 'note.write'
  | 'announcement.draft'
  | 'announcement.approve'
  | 'announcement.publish';

const INCIDENT_RULES: Record<
  IncidentPermission,
  { roles: readonly Role[]; side: 'reporting' | 'counterparty' | 'either' }
> = {
  'incident.read': { roles: ['owner', 'legal', 'responder', 'viewer'], side: 'either' },
  'incident.report': { roles: ['owner', 'legal', 'responder'], side: 'reporting' },
  'incident.update': { roles: ['owner', 'legal', 'responder'], side: 'reporting' },
  'notice.send': { roles: ['owner', 'legal', 'responder'], side: 'reporting' },
  'notice.acknowledge': { roles: ['owner', 'legal', 'responder'], side: 'counterparty' },
  'item_request.create': { roles: ['owner', 'legal', 'responder'], side: 'counterparty' },
  'item_request.answer': { roles: ['owner', 'legal', 'responder'], side: 'reporting' },
  'containment.record': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  // The party owed the duty (checked against the obligation's creditor by the use case).
  'obligation.waive': { roles: ['owner', 'legal'], side: 'either' },
  // A correction of the discovery time is filed by the reporting party, decided by the other.
  'discovery_correction.request': { roles: ['owner', 'legal', 'responder'], side: 'reporting' },
  'discovery_correction.decide': { roles: ['owner', 'legal'], side: 'counterparty' },
  // Art 4.2(7): either party's acting members upload evidence; only the uploading party shares it
  // (checked by the use case against the evidence's party). Viewers read what their party may see.
  'evidence.upload': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  'evidence.share': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  // Art 5.1: either party files a third-party disclosure (and records it, builds its package); the
  // other party's owner or legal consents or refuses (the use case checks the filing party's side).
  'disclosure.file': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  'disclosure.decide': { roles: ['owner', 'legal'], side: 'either' },
  // Party-internal working notes: written by a party's acting members; viewers read.
  'note.write': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  // Art 4.2: either party asks the other to cooperate; the requested party answers (checked by the
  // use case against the request's `toParty`).
  'cooperation_request.create': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  'cooperation_request.respond': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  // Art 12: either party opens a consultation and writes in it; proposing and confirming the
  // agreed outcome binds the company, so it needs owner or legal.
  'consultation.write': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  'consultation.agree': { roles: ['owner', 'legal'], side: 'either' },
  // Art 6: either party drafts an announcement and its versions; approving a version (6.1) binds
  // the company, so it needs owner or legal. Recording the publication of a version both approved
  // is open to acting members; the emergency publication without approval (6.2) needs owner or
  // legal (checked by the use case).
  'announcement.draft': { roles: ['owner', 'legal', 'responder'], side: 'either' },
  'announcement.approve': { roles: ['owner', 'legal'], side: 'either' },
  'announcement.publish': { roles: ['owner', 'legal', 'responder'], side: 'either' },
};

export function requireIncidentAccess(
  actor: Actor,
  permission: IncidentPermission,
  parties: AgreementParties,
  reportingParty: PartyCode,
): PartyCode {
  if (actor.kind === 'system') return reportingParty;
  if (actor.isAdmin) {
    throw new AppError('FORBIDDEN', {
      message: {
        ja: 'インスタンス管理者は事故の内容を閲覧・操作できません。',
        en: 'The instance administrator cannot see or act on incident content.',
      },
    });
  }
  const side = sideOf(actor, parties);
  if (side === null)
    throw new AppError(permission === 'incident.report' ? 'AGREEMENT_NOT_FOUND' : 'INCIDENT_NOT_FOUND');
  const rule = INCIDENT_RULES[permission];
  if (!rule.roles.includes(actor.role)) throw new AppError('FORBIDDEN');
  if (rule.side === 'reporting' && side !== reportingParty) {
    throw new AppError('FORBIDDEN', {
      message: {
        ja: 'この操作は事故が発生した側の当事者だけが行えます。',
        en: 'Only the party on whose side the incident arose can do this.',
      },
    });
  }
  if (rule.side === 'counterparty' && side === reportingParty) {
    throw new AppError('FORBIDDEN', {
      message: { ja: 'この操作は相手方の当事者だけが行えます。', en: 'Only the counterparty can do this.' },
    });
  }
  return side;
}

/** The side of `actor` in an agreement between these parties (null: not a party, or not a user). */
export function sideOf(actor: Actor, parties: AgreementParties): PartyCode | null {
  if (actor.kind === 'system' || actor.isAdmin) return null;
  return actor.organizationId === parties.partyAId
    ? 'A'
    : actor.organizationId === parties.partyBId
      ? 'B'
      : null;
}

/**
 * Art 3.1: a registered incident is the reporting party's own until its first notice — the notice
 * is the moment the other company learns of it. Before that the counterparty gets 404 in every
 * channel, exactly as for an incident that does not exist.
 */
export function incidentVisibleTo(
  side: PartyCode | null,
  incident: { reportingParty: PartyCode; firstNoticeAt: string | null },
): boolean {
  return side === null || side === incident.reportingParty || incident.firstNoticeAt !== null;
}
