import type { Kysely } from 'kysely';

/**
 * Frozen. An agreement takes effect only when both parties have signed (issue 7, finding 1):
 * - `signed_a_at` / `signed_b_at`: when party A (甲) / B (乙) signed (an instant), null = not yet;
 * - `signed_a_by` / `signed_b_by`: the signing user, null for a memorandum signed on paper;
 * - `signed_on_paper`: 1 when the instance administrator recorded a memorandum both companies signed
 *   on paper (both signatures recorded at once, by no user of either company);
 * - `proposed_signed_on`: the signing date the draft states (agreed when both sign), null = the
 *   Japan date of the later signature.
 * `signed_on` stays null until both have signed. Agreements signed before this migration (on paper
 * by the administrator, or by one party's signature) are backfilled as signed on paper when they
 * were recorded (`created_at`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agreements').addColumn('proposed_signed_on', 'varchar(10)').execute();
  await db.schema.alterTable('agreements').addColumn('signed_a_at', 'varchar(32)').execute();
  await db.schema.alterTable('agreements').addColumn('signed_a_by', 'varchar(40)').execute();
  await db.schema.alterTable('agreements').addColumn('signed_b_at', 'varchar(32)').execute();
  await db.schema.alterTable('agreements').addColumn('signed_b_by', 'varchar(40)').execute();
  await db.schema
    .alterTable('agreements')
    .addColumn('signed_on_paper', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('agreements')
    .set((eb) => ({
      signed_a_at: eb.ref('created_at'),
      signed_b_at: eb.ref('created_at'),
      signed_on_paper: 1,
    }))
    .where('signed_on', 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const c of [
    'signed_on_paper',
    'signed_b_by',
    'signed_b_at',
    'signed_a_by',
    'signed_a_at',
    'proposed_signed_on',
  ]) {
    await db.schema.alterTable('agreements').dropColumn(c).execute();
  }
}
