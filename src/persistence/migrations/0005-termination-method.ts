import type { Kysely } from 'kysely';

/**
 * Frozen. Termination notices (Art 11.2) gain:
 * - `method`: how the written notice (書面) was given — `letter`, `pdf_email` or `other`; null = not
 *   stated (the notices recorded before this migration);
 * - `late_effect`: for a notice received after the deadline, `next_term` (the system's reading: it
 *   ends the agreement at the next term end) or `not_effective` (recorded, ends nothing); null for a
 *   notice on time. Earlier late notices had the system's reading, so they are set to `next_term`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('termination_notices').addColumn('method', 'varchar(20)').execute();
  await db.schema.alterTable('termination_notices').addColumn('late_effect', 'varchar(20)').execute();
  await db
    .updateTable('termination_notices')
    .set({ late_effect: 'next_term' })
    .where('on_time', '=', 0)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('termination_notices').dropColumn('late_effect').execute();
  await db.schema.alterTable('termination_notices').dropColumn('method').execute();
}
