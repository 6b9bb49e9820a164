import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/app/mail/templates.js';
import { loadConfig } from '../../src/config/config.js';
import { createMailer, type Mailer } from '../../src/jobs/mailer.js';
import { OutboxRunner, outboxMessageId } from '../../src/jobs/outbox-runner.js';
import { inTransaction, type Db } from '../../src/persistence/db.js';
import { enqueueOutbox, listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, type World } from '../support/fixtures.js';

const silent = { info: () => undefined, warn: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 20 ms until it holds or `timeoutMs` passes; returns the elapsed ms. */
async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<number> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - t0;
}

/** An HTTP server on 127.0.0.1 that reads each request and never answers. */
async function startHangingServer() {
  const sockets = new Set<Socket>();
  let open = 0;
  let maxOpen = 0;
  let total = 0;
  const server = http.createServer((req) => {
    total++;
    open++;
    maxOpen = Math.max(maxOpen, open);
    req.resume();
    req.socket.once('close', () => open--);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    stats: () => ({ open, maxOpen, total }),
    /** Drops every hanging request (the runner sees a connection error); keeps listening. */
    dropAll: async () => {
      for (const s of sockets) s.destroy();
      await waitFor('the dropped requests to close', () => open === 0, 5_000);
      maxOpen = 0;
    },
    /** Drops every hanging request (the runner sees a connection error) and stops listening. */
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A webhook receiver that answers 200 at once. */
async function startReceiver() {
  const hits: { path: string; type: string; at: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string };
      hits.push({ path: req.url ?? '/', type: body.type, at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An SMTP sink on 127.0.0.1 recording envelope recipients and subjects. */
async function startSmtpSink() {
  const received: { to: string[]; subject: string; messageId: string; at: number }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const head =
          Buffer.concat(chunks)
            .toString('utf8')
            .split(/\r?\n\r?\n/)[0] ?? '';
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: /^Subject: (.*)$/im.exec(head)?.[1] ?? '',
          messageId: /^Message-ID: (.*)$/im.exec(head)?.[1]?.trim() ?? '',
          at: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const ITEMS = {
  occurredOn: '2026-11-27',
  summary: '不正アクセスのおそれ',
  informationScope: null,
  expectedImpact: null,
  measures: null,
  otherMatters: null,
};

// ---------------------------------------------------------------------------------------------
// Separate queues: a receiver that never answers delays only itself
// ---------------------------------------------------------------------------------------------

forEachDialect(
  'outbox queues: a hanging webhook host',
  { env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } },
  (h) => {
    let w: World;
    let agreementId: string;
    let hanging: Awaited<ReturnType<typeof startHangingServer>>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let mailer: Mailer;
    // The harness clock is fixed; the runner's clock starts there and moves with real time.
    const realStart = Date.now();
    const runnerNow = () => new Date(h.clock.now().epochMilliseconds + (Date.now() - realStart));

    beforeAll(async () => {
      hanging = await startHangingServer();
      receiver = await startReceiver();
      smtp = await startSmtpSink();
      mailer = createMailer(
        loadConfig({
          DATA_DIR: path.join(os.tmpdir(), `bp-q-${randomBytes(6).toString('hex')}`),
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        }),
      );
      w = await seedWorld(h.ctx, h.app);
      agreementId = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id;
      // Company A (甲): 10 webhooks on a host that never answers.
      for (let i = 0; i < 10; i++) {
        const r = await w.a.owner.post(`/api/v1/organizations/${w.orgA.id}/webhooks`, {
          url: hanging.url(`/hook${i}`),
          events: ['incident.reported', 'notice.sent'],
        });
        expect(r.status).toBe(201);
      }
      // Company B (乙): one webhook on a healthy host.
      const b = await w.b.owner.post(`/api/v1/organizations/${w.orgB.id}/webhooks`, {
        url: receiver.url('/b'),
        events: ['notice.sent'],
      });
      expect(b.status).toBe(201);
    });
    afterAll(async () => {
      mailer?.close();
      await hanging?.close();
      await receiver?.close();
      await smtp?.close();
    });
    beforeEach(async () => {
      await h.db.kysely.updateTable('outbox').set({ state: 'done' }).where('state', '=', 'pending').execute();
    });

    /** A reports an incident (its own 10 hooks hear incident.reported) and waits for them to hang. */
    async function reportAndHang(runner: OutboxRunner, title: string, expectOpen: number): Promise<string> {
      const before = hanging.stats().total;
      const inc = await w.a.owner.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'A',
        title,
        suspected: true,
        discoveredAt: '2026-11-28T00:00:00Z',
      });
      expect(inc.status).toBe(201);
      runner.start();
      await waitFor(
        `${expectOpen} hanging requests`,
        () => hanging.stats().total - before >= expectOpen,
        10_000,
      );
      return inc.json.id as string;
    }

    it('10 hanging webhooks of 甲 fill every webhook slot; 乙’s notice mail still leaves within 5 s', async () => {
      smtp.received.length = 0;
      const runner = new OutboxRunner({
        db: h.db,
        mailer,
        logger: silent,
        now: runnerNow,
        webhookTargets: h.config.webhookTargets,
        // The worst case for the mail: every webhook slot of the instance is held by the hanging host.
        webhookConcurrency: 10,
        webhookHostConcurrency: 10,
        webhookTimeoutMs: 20_000,
      });
      try {
        const incidentId = await reportAndHang(runner, 'hang-1', 10);
        expect(hanging.stats().open).toBe(10);
        const t0 = Date.now();
        const notice = await w.a.owner.post(`/api/v1/incidents/${incidentId}/notices`, { items: ITEMS });
        expect(notice.status).toBe(201);
        const recipients = ['owner', 'legal', 'responder'].map((role) => w.emails[`b.${role}`] as string);
        await waitFor(
          'the notice mail to 乙’s owner, legal and responder',
          () => recipients.every((to) => smtp.received.some((m) => m.to.includes(to))),
          15_000,
        );
        const elapsed = Date.now() - t0;
        expect(elapsed).toBeLessThan(5_000);
        // …while the 10 requests were still hanging.
        expect(hanging.stats().open).toBe(10);
      } finally {
        // Stop claiming first, then fail the hanging requests: nothing is left running.
        const stopping = runner.stop({ graceMs: 15_000 });
        await hanging.dropAll();
        await stopping;
      }
    });

    it('with the default per-host limit, the hanging host holds 2 requests and 乙’s webhook on another host leaves within 5 s', async () => {
      smtp.received.length = 0;
      receiver.hits.length = 0;
      const runner = new OutboxRunner({
        db: h.db,
        mailer,
        logger: silent,
        now: runnerNow,
        webhookTargets: h.config.webhookTargets,
        webhookTimeoutMs: 3_000, // WEBHOOK_TIMEOUT_SECONDS,
      });
      try {
        const incidentId = await reportAndHang(runner, 'hang-2', 2);
        // The other 8 are given back while the host is busy, not piled up in this instance.
        await sleep(300);
        expect(hanging.stats().maxOpen).toBe(2);
        const t0 = Date.now();
        const notice = await w.a.owner.post(`/api/v1/incidents/${incidentId}/notices`, { items: ITEMS });
        expect(notice.status).toBe(201);
        await waitFor('乙’s webhook', () => receiver.hits.some((x) => x.type === 'notice.sent'), 15_000);
        expect(Date.now() - t0).toBeLessThan(5_000);
        await waitFor(
          'the notice mail to 乙',
          () => smtp.received.some((m) => m.to.includes(w.emails['b.legal'] as string)),
          15_000,
        );
        expect(Date.now() - t0).toBeLessThan(5_000);
        expect(hanging.stats().maxOpen).toBe(2);
        // 甲's hanging deliveries are still pending (held or given back), none lost.
        const rows = (await listOutbox(h.db, 'webhook')).filter((r) => r.state === 'pending');
        expect(rows.length).toBeGreaterThanOrEqual(10);
        // The request timeout frees the host's slots: the hanging requests fail and are retried later.
        await waitFor(
          'a hanging request to time out',
          async () =>
            (await listOutbox(h.db, 'webhook')).some(
              (r) =>
                r.state === 'pending' && Number(r.attempts) === 1 && /time|abort/i.test(r.last_error ?? ''),
            ),
          15_000,
        );
        expect(hanging.stats().maxOpen).toBe(2);
      } finally {
        // Stop claiming first, then fail the hanging requests: nothing is left running.
        const stopping = runner.stop({ graceMs: 15_000 });
        await hanging.dropAll();
        await stopping;
      }
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Short leases, renewed while the work runs
// ---------------------------------------------------------------------------------------------

/** Counts sends by message id; can hang forever or take its time. */
class TestMailer implements Mailer {
  readonly sends = new Map<string, number>();
  hang = false;
  delayMs = 0;
  started = 0;
  async send(_m: MailMessage, messageId: string): Promise<void> {
    this.started++;
    if (this.hang) return new Promise<void>(() => undefined);
    if (this.delayMs) await sleep(this.delayMs);
    this.sends.set(messageId, (this.sends.get(messageId) ?? 0) + 1);
  }
  close(): void {}
}

async function enqueueMails(db: Db, keys: string[]): Promise<void> {
  const now = new Date().toISOString();
  await inTransaction(db, async (tx) => {
    for (const k of keys)
      await enqueueOutbox(
        tx,
        {
          kind: 'mail',
          dedupeKey: k,
          payload: { to: `${k}@example.com`, subject: k, text: k, locale: 'en' },
        },
        now,
      );
  });
}

forEachDialect('outbox leases', (h) => {
  beforeEach(async () => {
    await h.db.kysely.updateTable('outbox').set({ state: 'done' }).where('state', '=', 'pending').execute();
  });
  const rowsOf = async (prefix: string) =>
    (await listOutbox(h.db, 'mail')).filter((r) => r.dedupe_key.startsWith(prefix));

  it('an instance that dies mid-delivery: its 10 rows are delivered by another within seconds of its short lease', async () => {
    const prefix = `dead:${h.dialect}:${Date.now()}:`;
    const keys = Array.from({ length: 10 }, (_, i) => `${prefix}${i}`);
    await enqueueMails(h.db, keys);
    const LEASE = 2_000;
    const hung = new TestMailer();
    hung.hang = true;
    const dying = new OutboxRunner({
      db: h.db,
      mailer: hung,
      logger: silent,
      leaseMs: LEASE,
      heartbeatMs: 300,
    });
    dying.start();
    await waitFor(
      '10 rows claimed by the dying instance',
      async () => {
        const rows = await rowsOf(prefix);
        return rows.length === 10 && rows.every((r) => r.locked_by === dying.instanceId);
      },
      10_000,
    );
    await waitFor('10 sends started', () => hung.started >= 10, 10_000);
    await dying.stop({ graceMs: 0 }); // dead: no completion, no more heartbeats
    const killedAt = Date.now();

    const healthy = new TestMailer();
    const other = new OutboxRunner({
      db: h.db,
      mailer: healthy,
      logger: silent,
      leaseMs: LEASE,
      intervalMs: 100,
    });
    other.start();
    try {
      await waitFor(
        'the other instance to deliver the 10 rows',
        async () => (await rowsOf(prefix)).every((r) => r.state === 'done'),
        LEASE + 15_000,
      );
      // Within seconds (the lease, plus polling and a busy machine), not 300 s.
      expect(Date.now() - killedAt).toBeLessThan(LEASE + 8_000);
      for (const k of keys) expect(healthy.sends.get(outboxMessageId(k)), k).toBe(1);
    } finally {
      await other.stop();
    }
  });

  it('a slow delivery of a live instance keeps its lease renewed: another instance never takes it, it is sent once', async () => {
    const key = `slow:${h.dialect}:${Date.now()}`;
    await enqueueMails(h.db, [key]);
    const LEASE = 2_000;
    const slow = new TestMailer();
    slow.delayMs = 3 * LEASE; // three leases long
    const a = new OutboxRunner({ db: h.db, mailer: slow, logger: silent, leaseMs: LEASE, heartbeatMs: 300 });
    a.start();
    await waitFor('the claim', async () => (await rowsOf(key))[0]?.locked_by === a.instanceId, 10_000);
    const firstUntil = (await rowsOf(key))[0]?.locked_until as string;
    const fast = new TestMailer();
    const b = new OutboxRunner({ db: h.db, mailer: fast, logger: silent, leaseMs: LEASE, intervalMs: 50 });
    b.start();
    try {
      await waitFor(
        'the lease to be renewed past its first end',
        async () => ((await rowsOf(key))[0]?.locked_until ?? '') > firstUntil,
        3 * LEASE,
      );
      await waitFor('the slow send to finish', () => slow.sends.size === 1, 3 * LEASE + 15_000);
      await waitFor('the row to be done', async () => (await rowsOf(key))[0]?.state === 'done', 10_000);
      await sleep(300); // b had every chance to take it
      expect(fast.sends.size).toBe(0);
      expect(slow.sends.get(outboxMessageId(key))).toBe(1);
      const [row] = await rowsOf(key);
      expect(Number(row?.attempts)).toBe(0);
      expect(row?.locked_by).toBeNull();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('the heartbeat extends only this instance’s own leases', async () => {
    const key = `renew:${h.dialect}:${Date.now()}`;
    await enqueueMails(h.db, [key]);
    const hung = new TestMailer();
    hung.hang = true;
    const a = new OutboxRunner({
      db: h.db,
      mailer: hung,
      logger: silent,
      leaseMs: 60_000,
      heartbeatMs: 60_000,
    });
    void a.runOnce(); // never settles
    await waitFor('the claim', async () => (await rowsOf(key))[0]?.locked_by === a.instanceId, 10_000);
    const before = (await rowsOf(key))[0]?.locked_until as string;
    await sleep(20);
    expect(await a.renewLeases()).toBe(1);
    const after = (await rowsOf(key))[0]?.locked_until as string;
    expect(after > before).toBe(true);
    // Another instance holding nothing renews nothing, and a taken-over row is not renewed by the old holder.
    await h.db.kysely
      .updateTable('outbox')
      .set({ locked_by: 'run_someone_else' })
      .where('dedupe_key', '=', key)
      .execute();
    expect(await a.renewLeases()).toBe(0);
    expect((await rowsOf(key))[0]?.locked_until).toBe(after);
    await a.stop({ graceMs: 0 });
    await h.db.kysely.updateTable('outbox').set({ state: 'done' }).where('dedupe_key', '=', key).execute();
  });

  it('mail is sent concurrently: 50 mails that take 100 ms each leave in well under the 5 s a serial sender needs', async () => {
    const prefix = `conc:${h.dialect}:${Date.now()}:`;
    await enqueueMails(
      h.db,
      Array.from({ length: 50 }, (_, i) => `${prefix}${i}`),
    );
    const m = new TestMailer();
    m.delayMs = 100;
    const r = new OutboxRunner({ db: h.db, mailer: m, logger: silent, mailConcurrency: 10, intervalMs: 50 });
    const t0 = Date.now();
    r.start();
    try {
      await waitFor('50 sends', () => m.sends.size === 50, 20_000);
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      await r.stop();
    }
    expect([...m.sends.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('outbox configuration', () => {
  it('MAIL_CONCURRENCY, WEBHOOK_TIMEOUT_SECONDS and WEBHOOK_HOST_CONCURRENCY: defaults 10, 10 s, 2; bad values fail', () => {
    expect(loadConfig({}).outbox).toEqual({
      mailConcurrency: 10,
      webhookTimeoutMs: 10_000,
      webhookHostConcurrency: 2,
    });
    expect(
      loadConfig({ MAIL_CONCURRENCY: '20', WEBHOOK_TIMEOUT_SECONDS: '5', WEBHOOK_HOST_CONCURRENCY: '4' })
        .outbox,
    ).toEqual({ mailConcurrency: 20, webhookTimeoutMs: 5_000, webhookHostConcurrency: 4 });
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_SECONDS: '0' })).toThrow(/WEBHOOK_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ MAIL_CONCURRENCY: 'many' })).toThrow(/MAIL_CONCURRENCY/);
  });
});

describe('outbox message ids', () => {
  it('are stable per dedupe key', () => {
    expect(outboxMessageId('notice.sent:ntc_1:usr_1')).toBe('<notice.sent.ntc_1.usr_1@breachpact>');
  });
});
