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
  touchApiToken,
} from '../../persistence/repositories/credentials.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { findUserByEmail, type UserRecord } from '../../persistence/repositories/users.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext, UserActor } from '../context.js';
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
  // A disabled or removed account cannot log in (the same answer as a wrong password).
  if (!user || !ok || user.disabledAt !== null || user.removedAt !== null) {
    throw new AppError('INVALID_CREDENTIALS');
  }
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

/** How often a token's `last_used_at` is written at most (the hot path stays mostly read-only). */
const TOKEN_TOUCH_SECONDS = 60;

/**
 * The user behind a live API token: not expired, not revoked, its user neither disabled nor removed.
 * Records the use (at most once a minute).
 */
export async function authenticateApiToken(ctx: AppContext, token: string): Promise<UserRecord | null> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const found = await findUserByApiToken(ctx.db, hashToken(token), now);
  if (!found) return null;
  const notSince = isoInstant(nowInstant.subtract({ seconds: TOKEN_TOUCH_SECONDS }));
  if (found.lastUsedAt === null || found.lastUsedAt < notSince) {
    await touchApiToken(ctx.db, found.tokenId, now, notSince);
  }
  return found.user;
}

/**
 * Creates an API token for automation from the command line (the operator's `token create`); the
 * secret is returned once and stored hashed. Users make their own in the app (`POST /api/v1/tokens`).
 */
export async function createApiToken(
  ctx: AppContext,
  email: string,
  name = 'cli',
  expiresInDays?: number,
): Promise<{ token: string; user: UserRecord; id: string; expiresAt: string | null }> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.removedAt !== null) {
    throw new AppError('USER_NOT_FOUND', { detail: `no user with e-mail ${email}` });
  }
  return issueApiToken(ctx, { kind: 'system', label: 'cli' }, user, name, expiresInDays);
}

/** Stores a new token (hashed) with its audit event on the instance chain; returns the secret once. */
export async function issueApiToken(
  ctx: AppContext,
  actor: Actor,
  user: UserRecord,
  name: string,
  expiresInDays?: number,
): Promise<{ token: string; user: UserRecord; id: string; expiresAt: string | null }> {
  const token = `bp_${newSecret()}`;
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const expiresAt =
    expiresInDays === undefined ? null : isoInstant(nowInstant.add({ hours: 24 * expiresInDays }));
  const id = newId('apiToken');
  await inTransaction(ctx.db, async (tx) => {
    await insertApiToken(tx, {
      id,
      tokenHash: hashToken(token),
      userId: user.id,
      name,
      createdAt: now,
      expiresAt,
    });
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'api_token.created',
      recordType: 'api_token',
      recordId: id,
      payload: { userId: user.id, name, expiresAt },
    });
  });
  return { token, user, id, expiresAt };
}

export async function organizationNameOf(ctx: AppContext, user: UserRecord): Promise<string | null> {
  if (!user.organizationId) return null;
  return (await findOrganization(ctx.db, user.organizationId))?.name ?? null;
}
