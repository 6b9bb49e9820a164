import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/http/server.js';
import { sendDueReminders } from '../../src/app/incidents/reminders.js';
import type { MailMessage } from '../../src/app/mail/templates.js';
import { obligationId } from '../../src/domain/obligation/engine.js';
import { ReminderRunner } from '../../src/jobs/reminder-runner.js';
import { openDatabase } from '../../src/persistence/db.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect, TestClock } from '../support/dialects.js';
import { seedWorld, type World } from '../support/fixtures.js';

const ITEMS = {
  occurredOn: '2026-11-30',
  summary: '委託先の誤送信',
  informationScope: null,
  expectedImpact: null,
  measures: null,
  otherMatters: null,
};

forEachDialect('obligation reminders (Art 3.1 clocks)', (h) => {
  let w: World;
  let agreementId: string;
  let hookB: string;
  let hookA: string;
  let hookC: string;
  // The harness context, with sessions that outlive the weeks these tests move the clock through.
  let ctx: AppContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    const config = loadConfig({
      DATA_DIR: path.join(os.tmpdir(), `bp-rem-${randomBytes(6).toString('hex')}`),
      PUBLIC_URL: 'http://localhost:3000',
      NODE_ENV: 'test',
      LOGIN_RATE_LIMIT: '1000',
      SESSION_TTL_HOURS: String(24 * 365 * 5),
      // The subscriptions below point at the loopback address (never called: nothing delivers here).
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    ctx = { db: h.db, config, clock: h.clock };
    app = await buildServer(ctx, { webDir: null });
    await app.ready();
    w = await seedWorld(ctx, app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
        // Art 3.3 far away, so the Art 3.1 clock is the one these tests watch.
        parameters: { noticeTargetHours: 24, containmentTargetHours: 240 },
      })
    ).json.id;
    const hook = async (c: typeof w.a.owner, orgId: string, events: string[]) => {
      const res = await c.post(`/api/v1/organizations/${orgId}/webhooks`, {
        url: 'http://127.0.0.1:9/hook',
        events,
      });
      expect(res.status).toBe(201);
      return res.json.id as string;
    };
    hookB = await hook(w.b.owner, w.orgB.id, ['obligation.due_soon', 'obligation.breached']);
    hookA = await hook(w.a.owner, w.orgA.id, ['obligation.breached']);
    hookC = await hook(w.c.owner, w.orgC.id, ['obligation.due_soon', 'obligation.breached']);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(async () => {
    // Clocks of earlier tests' incidents are stopped, so each sweep here counts only this test's.
    await h.db.kysely.updateTable('obligation_clocks').set({ next_stage: null, next_at: null }).execute();
  });

  const report = async (discoveredAt: string, title = '委託先での誤送信') => {
    const res = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title,
      suspected: false,
      discoveredAt,
    });
    expect(res.status).toBe(201);
    return {
      id: res.json.id as string,
      o31: obligationId(res.json.id as string, '3.1', res.json.id as string, 'B'),
    };
  };

  const sweep = () => sendDueReminders(ctx, h.clock.now());

  async function queued(oblId: string) {
    const rows = await listOutbox(h.db);
    const mails = rows
      .filter((r) => r.kind === 'mail' && r.dedupe_key.startsWith(`reminder:${oblId}:`))
      .map((r) => ({
        key: r.dedupe_key,
        stage: r.dedupe_key.split(':')[2],
        ...(JSON.parse(r.payload) as MailMessage),
      }));
    const hooks = rows
      .filter((r) => r.kind === 'webhook' && r.dedupe_key.includes(`:reminder:${oblId}:`))
      .map((r) => {
        const p = JSON.parse(r.payload) as {
          webhookId: string;
          body: {
            type: string;
            data: { stage: string; clause: string; obligationId: string; owedBy: string };
          };
        };
        return { key: r.dedupe_key, webhookId: p.webhookId, type: p.body.type, data: p.body.data };
      });
    return { mails, hooks };
  }

  const actingB = () => [w.emails['b.owner'], w.emails['b.legal'], w.emails['b.responder']].sort();

  it('第3条第1項 (Art 3.1): 50 % → due-soon mails to each acting user of the owing party and the webhook; repeats send nothing; 90 %; breach', async () => {
    h.clock.set('2026-12-01T00:00:00Z');
    const { o31 } = await report('2026-12-01T00:00:00Z');
    expect(await sweep()).toBe(0);
    expect((await queued(o31)).mails).toEqual([]);

    // Just before 50 %: nothing.
    h.clock.set('2026-12-01T11:59:59.999Z');
    expect(await sweep()).toBe(0);

    // 50 %.
    h.clock.set('2026-12-01T12:00:00Z');
    expect(await sweep()).toBe(1);
    let q = await queued(o31);
    expect(q.mails.map((m) => m.to).sort()).toEqual(actingB());
    expect(q.mails.every((m) => m.stage === 'half')).toBe(true);
    for (const m of q.mails) {
      expect(m.subject).toContain('期限');
      expect(m.subject).toContain('第3条第1項');
      expect(m.text).toContain('50%');
      expect(m.text).toContain('2026年12月2日（水）9時00分'); // due 2026-12-02T00:00Z = 09:00 Tokyo
    }
    expect(q.mails.some((m) => m.to === w.emails['b.viewer'])).toBe(false);
    expect(q.mails.some((m) => m.to.startsWith('a-'))).toBe(false);
    expect(q.hooks).toHaveLength(1);
    expect(q.hooks[0]).toMatchObject({
      webhookId: hookB,
      type: 'obligation.due_soon',
      data: { stage: 'half', clause: '3.1', obligationId: o31, owedBy: 'B' },
    });

    // Running again — now or a little later — sends nothing more.
    expect(await sweep()).toBe(0);
    h.clock.set('2026-12-01T20:00:00Z');
    expect(await sweep()).toBe(0);
    expect((await queued(o31)).mails).toHaveLength(3);

    // 90 % = 21.6 h.
    h.clock.set('2026-12-01T21:35:59.999Z');
    expect(await sweep()).toBe(0);
    h.clock.set('2026-12-01T21:36:00Z');
    expect(await sweep()).toBe(1);
    q = await queued(o31);
    const ninety = q.mails.filter((m) => m.stage === 'ninety');
    expect(ninety.map((m) => m.to).sort()).toEqual(actingB());
    expect(ninety.every((m) => m.text.includes('90%'))).toBe(true);
    expect(q.hooks.map((x) => [x.type, x.data.stage])).toEqual([
      ['obligation.due_soon', 'half'],
      ['obligation.due_soon', 'ninety'],
    ]);
    expect(await sweep()).toBe(0);

    // At the due instant it is not yet breached; one millisecond later it is.
    h.clock.set('2026-12-02T00:00:00Z');
    expect(await sweep()).toBe(0);
    h.clock.set('2026-12-02T00:00:00.001Z');
    expect(await sweep()).toBe(1);
    q = await queued(o31);
    const breach = q.mails.filter((m) => m.stage === 'breach');
    expect(breach.map((m) => m.to).sort()).toEqual(actingB());
    expect(breach.every((m) => m.subject.includes('期限超過'))).toBe(true);
    const breachHooks = q.hooks.filter((x) => x.data.stage === 'breach');
    // No notice yet: the incident is still B's own, so only B's webhook hears of the breach (A's
    // subscription to obligation.breached does not); the outsider's never does.
    expect(breachHooks.map((x) => [x.webhookId, x.type])).toEqual([[hookB, 'obligation.breached']]);
    expect(q.hooks.some((x) => x.webhookId === hookA)).toBe(false);
    expect(q.hooks.some((x) => x.webhookId === hookC)).toBe(false);

    // Nothing after the breach reminder, however long it stays unmet.
    h.clock.set('2026-12-04T00:00:00Z');
    await sweep();
    expect((await queued(o31)).mails).toHaveLength(9);
    const clock = await h.db.kysely
      .selectFrom('obligation_clocks')
      .selectAll()
      .where('obligation_id', '=', o31)
      .executeTakeFirstOrThrow();
    expect(clock.next_stage).toBeNull();
  });

  it('第3条第1項 (Art 3.1): a user reading English gets the reminder in English', async () => {
    await w.b.legal.patch('/api/v1/me', { locale: 'en' });
    try {
      h.clock.set('2026-12-10T00:00:00Z');
      const { o31 } = await report('2026-12-10T00:00:00Z');
      h.clock.set('2026-12-10T12:00:00Z');
      await sweep();
      const mails = (await queued(o31)).mails;
      const en = mails.find((m) => m.to === w.emails['b.legal']);
      expect(en?.subject).toContain('Art 3.1');
      expect(en?.text).toContain('50 %');
      expect(mails.find((m) => m.to === w.emails['b.owner'])?.subject).toContain('第3条第1項');
    } finally {
      await w.b.legal.patch('/api/v1/me', { locale: 'ja' });
    }
  });

  it('第3条第1項 (Art 3.1): a notice sent before 90 % stops further reminders', async () => {
    h.clock.set('2026-12-20T00:00:00Z');
    const { id, o31 } = await report('2026-12-20T00:00:00Z');
    h.clock.set('2026-12-20T12:00:00Z');
    expect(await sweep()).toBe(1);
    h.clock.set('2026-12-20T15:00:00Z');
    expect((await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS })).status).toBe(201);
    for (const t of ['2026-12-20T21:36:00Z', '2026-12-21T00:00:01Z', '2026-12-24T00:00:00Z']) {
      h.clock.set(t);
      expect(await sweep(), t).toBe(0);
    }
    const q = await queued(o31);
    expect(q.mails.map((m) => m.stage)).toEqual(['half', 'half', 'half']);
    expect(q.hooks.map((x) => x.data.stage)).toEqual(['half']);
  });

  it('第3条第1項 (Art 3.1): a report made late (discovered 20 h ago, 24 h target) sends no stale 50 % reminder', async () => {
    h.clock.set('2027-01-05T20:00:00Z');
    const { o31 } = await report('2027-01-05T00:00:00Z');
    expect(await sweep()).toBe(0);
    expect((await queued(o31)).mails).toEqual([]);
    // The 90 % moment (21.6 h) is still ahead: that reminder comes at its time.
    h.clock.set('2027-01-05T21:36:00Z');
    expect(await sweep()).toBe(1);
    const q = await queued(o31);
    expect(q.mails.map((m) => m.stage)).toEqual(['ninety', 'ninety', 'ninety']);
    expect(q.mails.some((m) => m.stage === 'half')).toBe(false);
  });

  it('第3条第1項 (Art 3.1): a report made after the due time gets the breach reminder at once, nothing stale', async () => {
    h.clock.set('2027-01-10T06:00:00Z');
    const { o31 } = await report('2027-01-09T00:00:00Z');
    expect(await sweep()).toBe(1);
    const q = await queued(o31);
    expect(q.mails.map((m) => m.stage)).toEqual(['breach', 'breach', 'breach']);
    // Not yet notified: only the reporting party's webhook.
    expect(q.hooks.map((x) => [x.webhookId, x.type])).toEqual([[hookB, 'obligation.breached']]);
  });

  it('第3条第3項 (Art 3.3): once the first notice shares the incident, breaches reach both parties; each party is reminded of its own containment duty', async () => {
    h.clock.set('2027-01-12T00:00:00Z');
    const { id } = await report('2027-01-12T00:00:00Z');
    h.clock.set('2027-01-12T01:00:00Z');
    const notice = await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS });
    expect(notice.status).toBe(201);
    const o33B = obligationId(id, '3.3', id, 'B'); // from discovery (240 h)
    const o33A = obligationId(id, '3.3', notice.json.id as string, 'A'); // from the first notice (240 h)
    // The sweeper was down until both are past due: one breach reminder each, nothing stale.
    h.clock.set('2027-01-22T01:00:00.001Z');
    expect(await sweep()).toBe(2);
    const b = await queued(o33B);
    expect(b.mails.map((m) => m.to).sort()).toEqual(actingB());
    expect(b.mails.every((m) => m.stage === 'breach' && m.subject.includes('第3条第3項'))).toBe(true);
    expect(b.hooks.map((x) => x.webhookId).sort()).toEqual([hookA, hookB].sort());
    expect(b.hooks.every((x) => x.type === 'obligation.breached' && x.data.owedBy === 'B')).toBe(true);
    const a = await queued(o33A);
    expect(a.mails.map((m) => m.to).sort()).toEqual(
      [w.emails['a.owner'], w.emails['a.legal'], w.emails['a.responder']].sort(),
    );
    expect(a.hooks.map((x) => x.webhookId).sort()).toEqual([hookA, hookB].sort());
    expect(a.hooks.every((x) => x.data.clause === '3.3' && x.data.owedBy === 'A')).toBe(true);
    expect([...a.hooks, ...b.hooks].some((x) => x.webhookId === hookC)).toBe(false);
  });

  it('第3条第1項 (Art 3.1): a missed sweep catches up with the current stage only (no 50 % mail at 95 %)', async () => {
    h.clock.set('2027-01-15T00:00:00Z');
    const { o31 } = await report('2027-01-15T00:00:00Z');
    // The sweeper was down from the report until 22.8 h (95 %).
    h.clock.set('2027-01-15T22:48:00Z');
    expect(await sweep()).toBe(1);
    expect((await queued(o31)).mails.map((m) => m.stage)).toEqual(['ninety', 'ninety', 'ninety']);
    expect(await sweep()).toBe(0);
    // … and down again until well past due: one breach reminder.
    h.clock.set('2027-01-17T00:00:00Z');
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    const stages = (await queued(o31)).mails.map((m) => m.stage);
    expect(stages.filter((s) => s === 'breach')).toHaveLength(3);
    expect(stages).not.toContain('half');
  });

  it('第3条第1項 (Art 3.1): two concurrent sweeps queue each reminder once', async () => {
    h.clock.set('2027-02-01T00:00:00Z');
    const incidents = [];
    for (let i = 0; i < 5; i++) incidents.push(await report('2027-02-01T00:00:00Z', `並行 ${i}`));
    h.clock.set('2027-02-01T12:00:00Z');
    const results = await Promise.all([sweep(), sweep(), sweep()]);
    expect(results.reduce((a, b) => a + b, 0)).toBe(5);
    for (const { o31 } of incidents) {
      const q = await queued(o31);
      expect(q.mails.map((m) => m.to).sort()).toEqual(actingB());
      expect(q.hooks).toHaveLength(1);
    }
    // Dedupe keys are unique in the outbox (nothing was queued twice under another key).
    const keys = (await listOutbox(h.db)).map((r) => r.dedupe_key);
    expect(new Set(keys).size).toBe(keys.length);
    // And the next stage is planned exactly once per clock.
    const rows = await h.db.kysely
      .selectFrom('obligation_clocks')
      .selectAll()
      .where(
        'obligation_id',
        'in',
        incidents.map((i) => i.o31),
      )
      .execute();
    expect(rows.map((r) => r.next_stage)).toEqual(['ninety', 'ninety', 'ninety', 'ninety', 'ninety']);
  });

  it('第3条第1項 (Art 3.1): a restart (new context on the same database) sends nothing twice', async () => {
    h.clock.set('2027-03-01T00:00:00Z');
    const { o31 } = await report('2027-03-01T00:00:00Z');
    h.clock.set('2027-03-01T12:00:00Z');
    expect(await sweep()).toBe(1);

    // "Restart": a new context, a new clock, on SQLite even a new connection to the same file.
    const db =
      h.dialect === 'sqlite' && h.db.sqlite
        ? openDatabase({ dialect: 'sqlite', file: h.db.sqlite.name })
        : h.db;
    const clock = new TestClock();
    clock.set('2027-03-01T12:00:00Z');
    const restarted: AppContext = { db, config: ctx.config, clock };
    try {
      expect(await sendDueReminders(restarted, clock.now())).toBe(0);
      clock.set('2027-03-01T13:00:00Z');
      expect(await sendDueReminders(restarted, clock.now())).toBe(0);
      // The restarted instance takes over at the next stage.
      clock.set('2027-03-01T21:36:00Z');
      expect(await sendDueReminders(restarted, clock.now())).toBe(1);
      expect(await sendDueReminders(ctx, clock.now())).toBe(0);
    } finally {
      if (db !== h.db) await db.destroy();
    }
    expect((await queued(o31)).mails.map((m) => m.stage).sort()).toEqual([
      'half',
      'half',
      'half',
      'ninety',
      'ninety',
      'ninety',
    ]);
  });

  it('第3条 (Art 3): a dismissed incident keeps reminding its Art 3.1 notice (still owed) until it is sent; its Art 3.3 duty lapses and reminds no one', async () => {
    h.clock.set('2027-04-01T00:00:00Z');
    const { id, o31 } = await report('2027-04-01T00:00:00Z');
    const o33 = obligationId(id, '3.3', id, 'B');
    h.clock.set('2027-04-01T06:00:00Z');
    const res = await w.b.owner.post(`/api/v1/incidents/${id}/transitions`, {
      to: 'dismissed',
      reason: '誤検知',
    });
    expect(res.status).toBe(200);
    // Art 3.1: 50 % and breach still come (a suspicion already triggered the duty).
    h.clock.set('2027-04-01T12:00:00Z');
    expect(await sweep()).toBe(1);
    expect((await queued(o31)).mails.map((m) => m.stage)).toEqual(['half', 'half', 'half']);
    h.clock.set('2027-04-02T00:00:00.001Z');
    expect(await sweep()).toBe(1);
    expect(
      (await queued(o31)).mails
        .filter((m) => m.stage === 'breach')
        .map((m) => m.to)
        .sort(),
    ).toEqual(actingB());
    // The first notice (saying it was not an incident) meets it late: nothing more.
    h.clock.set('2027-04-02T03:00:00Z');
    expect((await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS })).status).toBe(201);
    const obligations = (await w.b.owner.get(`/api/v1/incidents/${id}/obligations`)).json.items as Array<{
      id: string;
      state: string;
      waived: { reason: string } | null;
    }>;
    expect(obligations.find((o) => o.id === o31)?.state).toBe('met_late');
    expect(obligations.find((o) => o.id === o33)).toMatchObject({
      state: 'waived',
      waived: { reason: 'incident_dismissed' },
    });
    for (const t of ['2027-04-05T00:00:00Z', '2027-04-12T00:00:00Z']) {
      h.clock.set(t);
      expect(await sweep(), t).toBe(0);
    }
    expect((await queued(o31)).mails).toHaveLength(6);
    // Art 3.3 lapsed at dismissal (not yet due): no reminder ever.
    expect((await queued(o33)).mails).toEqual([]);
  });

  it('the ReminderRunner sweeps on its own and stops cleanly', async () => {
    h.clock.set('2027-05-01T00:00:00Z');
    const { o31 } = await report('2027-05-01T00:00:00Z');
    h.clock.set('2027-05-01T12:00:00Z');
    const infos: object[] = [];
    const runner = new ReminderRunner(ctx, { info: (o) => infos.push(o), warn: () => undefined }, 50);
    runner.start();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await queued(o31)).mails.length === 0)
      await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect((await queued(o31)).mails).toHaveLength(3);
    expect(infos).toContainEqual({ reminders: 1 });
  });
});
