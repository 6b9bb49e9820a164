import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { inTransaction } from '../../persistence/db.js';
import {
  deleteApiToken,
  findApiToken,
  listApiTokensOfUser,
  type ApiTokenRecord,
} from '../../persistence/repositories/credentials.js';
import { findUserById, type UserRecord } from '../../persistence/repositories/users.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext, type UserActor } from '../context.js';
import { issueApiToken } from './sessions.js';

/** A user's own API token: the secret is in the reply once and stored only as a hash. */
export async function createMyApiToken(
  ctx: AppContext,
  actor: UserActor,
  input: { name: string; expiresInDays?: number | undefined },
): Promise<{ record: ApiTokenRecord; token: string }> {
  const user = (await findUserById(ctx.db, actor.userId)) as UserRecord;
  const { id, token } = await issueApiToken(ctx, actor, user, input.name, input.expiresInDays);
  return { record: (await findApiToken(ctx.db, id)) as ApiTokenRecord, token };
}

export async function listMyApiTokens(ctx: AppContext, actor: UserActor): Promise<ApiTokenRecord[]> {
  return listApiTokensOfUser(ctx.db, actor.userId);
}

/**
 * Revokes a token: the row is deleted, so the token answers 401 at once and its id 404 afterwards.
 * A user revokes its own tokens only (another user's token id is 404, its existence not revealed);
 * the operator revokes any by id from the command line (`breachpact token revoke <id>`).
 */
export async function revokeApiToken(ctx: AppContext, actor: Actor, id: string): Promise<ApiTokenRecord> {
  const now = nowIso(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const token = await findApiToken(tx, id);
    if (!token || (actor.kind === 'user' && token.userId !== actor.userId)) {
      throw new AppError('API_TOKEN_NOT_FOUND');
    }
    if (!(await deleteApiToken(tx, id))) throw new AppError('API_TOKEN_NOT_FOUND');
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'api_token.revoked',
      recordType: 'api_token',
      recordId: id,
      payload: { userId: token.userId, name: token.name },
    });
    return token;
  });
}
