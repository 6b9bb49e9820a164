import type { Kysely } from 'kysely';

/**
 * Frozen. Survival, mutual termination and announcements (issue 9, items 5 and 7):
 * - `agreements.mutual_termination_on`: the first day a confirmed mutual termination (合意解約)
 *   ends the memorandum (its last day is the day before); null = none. The term engine reads it.
 * - `mutual_terminations`: the proposals — one party's owner/legal proposes `effective_on`, the
 *   other party's confirms (`confirmed`), or the proposer withdraws it (`withdrawn`).
 * - `announcements`, `announcement_versions`, `announcement_approvals`: Art 6 — a public
 *   announcement's versions (1, 2, …), each party's approval of a version (6.1), and the
 *   publication with its final text, or the emergency publication without consultation (6.2).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agreements').addColumn('mutual_termination_on', 'varchar(10)').execute();

  await db.schema
    .createTable('mutual_terminations')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull().references('agreements.id'))
    .addColumn('proposed_by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('proposed_by', 'varchar(40)')
    .addColumn('proposed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('effective_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('decided_by', 'varchar(40)')
    .addColumn('decided_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('mutual_terminations_agreement_idx')
    .on('mutual_terminations')
    .columns(['agreement_id', 'proposed_at'])
    .execute();

  await db.schema
    .createTable('announcements')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('channel', 'varchar(30)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('published_version', 'integer')
    .addColumn('published_at', 'varchar(32)')
    .addColumn('published_url', 'text')
    .addColumn('published_by', 'varchar(40)')
    .addColumn('published_by_party', 'varchar(1)')
    .addColumn('publication_recorded_at', 'varchar(32)')
    .addColumn('final_title', 'text')
    .addColumn('final_body', 'text')
    .addColumn('emergency_reason', 'varchar(30)')
    .addColumn('emergency_explanation', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('announcements_incident_idx')
    .on('announcements')
    .columns(['incident_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('announcements_agreement_idx')
    .on('announcements')
    .column('agreement_id')
    .execute();

  await db.schema
    .createTable('announcement_versions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('announcement_id', 'varchar(40)', (c) => c.notNull().references('announcements.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('announcement_versions_number_uq', ['announcement_id', 'number'])
    .execute();

  await db.schema
    .createTable('announcement_approvals')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('announcement_id', 'varchar(40)', (c) => c.notNull().references('announcements.id'))
    .addColumn('version_number', 'integer', (c) => c.notNull())
    .addColumn('party', 'varchar(1)', (c) => c.notNull())
    .addColumn('approved_by', 'varchar(40)')
    .addColumn('approved_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('announcement_approvals_uq', ['announcement_id', 'version_number', 'party'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('announcement_approvals').execute();
  await db.schema.dropTable('announcement_versions').execute();
  await db.schema.dropTable('announcements').execute();
  await db.schema.dropTable('mutual_terminations').execute();
  await db.schema.alterTable('agreements').dropColumn('mutual_termination_on').execute();
}
