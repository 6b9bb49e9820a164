import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId, newSecret } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findUserByApiToken,
  findUserBySession,
  insertApiToken,
  insertSession,
} from '../../persistence/repositories/credentials.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { findUserByEmail, type UserRecord } from '../../persistence/repositories/users.js';
import { recordAudit } from '../audit.js';
import type { AppContext, UserActor } from '../context.js';
import { dummyPasswordHash, hashToken, verifyPassword } from './secrets.js';

export function toActor(u: UserRecord): UserActor {
  return {
    kind: 'user',
    userId: u.id,
    organizationId: u.organizationId,
    role: u.role,
    isAdmin: u.isAdmin,
    name: u.name,
    email: u.email,
    locale: u.locale,
  };
}

export interface LoginResult {
  token: string;
  user: UserRecord;
  expiresAt: string;
}

/** Checks the password (same cost whether or not the e-mail exists) and opens a server-side session. */
export async function login(ctx: AppContext, email: string, password: string): Promise<LoginResult> {
  const user = await findUserByEmail(ctx.db, email);
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyPasswordHash(), password), false);
  if (!user || !ok) throw new AppError('INVALID_CREDENTIALS');
  const now = ctx.clock.now();
  const token = newSecret();
  const expiresAt = isoInstant(now.add({ hours: ctx.config.sessionTtlHours }));
  await inTransaction(ctx.db, async (tx) => {
    await deleteExpiredSessions(tx, isoInstant(now));
    await insertSession(tx, {
      id: newId('session'),
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: isoInstant(now),
      expiresAt,
    });
  });
  return { token, user, expiresAt };
}

export async function logout(ctx: AppContext, token: string): Promise<void> {
  await deleteSession(ctx.db, hashToken(token));
}

export async function authenticateSession(ctx: AppContext, token: string): Promise<UserRecord | null> {
  return findUserBySession(ctx.db, hashToken(token), isoInstant(ctx.clock.now()));
}

export async function authenticateApiToken(ctx: AppContext, token: string): Promise<UserRecord | null> {
  return findUserByApiToken(ctx.db, hashToken(token));
}

/** Creates an API token for automation; the secret is returned once and stored hashed. */
export async function createApiToken(
  ctx: AppContext,
  email: string,
  name = 'cli',
): Promise<{ token: string; user: UserRecord }> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new AppError('USER_NOT_FOUND', { detail: `no user with e-mail ${email}` });
  const token = `bp_${newSecret()}`;
  const now = isoInstant(ctx.clock.now());
  const id = newId('apiToken');
  await inTransaction(ctx.db, async (tx) => {
    await insertApiToken(tx, { id, tokenHash: hashToken(token), userId: user.id, name, createdAt: now });
    await recordAudit(tx, { kind: 'system', label: 'cli' }, now, {
      chain: INSTANCE_CHAIN,
      action: 'api_token.created',
      recordType: 'api_token',
      recordId: id,
      payload: { userId: user.id, name },
    });
  });
  return { token, user };
}

export async function organizationNameOf(ctx: AppContext, user: UserRecord): Promise<string | null> {
  if (!user.organizationId) return null;
  return (await findOrganization(ctx.db, user.organizationId))?.name ?? null;
}
