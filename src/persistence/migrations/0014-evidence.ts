import type { Kysely } from 'kysely';

/**
 * Frozen. Evidence (Art 4.2(7), issue 9 item 2): files a party collected for an incident, kept
 * under DATA_DIR/evidence/ (the row holds the storage key, size and SHA-256), visible to the
 * uploading party until it shares them; and their chain of custody (uploaded, shared, downloaded,
 * integrity failures), each entry pointing at its event in the agreement's audit chain.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evidence')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('party', 'varchar(1)', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('storage_key', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('visibility', 'varchar(10)', (c) => c.notNull())
    .addColumn('collected_by', 'varchar(40)')
    .addColumn('collected_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('shared_by', 'varchar(40)')
    .addColumn('shared_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('evidence_incident_idx')
    .on('evidence')
    .columns(['incident_id', 'collected_at'])
    .execute();

  await db.schema
    .createTable('evidence_custody')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('evidence_id', 'varchar(40)', (c) => c.notNull().references('evidence.id'))
    .addColumn('action', 'varchar(30)', (c) => c.notNull())
    .addColumn('party', 'varchar(1)')
    .addColumn('actor_user_id', 'varchar(40)')
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('audit_chain', 'varchar(40)', (c) => c.notNull())
    .addColumn('audit_seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_custody_evidence_idx')
    .on('evidence_custody')
    .columns(['evidence_id', 'at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('evidence_custody').execute();
  await db.schema.dropTable('evidence').execute();
}
