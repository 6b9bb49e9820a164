import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  deleteApiTokensOfUser,
  deleteSessionsOfUser,
  voidInvitationsOfUser,
} from '../../persistence/repositories/credentials.js';
import { findOrganization, type OrganizationRecord } from '../../persistence/repositories/organizations.js';
import { enqueueOutbox } from '../../persistence/repositories/outbox.js';
import {
  findUserById,
  isActiveOwner,
  listActiveOwners,
  lockUsersOfOrganization,
  updateUser,
  type UserRecord,
} from '../../persistence/repositories/users.js';
import { requireMembershipAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { membershipChangedMail, type MembershipChange } from '../mail/membership-mails.js';
import type { OrganizationRole } from './create-user.js';

export interface UpdateMemberInput {
  role?: OrganizationRole | undefined;
  disabled?: boolean | undefined;
}

/**
 * Loads the organisation (404 when missing or not the actor's) and its active owners, locked
 * against a concurrent change, and checks every permission the request needs.
 */
async function loadForChange(
  tx: Tx,
  actor: Actor,
  organizationId: string,
  userId: string,
  permissions: Parameters<typeof requireMembershipAccess>[1][],
): Promise<{ org: OrganizationRecord; owners: UserRecord[]; user: UserRecord }> {
  // A user of another organisation learns nothing, not even whether the organisation exists.
  if (actor.kind === 'user' && !actor.isAdmin && actor.organizationId !== organizationId) {
    throw new AppError('ORGANIZATION_NOT_FOUND');
  }
  const org = await findOrganization(tx, organizationId);
  if (!org) throw new AppError('ORGANIZATION_NOT_FOUND');
  await lockUsersOfOrganization(tx, organizationId);
  const owners = await listActiveOwners(tx, organizationId);
  for (const p of permissions) requireMembershipAccess(actor, p, organizationId, owners.length > 0);
  const user = await findUserById(tx, userId);
  if (!user || user.organizationId !== organizationId || user.removedAt !== null) {
    throw new AppError('USER_NOT_FOUND');
  }
  return { org, owners, user };
}

/** The last active owner stays: an organisation must always have someone who manages it. */
function requireNotLastOwner(user: UserRecord, owners: readonly UserRecord[]): void {
  if (isActiveOwner(user) && owners.every((o) => o.id === user.id)) throw new AppError('LAST_OWNER');
}

/**
 * Mails a membership change to the organisation's owners — those before and after the change, so
 * a disabled or demoted owner learns of it too — through the outbox, in the change's transaction.
 * Changes made by people (an owner, the administrator) are mailed; the system actor (the demo data
 * set, test fixtures) only records them on the instance chain.
 */
export async function mailOwners(
  tx: Tx,
  actor: Actor,
  org: OrganizationRecord,
  owners: readonly UserRecord[],
  user: Pick<UserRecord, 'id' | 'name' | 'email'>,
  changes: readonly MembershipChange[],
  changeKey: string,
  now: string,
): Promise<void> {
  if (actor.kind === 'system') return;
  const seen = new Set<string>();
  for (const owner of owners) {
    if (seen.has(owner.id)) continue;
    seen.add(owner.id);
    await enqueueOutbox(
      tx,
      {
        kind: 'mail',
        dedupeKey: `membership:${user.id}:${changeKey}:${owner.id}`,
        payload: membershipChangedMail({
          to: owner.email,
          ownerName: owner.name,
          organizationName: org.name,
          userName: user.name,
          userEmail: user.email,
          byName: actor.name,
          byAdministrator: actor.isAdmin,
          changes,
          at: now,
          locale: owner.locale,
        }),
      },
      now,
    );
  }
}

/**
 * Changes a user's role and/or disables or re-enables it (PATCH …/users/{userId}). A disabled
 * user's sessions end at once and its API tokens answer 401 while it stays disabled. Each change is
 * an event on the instance chain and a mail to the organisation's owners.
 */
export async function updateMember(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
  userId: string,
  input: UpdateMemberInput,
): Promise<UserRecord> {
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const permissions: Parameters<typeof requireMembershipAccess>[1][] = [];
    if (input.role !== undefined) permissions.push('user.role');
    if (input.disabled !== undefined) permissions.push('user.disable');
    const { org, owners, user } = await loadForChange(tx, actor, organizationId, userId, permissions);

    const changes: MembershipChange[] = [];
    const role = input.role ?? user.role;
    if (role !== user.role) changes.push({ kind: 'role_changed', from: user.role, to: role });
    let disabledAt = user.disabledAt;
    if (input.disabled === true && user.disabledAt === null) {
      disabledAt = now;
      changes.push({ kind: 'disabled' });
    } else if (input.disabled === false && user.disabledAt !== null) {
      disabledAt = null;
      changes.push({ kind: 'enabled' });
    }
    if (changes.length === 0) return user;
    const after: UserRecord = { ...user, role, disabledAt };
    if (isActiveOwner(user) && !isActiveOwner(after)) requireNotLastOwner(user, owners);

    if (!(await updateUser(tx, user.id, user.version, { role, disabledAt }, now))) {
      throw new AppError('VERSION_CONFLICT');
    }
    // Sessions end at once; tokens stay stored but answer 401 while the account is disabled.
    if (disabledAt !== null && user.disabledAt === null) await deleteSessionsOfUser(tx, user.id);
    for (const c of changes) {
      await recordAudit(tx, actor, now, {
        chain: INSTANCE_CHAIN,
        action: c.kind === 'role_changed' ? 'user.role_changed' : `user.${c.kind}`,
        recordType: 'user',
        recordId: user.id,
        payload:
          c.kind === 'role_changed'
            ? { organizationId, before: { role: c.from }, after: { role: c.to } }
            : { organizationId, disabled: c.kind === 'disabled' },
      });
    }
    const ownersAfter = await listActiveOwners(tx, organizationId);
    await mailOwners(tx, actor, org, [...owners, ...ownersAfter], user, changes, `v${user.version + 1}`, now);
    return (await findUserById(tx, user.id)) as UserRecord;
  });
}

/**
 * Removes a user from its organisation (DELETE …/users/{userId}). The row stays — audit events,
 * notices, acknowledgements and signatures name their actor by id, and those names must still
 * resolve — but it is marked removed: it is no longer listed, cannot log in, its sessions, API
 * tokens and open invitations end, and its e-mail address is freed (rewritten to
 * `<id>@removed.invalid`; the `user.removed` event keeps the original).
 */
export async function removeMember(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
  userId: string,
): Promise<void> {
  const now = nowIso(ctx);
  await inTransaction(ctx.db, async (tx) => {
    const { org, owners, user } = await loadForChange(tx, actor, organizationId, userId, ['user.remove']);
    requireNotLastOwner(user, owners);
    const removed = { removedAt: now, email: `${user.id}@removed.invalid` };
    if (!(await updateUser(tx, user.id, user.version, removed, now))) throw new AppError('VERSION_CONFLICT');
    await deleteSessionsOfUser(tx, user.id);
    await deleteApiTokensOfUser(tx, user.id);
    await voidInvitationsOfUser(tx, user.id, now);
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'user.removed',
      recordType: 'user',
      recordId: user.id,
      payload: {
        organizationId,
        before: { email: user.email, name: user.name, role: user.role, disabled: user.disabledAt !== null },
      },
    });
    await mailOwners(tx, actor, org, owners, user, [{ kind: 'removed' }], 'removed', now);
  });
}
