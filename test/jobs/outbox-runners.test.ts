import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/app/mail/templates.js';
import { inTransaction, openDatabase, type Db } from '../../src/persistence/db.js';
import { enqueueOutbox, listOutbox } from '../../src/persistence/repositories/outbox.js';
import { backoffMs, OutboxRunner } from '../../src/jobs/outbox-runner.js';
import type { Mailer } from '../../src/jobs/mailer.js';
import { availableDialects, createTestDatabase, forEachDialect } from '../support/dialects.js';

const T0 = new Date('2026-11-28T01:00:00.000Z');
const silent = { info: () => undefined, warn: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A strict fake at the SMTP boundary: counts every send by message id; can fail or hang on demand. */
class CountingMailer implements Mailer {
  readonly sends = new Map<string, number>();
  readonly order: string[] = [];
  failFor = new Set<string>();
  hangFor = new Set<string>();
  delayMs = 0;
  async send(m: MailMessage, messageId: string): Promise<void> {
    if (this.hangFor.has(m.to)) return new Promise<void>(() => undefined); // never settles: a crash mid-send
    if (this.delayMs) await sleep(this.delayMs);
    if (this.failFor.has(m.to)) throw new Error(`450 mailbox ${m.to} unavailable`);
    this.sends.set(messageId, (this.sends.get(messageId) ?? 0) + 1);
    this.order.push(m.to);
  }
  close(): void {}
}

const mail = (i: number | string): MailMessage => ({
  to: `user${i}@example.com`,
  subject: `【BreachPact】テスト ${i}`,
  text: `本文 ${i}`,
  locale: 'ja',
});

async function enqueueMails(db: Db, keys: string[], now = T0): Promise<void> {
  await inTransaction(db, async (tx) => {
    for (const k of keys)
      await enqueueOutbox(tx, { kind: 'mail', dedupeKey: k, payload: mail(k) }, now.toISOString());
  });
}

/** Loops runOnce until a run claims nothing. */
async function runUntilEmpty(runner: OutboxRunner): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runner.runOnce();
    if (n === 0) return total;
    total += n;
  }
}

const msgId = (key: string) => `<${key.replace(/[^\w.-]/g, '.')}@breachpact>`;

// ---------------------------------------------------------------------------------------------
// Several instances on one PostgreSQL database
// ---------------------------------------------------------------------------------------------

const hasPostgres = availableDialects().includes('postgres');
if (!hasPostgres) {
  console.warn('⚠ outbox-runners: no PostgreSQL available — the two-instance [postgres] test is SKIPPED.');
}

