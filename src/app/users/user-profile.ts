import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { inTransaction } from '../../persistence/db.js';
import { consumeInvitation } from '../../persistence/repositories/credentials.js';
import {
  findUserById,
  listUsersOfOrganization,
  updateUser,
  type Locale,
  type UserRecord,
} from '../../persistence/repositories/users.js';
import { requireOrganizationAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { hashPassword, hashToken } from '../auth/secrets.js';
import { toActor } from '../auth/sessions.js';
import { nowIso, type Actor, type AppContext, type UserActor } from '../context.js';
import { requireOrganizationExists } from '../organizations/list-organizations.js';

export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
): Promise<UserRecord[]> {
  requireOrganizationAccess(actor, 'user.list', organizationId);
  await requireOrganizationExists(ctx, organizationId);
  return listUsersOfOrganization(ctx.db, organizationId);
}

/** What a user may change about itself through PATCH /me. */
export interface MyProfilePatch {
  locale?: Locale | undefined;
  /** Opt in to / out of the daily digest of open duties (9:00 Japan time). */
  dailyDigest?: boolean | undefined;
}

/**
 * The user's own preferences: its language (the browser keeps its own copy too) and the daily
 * digest. Audited on the instance chain with the fields that changed; nothing changed, nothing
 * recorded.
 */
export async function updateMe(
  ctx: AppContext,
  actor: UserActor,
  patch: MyProfilePatch,
): Promise<UserRecord> {
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const user = await findUserById(tx, actor.userId);
    if (!user) throw new AppError('USER_NOT_FOUND');
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (patch.locale !== undefined && patch.locale !== user.locale) {
      before.locale = user.locale;
      after.locale = patch.locale;
    }
    if (patch.dailyDigest !== undefined && patch.dailyDigest !== user.dailyDigest) {
      before.dailyDigest = user.dailyDigest;
      after.dailyDigest = patch.dailyDigest;
    }
    if (Object.keys(after).length === 0) return user;
    if (!(await updateUser(tx, user.id, user.version, after as MyProfilePatch, now)))
      throw new AppError('VERSION_CONFLICT');
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'user.updated',
      recordType: 'user',
      recordId: user.id,
      payload: { before, after },
    });
    return (await findUserById(tx, user.id)) as UserRecord;
  });
}

/** Sets the password of an invited user; the link works once. Audited on the instance chain. */
export async function acceptInvitation(
  ctx: AppContext,
  token: string,
  password: string,
): Promise<UserRecord> {
  const passwordHash = await hashPassword(password);
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const userId = await consumeInvitation(tx, hashToken(token), now);
    if (!userId) throw new AppError('INVITATION_INVALID');
    const user = await findUserById(tx, userId);
    if (!user || !(await updateUser(tx, user.id, user.version, { passwordHash }, now))) {
      throw new AppError('INVITATION_INVALID');
    }
    await recordAudit(tx, toActor(user), now, {
      chain: INSTANCE_CHAIN,
      action: 'invitation.accepted',
      recordType: 'user',
      recordId: user.id,
      payload: { userId: user.id, organizationId: user.organizationId },
    });
    return (await findUserById(tx, userId)) as UserRecord;
  });
}
