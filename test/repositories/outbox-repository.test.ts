import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { inTransaction } from '../../src/persistence/db.js';
import {
  claimOutbox,
  completeOutbox,
  enqueueOutbox,
  failOutbox,
  listOutbox,
} from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';

const T0 = new Date('2026-11-28T01:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;

forEachDialect('outbox repository', (h) => {
  // Each test uses its own `kind` so items of other tests never get in the way.
  let kind: string;
  beforeEach(async () => {
    // Items from earlier tests must not be claimable: finish them all.
    await h.db.kysely.updateTable('outbox').set({ state: 'done' }).where('state', '=', 'pending').execute();
    kind = `test_${randomBytes(4).toString('hex')}`;
  });
  const key = (k: string) => `${kind}:${k}`;
  const rows = () => listOutbox(h.db, kind);

  it('enqueueing twice with the same dedupe key keeps one row (the first payload)', async () => {
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(tx, { kind, dedupeKey: key('x'), payload: { n: 1 } }, T0.toISOString()),
    );
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(tx, { kind, dedupeKey: key('x'), payload: { n: 2 } }, at(1000).toISOString()),
    );
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(tx, { kind, dedupeKey: key('y'), payload: { n: 3 } }, T0.toISOString()),
    );
    const r = await rows();
    expect(r).toHaveLength(2);
    const x = r.find((row) => row.dedupe_key === key('x'))!;
    expect(JSON.parse(x.payload)).toEqual({ n: 1 });
    expect(x.state).toBe('pending');
    expect(Number(x.attempts)).toBe(0);
    expect(x.next_attempt_at).toBe(T0.toISOString());
  });

  it('an enqueue in a rolled-back transaction leaves nothing', async () => {
    await expect(
      inTransaction(h.db, async (tx) => {
        await enqueueOutbox(tx, { kind, dedupeKey: key('rb'), payload: {} }, T0.toISOString());
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await rows()).toEqual([]);
  });

  it('claims due items once; inside the lease nobody else gets them; after the lease they can be claimed again', async () => {
    await inTransaction(h.db, async (tx) => {
      await enqueueOutbox(
        tx,
        { kind, dedupeKey: key('a'), payload: { to: 'a@example.com' } },
        T0.toISOString(),
      );
      await enqueueOutbox(
        tx,
        { kind, dedupeKey: key('b'), payload: { to: 'b@example.com' } },
        T0.toISOString(),
      );
      // Not yet due.
      await enqueueOutbox(
        tx,
        { kind, dedupeKey: key('later'), payload: {}, notBefore: at(10 * 60_000).toISOString() },
        T0.toISOString(),
      );
    });
    const first = await claimOutbox(h.db, T0, LEASE, 10);
    expect(first.map((i) => i.dedupeKey).sort()).toEqual([key('a'), key('b')]);
    expect(first.find((i) => i.dedupeKey === key('a'))).toMatchObject({
      kind,
      payload: { to: 'a@example.com' },
      attempts: 0,
    });

    expect(await claimOutbox(h.db, T0, LEASE, 10)).toEqual([]);
    expect(await claimOutbox(h.db, at(LEASE - 1), LEASE, 10)).toEqual([]);

    const again = await claimOutbox(h.db, at(LEASE), LEASE, 10);
    expect(again.map((i) => i.dedupeKey).sort()).toEqual([key('a'), key('b')]);

    // The not-yet-due item becomes claimable at its time (a and b are delivered by then).
    for (const i of again) await completeOutbox(h.db, i.id, at(LEASE + 1));
    expect(await claimOutbox(h.db, at(10 * 60_000 - 1), LEASE, 10)).toEqual([]);
    const late = await claimOutbox(h.db, at(10 * 60_000), LEASE, 10);
    expect(late.map((i) => i.dedupeKey)).toEqual([key('later')]);
  });

  it('respects the claim limit', async () => {
    await inTransaction(h.db, async (tx) => {
      for (let i = 0; i < 5; i++)
        await enqueueOutbox(tx, { kind, dedupeKey: key(`l${i}`), payload: { i } }, T0.toISOString());
    });
    const a = await claimOutbox(h.db, T0, LEASE, 2);
    const b = await claimOutbox(h.db, T0, LEASE, 2);
    const c = await claimOutbox(h.db, T0, LEASE, 2);
    expect([a.length, b.length, c.length]).toEqual([2, 2, 1]);
    expect(new Set([...a, ...b, ...c].map((i) => i.id)).size).toBe(5);
  });

  it('completed items are never claimed again', async () => {
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(tx, { kind, dedupeKey: key('done'), payload: {} }, T0.toISOString()),
    );
    const [item] = await claimOutbox(h.db, T0, LEASE, 10);
    await completeOutbox(h.db, item!.id, at(1000));
    expect(await claimOutbox(h.db, at(10 * LEASE), LEASE, 10)).toEqual([]);
    const [row] = await rows();
    expect(row).toMatchObject({ state: 'done', done_at: at(1000).toISOString(), locked_until: null });
  });

  it('failOutbox schedules a retry (not before retryAt), and without retryAt marks the item failed', async () => {
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(tx, { kind, dedupeKey: key('f'), payload: {} }, T0.toISOString()),
    );
    const [item] = await claimOutbox(h.db, T0, LEASE, 10);
    const retryAt = at(5 * 60_000);
    await failOutbox(h.db, item!.id, 'SMTP 451 try later', { retryAt, now: new Date() }, 1);
    let [row] = await rows();
    expect(row).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_error: 'SMTP 451 try later',
      next_attempt_at: retryAt.toISOString(),
      locked_until: null,
    });
    // The lease was released, but the item is not due before retryAt.
    expect(await claimOutbox(h.db, at(1000), LEASE, 10)).toEqual([]);
    expect(await claimOutbox(h.db, at(5 * 60_000 - 1), LEASE, 10)).toEqual([]);
    const [retry] = await claimOutbox(h.db, retryAt, LEASE, 10);
    expect(retry).toMatchObject({ id: item!.id, attempts: 1 });

    await failOutbox(h.db, item!.id, 'x'.repeat(5000), { retryAt: null, now: new Date() }, 2);
    [row] = await rows();
    expect(row!.state).toBe('failed');
    expect(Number(row!.attempts)).toBe(2);
    expect(row!.last_error).toHaveLength(2000);
    expect(await claimOutbox(h.db, at(100 * LEASE), LEASE, 10)).toEqual([]);
  });

  it('two concurrent claimers: each item is claimed by exactly one', async () => {
    const n = 30;
    await inTransaction(h.db, async (tx) => {
      for (let i = 0; i < n; i++)
        await enqueueOutbox(tx, { kind, dedupeKey: key(`c${i}`), payload: { i } }, T0.toISOString());
    });
    for (let round = 0; round < 3; round++) {
      const now = at(round * (LEASE + 1));
      const [x, y] = await Promise.all([
        claimOutbox(h.db, now, LEASE, 20),
        claimOutbox(h.db, now, LEASE, 20),
      ]);
      const ids = [...x, ...y].map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length); // nobody got an item twice
      expect(ids.length).toBe(n); // and together they got them all (20 + 10, or any split)
    }
  });

  it('many concurrent claimers with small batches still never share an item', async () => {
    const n = 25;
    await inTransaction(h.db, async (tx) => {
      for (let i = 0; i < n; i++)
        await enqueueOutbox(tx, { kind, dedupeKey: key(`m${i}`), payload: { i } }, T0.toISOString());
    });
    const batches = await Promise.all(Array.from({ length: 8 }, () => claimOutbox(h.db, T0, LEASE, 3)));
    const ids = batches.flat().map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(n);
    // Whatever is left is claimable by one more round, and the total is exactly n.
    const rest = await claimOutbox(h.db, T0, LEASE, 100);
    expect(ids.length + rest.length).toBe(n);
    expect(new Set([...ids, ...rest.map((i) => i.id)]).size).toBe(n);
  });
});
