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
      locked_by: null,
      last_error: null,
      created_at: now,
      done_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** Which kinds a claim takes: the listed ones, or every kind except the listed ones. */
export type OutboxKindFilter = { kinds: string[] } | { exceptKinds: string[] };

/**
 * Claims up to `limit` due items for `leaseMs` on behalf of `holder` (a runner instance id).
 * PostgreSQL: FOR UPDATE SKIP LOCKED so several instances never claim the same row; SQLite: a
 * single writer, claimed with a guarded update. `filter` restricts the claim to some kinds so each
 * queue (mail, webhook, the rest) claims only its own rows.
 */
export async function claimOutbox(
  db: Db,
  now: Date,
  leaseMs: number,
  limit: number,
  options: { holder?: string; filter?: OutboxKindFilter } = {},
): Promise<OutboxItem[]> {
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const filter = options.filter;
  return db.kysely.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('outbox')
      .select(['id', 'kind', 'dedupe_key', 'payload', 'attempts'])
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (filter && 'kinds' in filter) q = q.where('kind', 'in', filter.kinds);
    if (filter && 'exceptKinds' in filter) q = q.where('kind', 'not in', filter.exceptKinds);
    if (db.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    const claimed: OutboxItem[] = [];
    for (const r of rows) {
      const res = await trx
        .updateTable('outbox')
        .set({ locked_until: until, locked_by: options.holder ?? null })
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

/**
 * The heartbeat: extends to `until` the lease of those of `ids` that `holder` still holds (still
 * pending and leased by it). Returns how many leases were renewed; a row another instance has
 * claimed since (after this one's lease ran out) is left alone.
 */
export async function renewOutboxLeases(db: Db, holder: string, ids: string[], until: Date): Promise<number> {
  if (ids.length === 0) return 0;
  let renewed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const res = await db.kysely
      .updateTable('outbox')
      .set({ locked_until: until.toISOString() })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('locked_by', '=', holder)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    renewed += Number(res.numUpdatedRows);
  }
  return renewed;
}

/**
 * Gives a claimed item back without an attempt (its destination is busy): due again at `dueAt`.
 * Only the holder's own lease is released.
 */
export async function releaseOutbox(db: Db, id: string, holder: string, dueAt: Date): Promise<void> {
  await db.kysely
    .updateTable('outbox')
    .set({ locked_until: null, locked_by: null, next_attempt_at: dueAt.toISOString() })
    .where('id', '=', id)
    .where('locked_by', '=', holder)
    .where('state', '=', 'pending')
    .execute();
}

export async function completeOutbox(db: Db, id: string, now: Date): Promise<void> {
  await db.kysely
    .updateTable('outbox')
    .set({ state: 'done', done_at: now.toISOString(), locked_until: null, locked_by: null })
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
      locked_by: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function listOutbox(tx: Tx, kind?: string) {
  let q = tx.q.selectFrom('outbox').selectAll().orderBy('created_at');
  if (kind) q = q.where('kind', '=', kind);
  return q.execute();
}
