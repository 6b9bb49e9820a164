import { newId } from '../../domain/shared/ids.js';
import type { Db, Tx } from '../db.js';

export interface OutboxItem {
  id: string;
  kind: string;
  dedupeKey: string;
  payload: unknown;
  attempts: number;
}

/**
 * Enqueues a side effect in the caller's transaction. The dedupe key makes enqueueing idempotent:
 * the same key twice yields one item (and so one e-mail).
 */
export async function enqueueOutbox(
  tx: Tx,
  item: { kind: string; dedupeKey: string; payload: unknown; notBefore?: string },
  now: string,
): Promise<void> {
  await tx.q
    .insertInto('outbox')
    .values({
      id: newId('outbox'),
      kind: item.kind,
      dedupe_key: item.dedupeKey,
      payload: JSON.stringify(item.payload),
      state: 'pending',
      attempts: 0,
      next_attempt_at: item.notBefore ?? now,
      locked_until: null,
      last_error: null,
      created_at: now,
      done_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/**
 * Claims up to `limit` due items for `leaseMs`. PostgreSQL: FOR UPDATE SKIP LOCKED so several
 * instances never claim the same row; SQLite: a single writer, claimed with a guarded update.
 */
export async function claimOutbox(db: Db, now: Date, leaseMs: number, limit: number): Promise<OutboxItem[]> {
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  return db.kysely.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('outbox')
      .select(['id', 'kind', 'dedupe_key', 'payload', 'attempts'])
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (db.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    const claimed: OutboxItem[] = [];
    for (const r of rows) {
      const res = await trx
        .updateTable('outbox')
        .set({ locked_until: until })
        .where('id', '=', r.id)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) {
        claimed.push({
          id: r.id,
          kind: r.kind,
          dedupeKey: r.dedupe_key,
          payload: JSON.parse(r.payload) as unknown,
          attempts: Number(r.attempts),
        });
      }
    }
    return claimed;
  });
}

export async function completeOutbox(db: Db, id: string, now: Date): Promise<void> {
  await db.kysely
    .updateTable('outbox')
    .set({ state: 'done', done_at: now.toISOString(), locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function failOutbox(
  db: Db,
  id: string,
  error: string,
  next: { retryAt: Date | null; now: Date },
  attempts: number,
): Promise<void> {
  await db.kysely
    .updateTable('outbox')
    .set({
      state: next.retryAt ? 'pending' : 'failed',
      attempts,
      last_error: error.slice(0, 2000),
      next_attempt_at: (next.retryAt ?? next.now).toISOString(),
      locked_until: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function listOutbox(tx: Tx, kind?: string) {
  let q = tx.q.selectFrom('outbox').selectAll().orderBy('created_at');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}
