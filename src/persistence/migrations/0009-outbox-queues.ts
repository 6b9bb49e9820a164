import type { Kysely } from 'kysely';

/**
 * Frozen. The outbox is delivered on separate queues per kind (mail, webhook, the rest), each
 * claiming its own due rows, and a claim names its holder:
 * - `locked_by`: the runner instance holding the lease (null when not leased). The holder renews
 *   the lease of the rows it is still delivering (a heartbeat) and only its own rows;
 * - index `outbox_kind_due_idx` on (kind, state, next_attempt_at) for the per-kind claim.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('locked_by', 'varchar(40)').execute();
  await db.schema
    .createIndex('outbox_kind_due_idx')
    .on('outbox')
    .columns(['kind', 'state', 'next_attempt_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_kind_due_idx').execute();
  await db.schema.alterTable('outbox').dropColumn('locked_by').execute();
}
