import type { Kysely } from 'kysely';

/**
 * Frozen. Audit anchors (issue 7, findings 4 and 9):
 * - `audit_signed_heads`: each chain's head as last appended, signed with the instance's Ed25519
 *   key (kept outside the database), so a rewrite that recomputes the hashes is still detected;
 * - `audit_checkpoints`: per chain, the last (seq, hash) a verification found intact, signed the
 *   same way: a page of audit events verifies only the events after it;
 * - `audit_receipts`: the signed heads handed to the parties (by webhook and download), one per
 *   `dedupe` key (`event:<chain>:<seq>`, `daily:<chain>:<date>`);
 * - `audit_verification_runs`: when each full verification ran and what it found.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_signed_heads', 'audit_checkpoints']) {
    await db.schema
      .createTable(table)
      .addColumn('chain', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addColumn('signature', 'varchar(100)', (c) => c.notNull())
      .execute();
  }
  await db.schema
    .createTable('audit_receipts')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('dedupe', 'varchar(120)', (c) => c.notNull().unique())
    .addColumn('chain', 'varchar(40)', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('signature', 'varchar(100)', (c) => c.notNull())
    .addColumn('reason', 'varchar(20)', (c) => c.notNull())
    .addColumn('issued_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_receipts_chain_seq')
    .on('audit_receipts')
    .columns(['chain', 'seq'])
    .execute();
  await db.schema
    .createTable('audit_verification_runs')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('finished_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('checked', 'integer', (c) => c.notNull())
    .addColumn('chains', 'integer', (c) => c.notNull())
    .addColumn('breaks', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_verification_runs_finished')
    .on('audit_verification_runs')
    .column('finished_at')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['audit_verification_runs', 'audit_receipts', 'audit_checkpoints', 'audit_signed_heads']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
