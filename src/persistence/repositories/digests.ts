import type { Tx } from '../db.js';
import { toUserRecord, type UserRecord } from './users.js';

/**
 * The users a digest pass on `today` (a Japan date, YYYY-MM-DD) still has to take: members of an
 * organisation (not the instance administrator) who can log in — invitation accepted, not
 * disabled, not removed — want the digest, and were not taken by a pass on that date yet.
 */
export async function listDigestCandidates(tx: Tx, today: string): Promise<UserRecord[]> {
  const rows = await tx.q
    .selectFrom('users')
    .selectAll()
    .where('organization_id', 'is not', null)
    .where('is_admin', '=', 0)
    .where('password_hash', 'is not', null)
    .where('disabled_at', 'is', null)
    .where('removed_at', 'is', null)
    .where('daily_digest', '=', 1)
    .where((eb) => eb.or([eb('digest_on', 'is', null), eb('digest_on', '<', today)]))
    .orderBy('organization_id')
    .orderBy('id')
    .execute();
  return rows.map(toUserRecord);
}

/**
 * Claims a user for `today`'s digest: an update guarded on `digest_on`, so of two instances (or a
 * pass repeated after a restart) exactly one takes the user on a date. Bookkeeping only: the user's
 * `version` and `updated_at` are left alone. False when already taken or opted out meanwhile.
 */
export async function claimDigest(tx: Tx, userId: string, today: string): Promise<boolean> {
  const res = await tx.q
    .updateTable('users')
    .set({ digest_on: today })
    .where('id', '=', userId)
    .where('daily_digest', '=', 1)
    .where((eb) => eb.or([eb('digest_on', 'is', null), eb('digest_on', '<', today)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
