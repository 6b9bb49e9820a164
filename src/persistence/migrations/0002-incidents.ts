import type { Kysely } from 'kysely';

/** Frozen: incidents (Art 2-3), notices, requests for further items, containment, obligations, webhooks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull().references('agreements.id'))
    .addColumn('reporting_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('info_categories', 'text', (c) => c.notNull())
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('cause_entity', 'varchar(30)', (c) => c.notNull())
    .addColumn('suspected', 'integer', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('dismissed_reason', 'text')
    .addColumn('dismissed_at', 'varchar(32)')
    .addColumn('occurred_at', 'varchar(32)')
    .addColumn('discovered_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('affected_persons', 'integer')
    .addColumn('affected_persons_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('affected_records', 'integer')
    .addColumn('affected_records_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('data_items', 'text', (c) => c.notNull())
    .addColumn('sensitive_data', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('financial_harm_risk', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('improper_purpose', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('encrypted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incidents_agreement_idx')
    .on('incidents')
    .columns(['agreement_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('from_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_by', 'varchar(40)')
    .addColumn('acknowledged_at', 'varchar(32)')
    .addColumn('acknowledged_by', 'varchar(40)')
    .addUniqueConstraint('notices_incident_number_uq', ['incident_id', 'number'])
    .execute();

  await db.schema
    .createTable('item_requests')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('requested_by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('requested_by', 'varchar(40)')
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('answered_by', 'varchar(40)')
    .execute();
  await db.schema
    .createIndex('item_requests_incident_idx')
    .on('item_requests')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('containment_actions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('kind', 'varchar(30)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('recorded_by', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('containment_incident_idx')
    .on('containment_actions')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('obligation_waivers')
    .addColumn('obligation_id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('waived_by', 'varchar(40)')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('obligation_waivers_incident_idx')
    .on('obligation_waivers')
    .column('incident_id')
    .execute();

  // One row per obligation with a clock: the reminder sweep reads `next_at` (DESIGN §7: store the
  // next reminder, sweep due rows, claim with a conditional update).
  await db.schema
    .createTable('obligation_clocks')
    .addColumn('obligation_id', 'varchar(120)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('next_stage', 'varchar(10)')
    .addColumn('next_at', 'varchar(32)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('obligation_clocks_next_idx')
    .on('obligation_clocks')
    .column('next_at')
    .execute();
  await db.schema
    .createIndex('obligation_clocks_incident_idx')
    .on('obligation_clocks')
    .column('incident_id')
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organizations.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'varchar(40)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_org_idx').on('webhooks').column('organization_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'webhooks',
    'obligation_clocks',
    'obligation_waivers',
    'containment_actions',
    'item_requests',
    'notices',
    'incidents',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
