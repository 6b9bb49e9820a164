import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { inTransaction } from '../../persistence/db.js';
import { deleteSessionsOfUser } from '../../persistence/repositories/credentials.js';
import { findUserById, updateUser } from '../../persistence/repositories/users.js';
import { recordAudit } from '../audit.js';
import { nowIso, type AppContext, type UserActor } from '../context.js';
import { hashPassword, hashToken, verifyPassword } from './secrets.js';

/**
 * A user changes its own password, proving the current one. Every other session of the user ends
 * (the one making the change stays logged in; a change made with an API token ends them all). API
 * tokens are separate credentials and stay. Audited on the instance chain (no hashes in it).
 */
export async function changeMyPassword(
  ctx: AppContext,
  actor: UserActor,
  input: { currentPassword: string; newPassword: string; sessionToken: string | null },
): Promise<{ sessionsEnded: number }> {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('USER_NOT_FOUND');
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('CURRENT_PASSWORD_WRONG');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    if (!(await updateUser(tx, user.id, user.version, { passwordHash }, now))) {
      throw new AppError('VERSION_CONFLICT');
    }
    const keep = input.sessionToken === null ? undefined : hashToken(input.sessionToken);
    const sessionsEnded = await deleteSessionsOfUser(tx, user.id, keep);
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'user.password_changed',
      recordType: 'user',
      recordId: user.id,
      payload: { userId: user.id, otherSessionsEnded: sessionsEnded },
    });
    return { sessionsEnded };
  });
}
