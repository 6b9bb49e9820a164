import type { Kysely } from 'kysely';

/**
 * Frozen. The daily digest (issue 8, item 5): a mail at 9:00 Japan time of each user's open duties.
 * - `users.daily_digest`: 1 = the user wants the digest (the default), 0 = opted out (PATCH /me).
 * - `users.digest_on`: the Japan date (YYYY-MM-DD) of the last digest pass that took the user,
 *   whether or not a mail was due. A pass claims a user with an update guarded on this column, so
 *   several instances or a restart later in the day never mail a user twice on one date.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('daily_digest', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('users').addColumn('digest_on', 'varchar(10)').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('digest_on').execute();
  await db.schema.alterTable('users').dropColumn('daily_digest').execute();
}
