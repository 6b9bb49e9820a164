import type { Tx } from '../db.js';
import { toUserRecord, type UserRecord } from './users.js';

/** Calendar feeds: a user's secret iCalendar URLs; only the SHA-256 of the token is stored. */
export interface CalendarFeedRecord {
  id: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const columns = ['id', 'user_id', 'created_at', 'last_used_at'] as const;

function toRecord(r: {
  id: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
}): CalendarFeedRecord {
  return { id: r.id, userId: r.user_id, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

export async function insertCalendarFeed(
  tx: Tx,
  f: { id: string; tokenHash: string; userId: string; createdAt: string },
): Promise<void> {
  await tx.q
    .insertInto('calendar_feeds')
    .values({ id: f.id, token_hash: f.tokenHash, user_id: f.userId, created_at: f.createdAt })
    .execute();
}

/** A user's feeds, newest first (never the token: only its hash is stored anyway). */
export async function listCalendarFeedsOfUser(tx: Tx, userId: string): Promise<CalendarFeedRecord[]> {
  const rows = await tx.q
    .selectFrom('calendar_feeds')
    .select(columns)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRecord);
}

export async function findCalendarFeed(tx: Tx, id: string): Promise<CalendarFeedRecord | null> {
  const r = await tx.q.selectFrom('calendar_feeds').select(columns).where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

/** Deletes one feed (its URL answers 404 at once). */
export async function deleteCalendarFeed(tx: Tx, id: string): Promise<boolean> {
  const res = await tx.q.deleteFrom('calendar_feeds').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/**
 * The feed behind a token hash with its owner, only while the owner is active (neither disabled nor
 * removed): a disabled or removed user's feed reads as unknown.
 */
export async function findCalendarFeedOwner(
  tx: Tx,
  tokenHash: string,
): Promise<{ feed: CalendarFeedRecord; user: UserRecord } | null> {
  const r = await tx.q
    .selectFrom('calendar_feeds')
    .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
    .selectAll('users')
    .select([
      'calendar_feeds.id as feed_id',
      'calendar_feeds.created_at as feed_created_at',
      'calendar_feeds.last_used_at as feed_last_used_at',
    ])
    .where('calendar_feeds.token_hash', '=', tokenHash)
    .where('users.disabled_at', 'is', null)
    .where('users.removed_at', 'is', null)
    .executeTakeFirst();
  if (!r) return null;
  return {
    feed: { id: r.feed_id, userId: r.id, createdAt: r.feed_created_at, lastUsedAt: r.feed_last_used_at },
    user: toUserRecord(r),
  };
}

/** Records a read, at most once per `notSince` window (calendar clients poll often). */
export async function touchCalendarFeed(tx: Tx, id: string, now: string, notSince: string): Promise<void> {
  await tx.q
    .updateTable('calendar_feeds')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notSince)]))
    .execute();
}