describe.skipIf(!hasPostgres)('two outbox runners on one database [postgres]', () => {
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  let second: Db;

  beforeAll(async () => {
    created = await createTestDatabase('postgres');
    // A second pool to the same database: a second app instance.
    second = openDatabase({ dialect: 'postgres', url: created.url as string });
  });
  afterAll(async () => {
    await second?.destroy();
    await created?.drop();
  });

  it('[postgres] 200 queued items, two instances running concurrently: each item delivered exactly once', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `load:${i}`);
    await enqueueMails(created.db, keys);
    const mailerA = new CountingMailer();
    const mailerB = new CountingMailer();
    mailerA.delayMs = 1;
    mailerB.delayMs = 1;
    const now = () => new Date(T0.getTime() + 1000);
    const a = new OutboxRunner({ db: created.db, mailer: mailerA, logger: silent, now, batch: 7 });
    const b = new OutboxRunner({ db: second, mailer: mailerB, logger: silent, now, batch: 7 });
    const [na, nb] = await Promise.all([runUntilEmpty(a), runUntilEmpty(b)]);

    expect(na + nb).toBe(200);
    // Both instances did part of the work (the test exercises concurrency, not one runner).
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    const counts = new Map<string, number>();
    for (const m of [mailerA, mailerB])
      for (const [id, n] of m.sends) counts.set(id, (counts.get(id) ?? 0) + n);
    expect(counts.size).toBe(200);
    for (const k of keys) expect(counts.get(msgId(k)), k).toBe(1);
    // Nobody delivered an item the other one also delivered.
    const both = [...mailerA.sends.keys()].filter((id) => mailerB.sends.has(id));
    expect(both).toEqual([]);
    const rows = await listOutbox(created.db, 'mail');
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.state === 'done' && Number(r.attempts) === 0 && r.done_at !== null)).toBe(
      true,
    );
  });

  it('[postgres] the start()/stop() loops of two instances drain the outbox without duplicates', async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `loop:${i}`);
    await enqueueMails(created.db, keys);
    const mailerA = new CountingMailer();
    const mailerB = new CountingMailer();
    const now = () => new Date(T0.getTime() + 2000);
    const a = new OutboxRunner({
      db: created.db,
      mailer: mailerA,
      logger: silent,
      now,
      batch: 5,
      intervalMs: 5,
    });
    const b = new OutboxRunner({ db: second, mailer: mailerB, logger: silent, now, batch: 5, intervalMs: 5 });
    a.start();
    b.start();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const pending = (await listOutbox(created.db, 'mail')).filter((r) => r.dedupe_key.startsWith('loop:'));
      if (pending.every((r) => r.state === 'done')) break;
      await sleep(20);
    }
    await Promise.all([a.stop(), b.stop()]);
    for (const k of keys) {
      const n = (mailerA.sends.get(msgId(k)) ?? 0) + (mailerB.sends.get(msgId(k)) ?? 0);
      expect(n, k).toBe(1);
    }
  });
  it('[postgres] an instance killed mid-delivery: the other instance delivers its 10 claimed rows within seconds of the short lease, each once', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `killed:${i}`);
    const realNow = new Date();
    await enqueueMails(created.db, keys, realNow);
    const LEASE = 2_000;
    const hung = new CountingMailer();
    for (const k of keys) hung.hangFor.add(mail(k).to);
    const dying = new OutboxRunner({
      db: created.db,
      mailer: hung,
      logger: silent,
      leaseMs: LEASE,
      heartbeatMs: 300,
      intervalMs: 50,
    });
    dying.start();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = (await listOutbox(created.db, 'mail')).filter((r) => r.dedupe_key.startsWith('killed:'));
      if (rows.length === 10 && rows.every((r) => r.locked_by === dying.instanceId)) break;
      if (Date.now() > deadline) throw new Error('the dying instance did not claim the 10 rows');
      await sleep(20);
    }
    // Alive for a while longer than its lease: its heartbeat keeps the rows from the other instance.
    const healthy = new CountingMailer();
    const other = new OutboxRunner({
      db: second,
      mailer: healthy,
      logger: silent,
      leaseMs: LEASE,
      intervalMs: 50,
    });
    other.start();
    await sleep(LEASE * 1.5);
    expect(healthy.sends.size).toBe(0);
    await dying.stop({ graceMs: 0 }); // killed: no completion, no heartbeat
    const killedAt = Date.now();
    try {
      for (;;) {
        const rows = (await listOutbox(created.db, 'mail')).filter((r) => r.dedupe_key.startsWith('killed:'));
        if (rows.every((r) => r.state === 'done')) break;
        if (Date.now() - killedAt > LEASE + 15_000) throw new Error('the other instance did not take over');
        await sleep(20);
      }
      expect(Date.now() - killedAt).toBeLessThan(LEASE + 8_000);
      for (const k of keys) expect(healthy.sends.get(msgId(k)), k).toBe(1);
    } finally {
      await other.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Retry, failure and leases — on every dialect
// ---------------------------------------------------------------------------------------------

forEachDialect('outbox runner delivery semantics', (h) => {
  beforeEach(async () => {
    // Whatever earlier tests left is out of the way.
    await h.db.kysely.updateTable('outbox').set({ state: 'done' }).where('state', '=', 'pending').execute();
  });

  const row = async (key: string) => {
    const r = (await listOutbox(h.db)).find((x) => x.dedupe_key === key);
    expect(r, key).toBeDefined();
    return r as NonNullable<typeof r>;
  };

  it('one runner delivers 200 items exactly once, in batches', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `single:${i}`);
    await enqueueMails(h.db, keys);
    const mailer = new CountingMailer();
    const runner = new OutboxRunner({ db: h.db, mailer, logger: silent, now: () => T0, batch: 20 });
    expect(await runner.runOnce()).toBe(20);
    expect(await runUntilEmpty(runner)).toBe(180);
    for (const k of keys) expect(mailer.sends.get(msgId(k)), k).toBe(1);
    expect(await runner.runOnce()).toBe(0);
  });

  it('two runners sharing the database handle in one process never deliver an item twice', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `shared:${i}`);
    await enqueueMails(h.db, keys);
    const ma = new CountingMailer();
    const mb = new CountingMailer();
    ma.delayMs = 1;
    mb.delayMs = 1;
    const a = new OutboxRunner({ db: h.db, mailer: ma, logger: silent, now: () => T0, batch: 9 });
    const b = new OutboxRunner({ db: h.db, mailer: mb, logger: silent, now: () => T0, batch: 9 });
    const [na, nb] = await Promise.all([runUntilEmpty(a), runUntilEmpty(b)]);
    expect(na + nb).toBe(100);
    for (const k of keys) expect((ma.sends.get(msgId(k)) ?? 0) + (mb.sends.get(msgId(k)) ?? 0), k).toBe(1);
  });

  it('a failing delivery is retried with exponential backoff, then marked failed after maxAttempts', async () => {
    const key = `retry:${h.dialect}`;
    await enqueueMails(h.db, [key, `retry-ok:${h.dialect}`]);
    const mailer = new CountingMailer();
    mailer.failFor.add(mail(key).to);
    let now = T0;
    const runner = new OutboxRunner({ db: h.db, mailer, logger: silent, now: () => now, maxAttempts: 3 });

    // Attempt 1 fails; the healthy item in the same batch still goes out.
    expect(await runner.runOnce()).toBe(1);
    let r = await row(key);
    expect(r).toMatchObject({ state: 'pending', locked_until: null });
    expect(Number(r.attempts)).toBe(1);
    expect(r.last_error).toContain('450 mailbox');
    expect(r.next_attempt_at).toBe(new Date(T0.getTime() + backoffMs(1)).toISOString());
    expect(backoffMs(1)).toBe(30_000);

    // Not before the backoff has passed.
    now = new Date(T0.getTime() + backoffMs(1) - 1);
    expect(await runner.runOnce()).toBe(0);
    expect(Number((await row(key)).attempts)).toBe(1);

    // Attempt 2 at +30 s fails; the next wait doubles.
    now = new Date(T0.getTime() + backoffMs(1));
    expect(await runner.runOnce()).toBe(0);
    r = await row(key);
    expect(Number(r.attempts)).toBe(2);
    expect(r.state).toBe('pending');
    expect(r.next_attempt_at).toBe(new Date(now.getTime() + backoffMs(2)).toISOString());
    expect(backoffMs(2)).toBe(60_000);

    // Attempt 3 = maxAttempts: failed for good.
    now = new Date(now.getTime() + backoffMs(2));
    expect(await runner.runOnce()).toBe(0);
    r = await row(key);
    expect(r.state).toBe('failed');
    expect(Number(r.attempts)).toBe(3);
    expect(r.done_at).toBeNull();

    // Never claimed again, even much later and once the mailbox works.
    mailer.failFor.clear();
    now = new Date(now.getTime() + 24 * 3_600_000);
    expect(await runner.runOnce()).toBe(0);
    expect(mailer.sends.get(msgId(key))).toBeUndefined();
    expect(mailer.sends.get(msgId(`retry-ok:${h.dialect}`))).toBe(1);
  });

  it('a retried item is delivered once the fault clears, and only once', async () => {
    const key = `recover:${h.dialect}`;
    await enqueueMails(h.db, [key]);
    const mailer = new CountingMailer();
    mailer.failFor.add(mail(key).to);
    let now = T0;
    const runner = new OutboxRunner({ db: h.db, mailer, logger: silent, now: () => now });
    await runner.runOnce();
    mailer.failFor.clear();
    now = new Date(T0.getTime() + backoffMs(1));
    expect(await runner.runOnce()).toBe(1);
    const r = await row(key);
    expect(r.state).toBe('done');
    expect(Number(r.attempts)).toBe(1);
    now = new Date(now.getTime() + 3_600_000);
    expect(await runner.runOnce()).toBe(0);
    expect(mailer.sends.get(msgId(key))).toBe(1);
  });

  it('backoff doubles from 30 s and is capped at one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(backoffMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
    expect(backoffMs(0)).toBe(30_000);
  });

  it('a runner that crashes mid-send (claimed, never completed) releases the item when its lease ends', async () => {
    const key = `crash:${h.dialect}`;
    await enqueueMails(h.db, [key]);
    const hung = new CountingMailer();
    hung.hangFor.add(mail(key).to);
    const LEASE = 60_000;
    const crashed = new OutboxRunner({
      db: h.db,
      mailer: hung,
      logger: silent,
      now: () => T0,
      leaseMs: LEASE,
    });
    void crashed.runOnce(); // never settles: the instance "died" holding the claim
    // Wait until the claim is written.
    for (let i = 0; i < 100 && (await row(key)).locked_until === null; i++) await sleep(10);
    expect((await row(key)).locked_until).toBe(new Date(T0.getTime() + LEASE).toISOString());

    const healthy = new CountingMailer();
    let now = new Date(T0.getTime() + LEASE - 1);
    const other = new OutboxRunner({
      db: h.db,
      mailer: healthy,
      logger: silent,
      now: () => now,
      leaseMs: LEASE,
    });
    expect(await other.runOnce()).toBe(0); // still leased
    now = new Date(T0.getTime() + LEASE);
    expect(await other.runOnce()).toBe(1);
    expect(healthy.sends.get(msgId(key))).toBe(1);
    const r = await row(key);
    expect(r.state).toBe('done');
    expect(r.locked_until).toBeNull();
    expect(Number(r.attempts)).toBe(0);
  });

  it('an item of an unknown kind fails with its error instead of being dropped', async () => {
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(
        tx,
        { kind: 'carrier_pigeon', dedupeKey: `pigeon:${h.dialect}`, payload: {} },
        T0.toISOString(),
      ),
    );
    const runner = new OutboxRunner({
      db: h.db,
      mailer: new CountingMailer(),
      logger: silent,
      now: () => T0,
    });
    expect(await runner.runOnce()).toBe(0);
    const r = await row(`pigeon:${h.dialect}`);
    expect(r.state).toBe('pending');
    expect(Number(r.attempts)).toBe(1);
    expect(r.last_error).toContain('unknown outbox kind');
  });

  it('a webhook item whose webhook was removed completes without a request', async () => {
    await inTransaction(h.db, (tx) =>
      enqueueOutbox(
        tx,
        {
          kind: 'webhook',
          dedupeKey: `webhook:gone:${h.dialect}`,
          payload: { webhookId: 'whk_doesnotexist0000000000000', body: { id: 'evt_x', type: 'notice.sent' } },
        },
        T0.toISOString(),
      ),
    );
    const runner = new OutboxRunner({
      db: h.db,
      mailer: new CountingMailer(),
      logger: silent,
      now: () => T0,
    });
    expect(await runner.runOnce()).toBe(1);
    expect((await row(`webhook:gone:${h.dialect}`)).state).toBe('done');
  });
});
