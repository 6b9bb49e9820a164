import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { createUser } from '../../src/app/users/create-user.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { buildServer } from '../../src/http/server.js';
import { createMailer, type Mailer } from '../../src/jobs/mailer.js';
import { OutboxRunner } from '../../src/jobs/outbox-runner.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, type World } from '../support/fixtures.js';

const PUBLIC_URL = 'https://breachpact.example.jp';
const PENDING = 'pending.responder@kou.example.jp';
const TITLE = '再委託先でのマルウェア感染（顧客リスト）';
const ITEMS = {
  occurredOn: '2026-11-27',
  summary: '再委託先の作業端末がマルウェアに感染し、顧客リストへの不正アクセスのおそれ',
  informationScope: null,
  expectedImpact: null,
  measures: '当該端末をネットワークから遮断',
  otherMatters: null,
};

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

/** A real SMTP server on 127.0.0.1 (STARTTLS disabled, no auth) that parses what arrives. */
async function startSmtp(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const silent = { info: () => undefined, warn: () => undefined };
const tmpDir = () => path.join(os.tmpdir(), `bp-mail-${randomBytes(6).toString('hex')}`);

/** Runs the outbox until nothing is left to claim. */
async function drain(runner: OutboxRunner): Promise<number> {
  let total = 0;
  for (let i = 0; i < 50; i++) {
    const n = await runner.runOnce();
    total += n;
    if (n === 0) return total;
  }
  throw new Error('outbox did not drain');
}

const textOf = (m: ParsedMail) => m.text ?? '';
const toOf = (m: ParsedMail) =>
  (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));

