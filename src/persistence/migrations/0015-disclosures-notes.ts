import type { Kysely } from 'kysely';

/**
 * Frozen. Third-party disclosures (Art 5, issue 9 item 4): a party's disclosure of incident
 * information to someone outside the two companies, on the counterparty's prior consent (5.1) or
 * under an exception of the 5.1 proviso (law, court order, authority request) with the prior notice
 * of 5.2; the packages built for the recipient (their manifest's SHA-256; the ZIP itself is not
 * kept). Party-internal notes (item 3): a party's working notes on an incident, `party` (own
 * company only) or `shared`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('disclosures')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('filed_by', 'varchar(40)')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('basis', 'varchar(20)', (c) => c.notNull())
    .addColumn('basis_reference', 'text')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('filed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('counterparty_notified_at', 'varchar(32)')
    .addColumn('decided_by', 'varchar(40)')
    .addColumn('decided_at', 'varchar(32)')
    .addColumn('conditions', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('disclosed_at', 'varchar(32)')
    .addColumn('disclosure_recorded_at', 'varchar(32)')
    .addColumn('disclosure_recorded_by', 'varchar(40)')
    .addColumn('prior_notice', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('disclosures_incident_idx')
    .on('disclosures')
    .columns(['incident_id', 'filed_at'])
    .execute();

  await db.schema
    .createTable('disclosure_packages')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('disclosure_id', 'varchar(40)', (c) => c.notNull().references('disclosures.id'))
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('built_by', 'varchar(40)')
    .addColumn('built_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('manifest_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('disclosure_packages_disclosure_idx')
    .on('disclosure_packages')
    .columns(['disclosure_id', 'built_at'])
    .execute();

  await db.schema
    .createTable('incident_notes')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('author_id', 'varchar(40)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('visibility', 'varchar(10)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_notes_incident_idx')
    .on('incident_notes')
    .columns(['incident_id', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('incident_notes').execute();
  await db.schema.dropTable('disclosure_packages').execute();
  await db.schema.dropTable('disclosures').execute();
}
