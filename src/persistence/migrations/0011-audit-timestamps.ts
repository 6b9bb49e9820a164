import type { Kysely } from 'kysely';

/**
 * Frozen. RFC 3161 time-stamps of audit chain heads (issue 7, finding 4c), when AUDIT_TSA_URL is
 * set: per (chain, seq) the signed head time-stamped (hash and `at`: the imprint is SHA-256 of
 * `chain|seq|hash|at`), the TSA's genTime, URL and signing certificate (subject, SHA-256
 * fingerprint; its CMS signature verified against it) and the whole TimeStampToken (DER, base64)
 * so a party can check it with `openssl ts -verify`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_timestamps')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('chain', 'varchar(40)', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('gen_time', 'varchar(32)', (c) => c.notNull())
    .addColumn('tsa', 'varchar(500)', (c) => c.notNull())
    .addColumn('tsa_subject', 'varchar(500)', (c) => c.notNull())
    .addColumn('tsa_cert_sha256', 'varchar(100)', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('audit_timestamps_chain_seq', ['chain', 'seq'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_timestamps').ifExists().execute();
}
