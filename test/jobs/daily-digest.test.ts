import { beforeAll, describe, expect, it } from 'vitest';
import { sendDailyDigests } from '../../src/app/obligations/daily-digest.js';
import { DigestRunner } from '../../src/jobs/digest-runner.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

interface Mail {
  to: string;
  subject: string;
  text: string;
  locale: string;
}

const quiet = { info: () => undefined, warn: () => undefined };

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code });
  expect(res.json.messageJa.length).toBeGreaterThan(0);
  expect(res.json.messageEn.length).toBeGreaterThan(0);
}

/**
 * The daily digest at 9:00 Japan time (issue 8 item 5): one mail per organisation user with open
 * duties, grouped like the work queue, once per Japan date, opt-out per user, in the user's language.
 */
// Sessions outlive the days the clock moves through.
forEachDialect('daily digest of open duties', { env: { SESSION_TTL_HOURS: String(24 * 365 * 5) } }, (h) => {
  let w: World;
  let agreementId: string;
  let incidentId: string;
  const digests = async (on: string) =>
    (await listOutbox(h.ctx.db, 'mail'))
      .filter((m) => m.dedupe_key.startsWith('digest:') && m.dedupe_key.endsWith(`:${on}`))
      .map((m) => JSON.parse(m.payload) as Mail);
  const recipients = async (on: string) => (await digests(on)).map((m) => m.to).sort();
  const emails = (...keys: string[]) => keys.map((k) => w.emails[k]).sort();

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    // Sunday 29 November 2026, 8:00 in Tokyo: 乙 registers an incident discovered at 7:30.
    h.clock.set('2026-11-28T23:00:00Z');
    const reported = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '顧客リストの誤送信',
      suspected: true,
      discoveredAt: '2026-11-29T07:30:00+09:00',
    });
    expect(reported.status, reported.body).toBe(201);
    incidentId = reported.json.id;
    expect(incidentId, 'report').toMatch(/^inc_/);
  });

  it('nothing before 9:00 Japan time (8:59:59 sends nothing); at 9:00 the registering party’s users get it — the counterparty, not yet notified, and an outsider get nothing', async () => {
    h.clock.set('2026-11-28T23:59:59Z'); // 8:59:59 on 29 Nov in Tokyo
    expect(await sendDailyDigests(h.ctx)).toEqual({ ran: false, on: '2026-11-29', reason: 'before_hour' });
    expect(await digests('2026-11-29')).toEqual([]);

    h.clock.set('2026-11-29T00:00:00Z'); // 9:00
    const pass = await sendDailyDigests(h.ctx);
    expect(pass).toMatchObject({ ran: true, on: '2026-11-29', mailed: 4 });
    // All four of 乙's users (the viewer too); not 甲 (the incident is 乙's own until its first
    // notice), not 丙 (no duties), not the administrator.
    expect(await recipients('2026-11-29')).toEqual(emails('b.owner', 'b.legal', 'b.responder', 'b.viewer'));
  });

  it('the mail lists each duty with its clause, incident, who owes it, the due time with weekday and time left, what to do next and a link', async () => {
    const mail = (await digests('2026-11-29')).find((m) => m.to === w.emails['b.owner']) as Mail;
    expect(mail.locale).toBe('ja');
    expect(mail.subject).toBe(
      '【BreachPact】2026年11月29日（日）の対応状況：未履行の義務2件（24時間以内2件）',
    );
    // Art 3.1: 24 hours from the discovery at 7:30 → 7:30 on Monday 30 November, 22.5 hours left.
    expect(mail.text).toContain('■ 24時間以内（2件）');
    expect(mail.text).toContain('・第3条第1項 相手方への通知');
    expect(mail.text).toContain('事故：顧客リストの誤送信（相手方：甲商事株式会社）');
    expect(mail.text).toContain('義務者：当社（乙システム株式会社）');
    expect(mail.text).toContain('期限：2026年11月30日（月）7時30分まで（あと22時間30分）');
    expect(mail.text).toContain('次にやること：発生側当事者の第一報を BreachPact に記録してください。');
    expect(mail.text).toContain(`http://localhost:3000/incidents/${incidentId}`);
    expect(mail.text).toContain('http://localhost:3000/work');
    expect(mail.text).toContain('http://localhost:3000/settings');
    expect(mail.text).not.toContain('期限超過');
    // A viewer reads but never records: its next step is to make sure someone who can does.
    const viewer = (await digests('2026-11-29')).find((m) => m.to === w.emails['b.viewer']) as Mail;
    expect(viewer.text).toContain(
      '次にやること：発生側当事者の第一報が記録されるよう、当社のオーナー・法務・対応担当者に確認してください（閲覧者は記録できません）。',
    );
    expect(viewer.text).not.toContain('を BreachPact に記録してください');
  });

  it('once per Japan date: a second pass, two instances at once, or a restarted runner at 15:00 send nothing more', async () => {
    h.clock.set('2026-11-29T00:05:00Z');
    expect(await sendDailyDigests(h.ctx)).toMatchObject({ ran: true, users: 0, mailed: 0 });
    const [x, y] = await Promise.all([sendDailyDigests(h.ctx), sendDailyDigests(h.ctx)]);
    expect((x.ran ? x.mailed : 0) + (y.ran ? y.mailed : 0)).toBe(0);
    h.clock.set('2026-11-29T06:00:00Z'); // 15:00
    await new DigestRunner(h.ctx, quiet).runOnce();
    expect(await digests('2026-11-29')).toHaveLength(4);
  });

  it('two instances racing on a new day mail each user exactly once', async () => {
    h.clock.set('2026-11-30T00:00:00Z'); // 9:00 on Monday 30 November
    const passes = await Promise.all([
      sendDailyDigests(h.ctx),
      sendDailyDigests(h.ctx),
      sendDailyDigests(h.ctx),
    ]);
    expect(passes.reduce((n, p) => n + (p.ran ? p.mailed : 0), 0)).toBe(4);
    expect(await recipients('2026-11-30')).toEqual(emails('b.owner', 'b.legal', 'b.responder', 'b.viewer'));
    // Both duties (Art 3.1 notice, Art 3.3 containment) overdue since 7:30: under 期限超過, with how long.
    const mail = (await digests('2026-11-30')).find((m) => m.to === w.emails['b.legal']) as Mail;
    expect(mail.subject).toBe('【BreachPact】2026年11月30日（月）の対応状況：未履行の義務2件（期限超過2件）');
    expect(mail.text).toContain('■ 期限超過（2件）');
    expect(mail.text).not.toContain('24時間以内');
    expect(mail.text).toContain('期限：2026年11月30日（月）7時30分まで（1時間30分超過）');
  });

  it('a server started at 15:00 on a day without a pass sends that day’s digest once', async () => {
    h.clock.set('2026-12-01T06:00:00Z'); // 15:00 on Tuesday 1 December
    const runner = new DigestRunner(h.ctx, quiet);
    await runner.runOnce();
    expect(await digests('2026-12-01')).toHaveLength(4);
    h.clock.set('2026-12-01T06:01:00Z');
    await runner.runOnce();
    await new DigestRunner(h.ctx, quiet).runOnce();
    expect(await digests('2026-12-01')).toHaveLength(4);
  });

  describe('opt-out, language and the counterparty after the first notice', () => {
    it('GET /me shows dailyDigest (default true); PATCH /me switches it off, audited; the next digest skips the user', async () => {
      const me = await w.b.viewer.get('/api/v1/me');
      expect(me.status, me.body).toBe(200);
      expect(me.json.user).toMatchObject({ email: w.emails['b.viewer'], dailyDigest: true });
      const off = await w.b.viewer.patch('/api/v1/me', { dailyDigest: false });
      expect(off.status, off.body).toBe(200);
      expect(off.json.user.dailyDigest).toBe(false);
      expect((await w.b.viewer.get('/api/v1/session')).json.user.dailyDigest).toBe(false);
      const audit = await h.ctx.db.kysely
        .selectFrom('audit_events')
        .select(['action', 'payload'])
        .where('record_id', '=', me.json.user.id)
        .where('action', '=', 'user.updated')
        .execute();
      expect(audit.map((a) => JSON.parse(a.payload))).toContainEqual(
        expect.objectContaining({ before: { dailyDigest: true }, after: { dailyDigest: false } }),
      );
      // 甲's legal reads English.
      expect((await w.a.legal.patch('/api/v1/me', { locale: 'en' })).json.user.locale).toBe('en');
    });

    it('after the first notice the counterparty’s users get it too — in English for an English user — and the opted-out user nothing', async () => {
      h.clock.set('2026-12-01T07:00:00Z'); // 16:00 on 1 December
      const sent = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
        items: FIRST_ITEMS,
      });
      expect(sent.status, sent.body).toBe(201);
      h.clock.set('2026-12-02T00:00:00Z'); // 9:00 on Wednesday 2 December
      expect(await sendDailyDigests(h.ctx)).toMatchObject({ ran: true, on: '2026-12-02' });
      expect(await recipients('2026-12-02')).toEqual(
        emails('a.owner', 'a.legal', 'a.responder', 'a.viewer', 'b.owner', 'b.legal', 'b.responder'),
      );
      const en = (await digests('2026-12-02')).find((m) => m.to === w.emails['a.legal']) as Mail;
      expect(en.locale).toBe('en');
      expect(en.subject).toMatch(/^\[BreachPact\] Open duties on Wed 2 Dec 2026: \d+/);
      // 甲 owes its own Art 3.3 containment decision from the notice (owed by us) …
      expect(en.text).toContain('Art 3.3 containment measures');
      expect(en.text).toContain('Owed by: us (甲商事株式会社)');
      expect(en.text).toMatch(
        /Due: by \w{3} \d+ Dec 2026, \d\d:\d\d JST \((\d+ d )?\d+ h( \d+ min)? (left|overdue)\)/,
      );
      // … and sees 乙's as owed by the other party, with nothing for it to record.
      expect(en.text).toContain('Owed by: the other party (乙システム株式会社)');
      expect(en.text).toContain('Next: nothing for you to record');
      expect(en.text).not.toMatch(/[期限超過次にやること]/);
    });

    it('switching the digest back on is audited and takes effect the next day', async () => {
      expect((await w.b.viewer.patch('/api/v1/me', { dailyDigest: true })).json.user.dailyDigest).toBe(true);
      h.clock.set('2026-12-03T00:00:00Z');
      await sendDailyDigests(h.ctx);
      expect(await recipients('2026-12-03')).toContain(w.emails['b.viewer']);
    });
  });

  it('disabled users, invitees who have not set a password and the administrator get none', async () => {
    const invited = await w.b.owner.post(`/api/v1/organizations/${w.orgB.id}/users`, {
      email: `digest-invitee-${h.dialect}-${Date.now()}@example.com`,
      name: '招待中',
      role: 'responder',
    });
    expect(invited.status, invited.body).toBe(201);
    const disabled = await w.b.owner.patch(
      `/api/v1/organizations/${w.orgB.id}/users/${(await w.b.legal.get('/api/v1/me')).json.user.id}`,
      { disabled: true },
    );
    expect(disabled.status, disabled.body).toBe(200);
    h.clock.set('2026-12-04T00:00:00Z');
    await sendDailyDigests(h.ctx);
    const to = await recipients('2026-12-04');
    expect(to).toContain(w.emails['b.owner']);
    expect(to).not.toContain(w.emails['b.legal']);
    expect(to).not.toContain(invited.json.user?.email ?? invited.json.email);
    expect(to).not.toContain(w.emails.admin);
    expect(to.some((t) => t.startsWith('digest-invitee'))).toBe(false);
  });

  describe('GET and PATCH /api/v1/me', () => {
    it('no session: 401', async () => {
      expectProblem(await w.anon.get('/api/v1/me'), 401, 'UNAUTHENTICATED');
      expectProblem(await w.anon.patch('/api/v1/me', { dailyDigest: false }), 401, 'UNAUTHENTICATED');
    });

    it('the administrator reads and sets its own account (no incident content); it is never mailed a digest', async () => {
      const me = await w.admin.get('/api/v1/me');
      expect(me.status, me.body).toBe(200);
      expect(me.json.user).toMatchObject({ isAdmin: true, dailyDigest: true });
      expect((await w.admin.patch('/api/v1/me', { dailyDigest: false })).json.user.dailyDigest).toBe(false);
    });

    it('bad input is a problem+json in Japanese and English and changes nothing', async () => {
      const before = await snapshot(h.ctx);
      expectProblem(await w.a.owner.patch('/api/v1/me', {}), 400, 'VALIDATION_FAILED');
      expectProblem(await w.a.owner.patch('/api/v1/me', { dailyDigest: 'yes' }), 400, 'VALIDATION_FAILED');
      expectProblem(await w.a.owner.patch('/api/v1/me', { dailyDigest: null }), 400, 'VALIDATION_FAILED');
      expectProblem(await w.a.owner.patch('/api/v1/me', { digest: false }), 400, 'VALIDATION_FAILED');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('each user sets only its own choice (there is no user id to aim at another)', async () => {
      await w.a.owner.patch('/api/v1/me', { dailyDigest: false });
      expect((await w.a.responder.get('/api/v1/me')).json.user.dailyDigest).toBe(true);
      expect((await w.a.owner.get('/api/v1/me')).json.user.dailyDigest).toBe(false);
      await w.a.owner.patch('/api/v1/me', { dailyDigest: true });
    });
  });
});