forEachDialect('mail round trip through SMTP', (h) => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let config: Config;
  let ctx: AppContext;
  let app: FastifyInstance;
  let mailer: Mailer;
  let runner: OutboxRunner;
  let w: World;
  let agreementId: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    config = loadConfig({
      DATA_DIR: tmpDir(),
      PUBLIC_URL,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      NODE_ENV: 'test',
      LOGIN_RATE_LIMIT: '1000',
    });
    expect(config.smtpUrl).toBe(`smtp://127.0.0.1:${smtp.port}`);
    ctx = { db: h.db, config, clock: h.clock };
    app = await buildServer(ctx, { webDir: null });
    await app.ready();
    mailer = createMailer(config);
    runner = new OutboxRunner({
      db: ctx.db,
      mailer,
      logger: silent,
      now: () => new Date(h.clock.now().epochMilliseconds),
    });
    w = await seedWorld(ctx, app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    // Recording it on paper mails both owners (issue 7.1, tested in agreements-signatures); this
    // file follows the incident mails only.
    await h.db.kysely
      .updateTable('outbox')
      .set({ state: 'done' })
      .where('dedupe_key', 'like', 'agreement.recorded_on_paper:%')
      .execute();
    // 甲's legal reads English.
    const me = await w.a.legal.patch('/api/v1/me', { locale: 'en' });
    expect(me.status).toBe(200);
    // An invited responder of 甲 who has not accepted yet (no password).
    // (Added by the system actor like the fixture's users: no membership mail to 甲's owner.)
    const invited = await createUser(
      ctx,
      { kind: 'system', label: 'test' },
      {
        organizationId: w.orgA.id,
        email: PENDING,
        name: '招待中 さん',
        role: 'responder',
      },
    );
    expect(invited.invitationSent).toBe(true);
  });

  afterAll(async () => {
    mailer?.close();
    await app?.close();
    await smtp?.close();
  });

  let incidentId: string;
  let noticeId: string;
  const mailsFor = (key: string, subjectPart: string) =>
    smtp.received.filter(
      (r) => r.envelopeTo.includes(w.emails[key] as string) && (r.mail.subject ?? '').includes(subjectPart),
    );

  it('a 第一報 from 乙 reaches 甲’s owner, legal and responder (not the viewer) by SMTP, each in their language', async () => {
    const reported = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: TITLE,
      suspected: true,
      discoveredAt: '2026-11-27T23:40:00+09:00',
    });
    expect(reported.status).toBe(201);
    incidentId = reported.json.id;
    // Before the first notice the incident is 乙's own: 甲 is not mailed about it.
    smtp.received.length = 0;
    await drain(runner);
    expect(smtp.received.filter((r) => r.envelopeTo.some((a) => a.startsWith('a-')))).toEqual([]);
    const sent = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: ITEMS });
    expect(sent.status).toBe(201);
    noticeId = sent.json.id;
    smtp.received.length = 0;

    const delivered = await drain(runner);
    expect(delivered).toBeGreaterThanOrEqual(3);
    const link = `${PUBLIC_URL}/incidents/${incidentId}`;

    for (const role of ['owner', 'responder'] as const) {
      const got = mailsFor(`a.${role}`, TITLE);
      expect(got, `a.${role}`).toHaveLength(1);
      const m = (got[0] as Received).mail;
      expect(m.subject).toContain('第一報');
      expect(m.subject).toContain(TITLE);
      expect(m.subject).toContain('乙システム株式会社');
      expect(toOf(m)).toEqual([w.emails[`a.${role}`]]);
      expect(textOf(m)).toContain(link);
      expect(textOf(m)).toContain('第3条第1項');
      expect(textOf(m)).toContain(`A ${role} 様`);
      expect(m.messageId).toMatch(/@breachpact>$/);
      expect(m.from?.text).toContain('no-reply@breachpact.example.jp');
    }

    const en = mailsFor('a.legal', TITLE);
    expect(en).toHaveLength(1);
    const enMail = (en[0] as Received).mail;
    expect(enMail.subject).toContain('First notice');
    expect(enMail.subject).toContain(TITLE);
    expect(enMail.subject).not.toContain('第一報');
    expect(textOf(enMail)).toContain('A legal,');
    expect(textOf(enMail)).toContain('Art 3.1');
    expect(textOf(enMail)).toContain(link);

    // An invited user who has not set a password yet gets no incident mail.
    const toPending = smtp.received.filter((r) => r.envelopeTo.includes(PENDING));
    expect(toPending.map((r) => r.mail.subject ?? '').filter((s) => s.includes(TITLE))).toEqual([]);
    // Viewers read in the app; the sender's own side gets nothing for its own notice.
    expect(smtp.received.filter((r) => r.envelopeTo.includes(w.emails['a.viewer'] as string))).toEqual([]);
    for (const role of ['owner', 'legal', 'responder', 'viewer'])
      expect(smtp.received.filter((r) => r.envelopeTo.includes(w.emails[`b.${role}`] as string))).toEqual([]);
    // Nobody of the outsider C.
    for (const role of ['owner', 'legal', 'responder', 'viewer'])
      expect(smtp.received.filter((r) => r.envelopeTo.includes(w.emails[`c.${role}`] as string))).toEqual([]);

    // The outbox rows are done; running again delivers nothing twice.
    expect(await drain(runner)).toBe(0);
    const rows = await h.db.kysely.selectFrom('outbox').selectAll().where('kind', '=', 'mail').execute();
    expect(rows.filter((r) => r.dedupe_key.startsWith(`notice.sent:${noticeId}:`))).toHaveLength(3);
    expect(rows.every((r) => r.state === 'done')).toBe(true);
  });

  it('甲 acknowledges → 乙’s acting users get the acknowledgement mail', async () => {
    smtp.received.length = 0;
    const ack = await w.a.responder.post(`/api/v1/notices/${noticeId}/acknowledgement`);
    expect(ack.status).toBe(201);
    await drain(runner);
    for (const role of ['owner', 'legal', 'responder'] as const) {
      const got = mailsFor(`b.${role}`, TITLE);
      expect(got, `b.${role}`).toHaveLength(1);
      const m = (got[0] as Received).mail;
      expect(m.subject).toContain('受領を確認');
      expect(m.subject).toContain('第一報');
      expect(m.subject).toContain('甲商事株式会社');
      expect(textOf(m)).toContain(`${PUBLIC_URL}/incidents/${incidentId}`);
    }
    expect(mailsFor('b.viewer', TITLE)).toEqual([]);
    // 甲's side is not told about its own acknowledgement.
    expect(smtp.received.filter((r) => r.envelopeTo.some((a) => a.startsWith('a-')))).toEqual([]);
    // A second acknowledgement sends nothing more.
    expect((await w.a.owner.post(`/api/v1/notices/${noticeId}/acknowledgement`)).status).toBe(200);
    expect(await drain(runner)).toBe(0);
  });

  it('甲 asks for further items (Art 3.2(6)) → 乙 gets the request with its due time in Tokyo', async () => {
    smtp.received.length = 0;
    const req = await w.a.legal.post(`/api/v1/incidents/${incidentId}/item-requests`, {
      question: '影響を受ける本人の件数の見込みを教えてください',
      // At least itemRequestMinHours (24 h) after the request (now: 2026-11-28 10:00 JST).
      dueAt: '2026-11-29T11:00:00+09:00',
    });
    expect(req.status).toBe(201);
    await drain(runner);
    const got = mailsFor('b.owner', TITLE);
    expect(got).toHaveLength(1);
    const m = (got[0] as Received).mail;
    expect(m.subject).toContain('追加事項の求め');
    expect(m.subject).toContain('第3条第2項第6号');
    expect(textOf(m)).toContain('2026年11月29日（日）11時00分');
    expect(textOf(m)).toContain(`${PUBLIC_URL}/incidents/${incidentId}`);
    expect(mailsFor('b.legal', TITLE)).toHaveLength(1);
    expect(mailsFor('b.responder', TITLE)).toHaveLength(1);
    expect(mailsFor('b.viewer', TITLE)).toEqual([]);
  });

  it('an SMTP failure leaves the mail pending with the error, and it is delivered once the server is back', async () => {
    // A mailer pointing at a closed port: the item is retried, not lost.
    const closed = await startSmtp();
    const deadPort = closed.port;
    await closed.close();
    const dead = createMailer(
      loadConfig({ DATA_DIR: tmpDir(), PUBLIC_URL, SMTP_URL: `smtp://127.0.0.1:${deadPort}` }),
    );
    let now = new Date(h.clock.now().epochMilliseconds);
    const failing = new OutboxRunner({ db: h.db, mailer: dead, logger: silent, now: () => now });
    const inc = (
      await w.b.owner.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: 'SMTP retry',
        suspected: false,
        discoveredAt: '2026-11-28T00:00:00Z',
      })
    ).json;
    await w.b.owner.post(`/api/v1/incidents/${inc.id}/notices`, { items: ITEMS });
    expect(await failing.runOnce()).toBe(0);
    dead.close();
    const rows = await h.db.kysely.selectFrom('outbox').selectAll().where('state', '=', 'pending').execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(Number(r.attempts)).toBe(1);
      expect(r.last_error).toBeTruthy();
      expect(Date.parse(r.next_attempt_at)).toBe(now.getTime() + 30_000);
    }
    smtp.received.length = 0;
    now = new Date(now.getTime() + 30_000);
    const healthy = new OutboxRunner({ db: h.db, mailer, logger: silent, now: () => now });
    expect(await healthy.runOnce()).toBe(rows.length);
    // The 第一報 to 甲's three acting users, and the registration alert to 乙's three.
    expect(smtp.received.filter((r) => (r.mail.subject ?? '').includes('SMTP retry'))).toHaveLength(6);
    expect(
      smtp.received.filter(
        (r) => (r.mail.subject ?? '').includes('SMTP retry') && r.envelopeTo.some((a) => a.startsWith('a-')),
      ),
    ).toHaveLength(3);
  });
});

