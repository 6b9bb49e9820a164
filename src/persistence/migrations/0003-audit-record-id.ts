import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Frozen: audit events name obligations as records (`obligation.waived`), and an Art 3.2(6)
 * obligation id (`obl_<incident>_3-2-6_<request>`) is longer than the 40 characters of
 * 0001's `record_id`. PostgreSQL enforces the length, so waiving such an obligation failed there;
 * SQLite does not enforce varchar lengths and needs no change.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.schema
    .alterTable('audit_events')
    .alterColumn('record_id', (c) => c.setDataType('varchar(120)'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.schema
    .alterTable('audit_events')
    .alterColumn('record_id', (c) => c.setDataType('varchar(40)'))
    .execute();
}
