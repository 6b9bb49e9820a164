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

export async function insertApiToken(
  tx: Tx,
  t: { id: string; tokenHash: string; userId: string; name: string; createdAt: string },
): Promise<void> {
  await tx.q
    .insertInto('api_tokens')
    .values({ id: t.id, token_hash: t.tokenHash, user_id: t.userId, name: t.name, created_at: t.createdAt })
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
  (tx, tokenHash) =>
    tx.q
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .where('api_tokens.token_hash', '=', tokenHash as string),
  1,
);

/** The user behind an API token, in one query (hot path: every automated request). */
export async function findUserByApiToken(tx: Tx, tokenHash: string): Promise<UserRecord | null> {
  const [r] = await userByApiToken.execute(tx, tokenHash);
  return r ? toUserRecord(r) : null;
}

const userBySession = new HotQuery(
  'userBySession',
  (tx, tokenHash, now) =>
    tx.q
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .where('sessions.token_hash', '=', tokenHash as string)
      .where('sessions.expires_at', '>', now as string),
  2,
);

/** The user behind a live session, in one query (hot path: every browser request). */
export async function findUserBySession(tx: Tx, tokenHash: string, now: string): Promise<UserRecord | null> {
  const [r] = await userBySession.execute(tx, tokenHash, now);
  return r ? toUserRecord(r) : null;
}
