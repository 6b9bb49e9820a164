import type { Kysely } from 'kysely';

/**
 * Frozen. Cooperation requests and consultations (issue 9, items 1 and 6):
 * - `cooperation_requests`: Art 4.2 — one party asks the other to cooperate on one of the eight
 *   matters; the requested party accepts (optionally promising delivery by `deliver_by`), declines
 *   with a reason, or delivers (an answer text, optionally evidence ids as a JSON array);
 * - `consultations` and `consultation_messages`: Art 12 — a consultation thread about a subject
 *   (an incident, a cooperation request, a disclosure, an announcement …), its messages, the
 *   proposed outcome and the other party's confirmation (`agreed`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cooperation_requests')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('from_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('to_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('category', 'varchar(30)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'varchar(40)')
    .addColumn('requested_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('responded_at', 'varchar(32)')
    .addColumn('responded_by', 'varchar(40)')
    .addColumn('decline_reason', 'text')
    .addColumn('deliver_by', 'varchar(32)')
    .addColumn('delivered_at', 'varchar(32)')
    .addColumn('delivered_by', 'varchar(40)')
    .addColumn('answer', 'text')
    .addColumn('evidence_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('cooperation_requests_incident_idx')
    .on('cooperation_requests')
    .columns(['incident_id', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('cooperation_requests_agreement_idx')
    .on('cooperation_requests')
    .column('agreement_id')
    .execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('agreement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull().references('incidents.id'))
    .addColumn('subject_type', 'varchar(30)', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('opened_by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('opened_by', 'varchar(40)')
    .addColumn('opened_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('outcome_by_party', 'varchar(1)')
    .addColumn('outcome_by', 'varchar(40)')
    .addColumn('outcome_at', 'varchar(32)')
    .addColumn('agreed_by', 'varchar(40)')
    .addColumn('agreed_at', 'varchar(32)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('consultations_incident_idx')
    .on('consultations')
    .columns(['incident_id', 'opened_at'])
    .execute();
  await db.schema
    .createIndex('consultations_subject_idx')
    .on('consultations')
    .columns(['subject_type', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('consultations_agreement_idx')
    .on('consultations')
    .columns(['agreement_id', 'state'])
    .execute();

  await db.schema
    .createTable('consultation_messages')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('consultation_id', 'varchar(40)', (c) => c.notNull().references('consultations.id'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('by_party', 'varchar(1)', (c) => c.notNull())
    .addColumn('by_user', 'varchar(40)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consultation_messages_consultation_idx')
    .on('consultation_messages')
    .columns(['consultation_id', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consultation_messages').execute();
  await db.schema.dropTable('consultations').execute();
  await db.schema.dropTable('cooperation_requests').execute();
}
