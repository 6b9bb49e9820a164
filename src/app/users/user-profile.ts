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

/** The language choice sticks to the user (and the browser keeps its own copy). Audited on the instance chain. */
export async function updateMyLocale(ctx: AppContext, actor: UserActor, locale: Locale): Promise<UserRecord> {
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const user = await findUserById(tx, actor.userId);
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (user.locale === locale) return user;
    if (!(await updateUser(tx, user.id, user.version, { locale }, now)))
      throw new AppError('VERSION_CONFLICT');
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'user.updated',
      recordType: 'user',
      recordId: user.id,
      payload: { before: { locale: user.locale }, after: { locale } },
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
