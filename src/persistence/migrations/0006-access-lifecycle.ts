import type { Kysely } from 'kysely';

/**
 * Frozen. The access lifecycle (issue 7, finding 7):
 * - `users.disabled_at`: set while an account is disabled (no login, its sessions and API tokens
 *   answer 401); null when active.
 * - `users.removed_at`: set when an owner removed the user from its organisation. The row stays so
 *   the names in audit trails, notices and signatures still resolve; its e-mail address is freed
 *   (rewritten to `<id>@removed.invalid`; the original is in the `user.removed` audit event).
 * - `api_tokens.expires_at`: an optional expiry; null = no expiry (the tokens made before this).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'varchar(32)').execute();
  await db.schema.alterTable('users').addColumn('removed_at', 'varchar(32)').execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'varchar(32)').execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_user_idx').execute();
  await db.schema.dropIndex('api_tokens_user_idx').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('users').dropColumn('removed_at').execute();
  await db.schema.alterTable('users').dropColumn('disabled_at').execute();
}