describe('mail without SMTP_URL: .eml files under DATA_DIR/mail/', () => {
  it('writes each mail as an .eml file that parses back (Japanese subject and body, link)', async () => {
    const dataDir = tmpDir();
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL });
    expect(config.smtpUrl).toBeUndefined();
    const mailer = createMailer(config);
    const link = `${PUBLIC_URL}/incidents/inc_0123456789abcdefghjkmnpqrs`;
    await mailer.send(
      {
        to: 'a-owner@example.com',
        subject: `【BreachPact】乙システム株式会社から第一報：${TITLE}`,
        text: `A owner 様\n\n通知が届きました。\n\nBreachPact で開く：\n${link}\n`,
        locale: 'ja',
      },
      '<notice.sent.ntc_1.usr_1@breachpact>',
    );
    mailer.close();
    const dir = path.join(dataDir, 'mail');
    const files = await fs.readdir(dir);
    expect(files).toHaveLength(1);
    expect(files).toEqual(['notice.sent.ntc_1.usr_1.eml']);
    const parsed = await simpleParser(await fs.readFile(path.join(dir, files[0] as string)));
    expect(parsed.subject).toBe(`【BreachPact】乙システム株式会社から第一報：${TITLE}`);
    expect(parsed.text).toContain('A owner 様');
    expect(parsed.text).toContain(link);
    expect(toOf(parsed)).toEqual(['a-owner@example.com']);
    expect(parsed.messageId).toBe('<notice.sent.ntc_1.usr_1@breachpact>');
    expect(parsed.from?.text).toContain('no-reply@breachpact.example.jp');
  });
});

forEachDialect('mail through the outbox without SMTP_URL', (h) => {
  it('the outbox runner writes the 第一報 mails as .eml files under DATA_DIR/mail/', async () => {
    const dataDir = tmpDir();
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL, LOGIN_RATE_LIMIT: '1000' });
    const ctx: AppContext = { db: h.db, config, clock: h.clock };
    const app = await buildServer(ctx, { webDir: null });
    await app.ready();
    try {
      const w = await seedWorld(ctx, app);
      const agreementId = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id;
      const inc = (
        await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: TITLE,
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        })
      ).json;
      expect((await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: ITEMS })).status).toBe(
        201,
      );
      const mailer = createMailer(config);
      const runner = new OutboxRunner({
        db: h.db,
        mailer,
        logger: silent,
        now: () => new Date(h.clock.now().epochMilliseconds),
      });
      await drain(runner);
      mailer.close();
      const dir = path.join(dataDir, 'mail');
      const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.eml'));
      const parsed = await Promise.all(
        files.map(async (f) => simpleParser(await fs.readFile(path.join(dir, f)))),
      );
      // The 第一報 mails (乙's own users also got the registration alert for the same incident).
      const mine = parsed.filter(
        (m) => (m.text ?? '').includes(`/incidents/${inc.id}`) && (m.subject ?? '').includes('から第一報'),
      );
      expect(mine.map((m) => toOf(m)[0]).sort()).toEqual(
        [w.emails['a.legal'], w.emails['a.owner'], w.emails['a.responder']].sort(),
      );
      for (const m of mine) {
        expect(m.subject).toContain('第一報');
        expect(m.subject).toContain(TITLE);
        expect(m.text).toContain(`${PUBLIC_URL}/incidents/${inc.id}`);
      }
    } finally {
      await app.close();
    }
  });
});
