import { HotQuery } from '../compiled.js';
import type { Tx } from '../db.js';
import { toUserRecord, type UserRecord } from './users.js';

/** Sessions, API tokens and invitations: only SHA-256 hashes of the secrets are stored. */
export async function insertSession(
  tx: Tx,
  s: { id: string; tokenHash: string; userId: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await tx.q
    .insertInto('sessions')
    .values({
      id: s.id,
      token_hash: s.tokenHash,
      user_id: s.userId,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function deleteSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.q.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(tx: Tx, now: string): Promise<void> {
  await tx.q.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/** Ends every session of a user, except the one whose token hash is `keepTokenHash`. Returns how many. */
export async function deleteSessionsOfUser(tx: Tx, userId: string, keepTokenHash?: string): Promise<number> {
  let q = tx.q.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash !== undefined) q = q.where('token_hash', '!=', keepTokenHash);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function insertApiToken(
  tx: Tx,
  t: {
    id: string;
    tokenHash: string;
    userId: string;
    name: string;
    createdAt: string;
    expiresAt?: string | null;
  },
): Promise<void> {
  await tx.q
    .insertInto('api_tokens')
    .values({
      id: t.id,
      token_hash: t.tokenHash,
      user_id: t.userId,
      name: t.name,
      created_at: t.createdAt,
      expires_at: t.expiresAt ?? null,
    })
    .execute();
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const tokenColumns = ['id', 'user_id', 'name', 'created_at', 'last_used_at', 'expires_at'] as const;

function toApiTokenRecord(r: {
  id: string;
  user_id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}): ApiTokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  };
}

/** A user's API tokens, newest first (never the secret: only its hash is stored anyway). */
export async function listApiTokensOfUser(tx: Tx, userId: string): Promise<ApiTokenRecord[]> {
  const rows = await tx.q
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiTokenRecord);
}

export async function findApiToken(tx: Tx, id: string): Promise<ApiTokenRecord | null> {
  const r = await tx.q.selectFrom('api_tokens').select(tokenColumns).where('id', '=', id).executeTakeFirst();
  return r ? toApiTokenRecord(r) : null;
}

/** Deletes one token (a revoked token is gone: 404 afterwards, 401 when used). */
export async function deleteApiToken(tx: Tx, id: string): Promise<boolean> {
  const res = await tx.q.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export async function deleteApiTokensOfUser(tx: Tx, userId: string): Promise<number> {
  const res = await tx.q.deleteFrom('api_tokens').where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Records a token's use, at most once a minute per token (the hot path stays read-only otherwise). */
export async function touchApiToken(tx: Tx, id: string, now: string, notSince: string): Promise<void> {
  await tx.q
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notSince)]))
    .execute();
}

/** Voids a user's unused invitations (a removed or disabled user's link must not set a password). */
export async function voidInvitationsOfUser(tx: Tx, userId: string, now: string): Promise<void> {
  await tx.q
    .updateTable('invitations')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

export async function insertInvitation(
  tx: Tx,
  i: { id: string; userId: string; tokenHash: string; expiresAt: string; createdAt: string },
): Promise<void> {
  await tx.q
    .insertInto('invitations')
    .values({
      id: i.id,
      user_id: i.userId,
      token_hash: i.tokenHash,
      expires_at: i.expiresAt,
      used_at: null,
      created_at: i.createdAt,
    })
    .execute();
}

/** Marks an unused, unexpired invitation used; returns its user id, or null. Guarded in the WHERE. */
export async function consumeInvitation(tx: Tx, tokenHash: string, now: string): Promise<string | null> {
  const r = await tx.q
    .selectFrom('invitations')
    .select(['id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!r) return null;
  const res = await tx.q
    .updateTable('invitations')
    .set({ used_at: now })
    .where('id', '=', r.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? r.user_id : null;
}

const userByApiToken = new HotQuery(
  'userByApiToken',
  (tx, tokenHash, now) =>
    tx.q
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .select(['api_tokens.id as token_id', 'api_tokens.last_used_at as token_last_used_at'])
      .where('api_tokens.token_hash', '=', tokenHash as string)
      .where((eb) =>
        eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now as string)]),
      )
      .where('users.disabled_at', 'is', null)
      .where('users.removed_at', 'is', null),
  2,
);

/**
 * The user behind a live API token (not expired; the user neither disabled nor removed), in one
 * query (hot path: every automated request), with the token's id and when it was last used.
 */
export async function findUserByApiToken(
  tx: Tx,
  tokenHash: string,
  now: string,
): Promise<{ user: UserRecord; tokenId: string; lastUsedAt: string | null } | null> {
  const [r] = await userByApiToken.execute(tx, tokenHash, now);
  return r ? { user: toUserRecord(r), tokenId: r.token_id, lastUsedAt: r.token_last_used_at } : null;
}

const userBySession = new HotQuery(
  'userBySession',
  (tx, tokenHash, now) =>
    tx.q
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .where('sessions.token_hash', '=', tokenHash as string)
      .where('sessions.expires_at', '>', now as string)
      .where('users.disabled_at', 'is', null)
      .where('users.removed_at', 'is', null),
  2,
);

/** The user behind a live session of an active user, in one query (hot path: every browser request). */
export async function findUserBySession(tx: Tx, tokenHash: string, now: string): Promise<UserRecord | null> {
  const [r] = await userBySession.execute(tx, tokenHash, now);
  return r ? toUserRecord(r) : null;
}
