import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { forEachDialect, type DialectHarness } from '../support/dialects.js';
import {
  client,
  PASSWORD,
  seedWorld,
  snapshot,
  type Client,
  type Response,
  type World,
} from '../support/fixtures.js';

/** Issue 7, finding 7 (access lifecycle) and finding 2(b) (membership is the owner's). */

let seq = 0;
const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}-${(seq++).toString(36)}@example.com`;

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code });
  expect(res.json.messageJa.length).toBeGreaterThan(0);
  expect(res.json.messageEn.length).toBeGreaterThan(0);
}

interface Member {
  id: string;
  email: string;
  session: Client;
  sessionToken: string;
  bearer: Client;
  tokenId: string;
}

async function lastInstanceEvents(h: DialectHarness, n: number) {
  const rows = await h.db.kysely
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', 'instance')
    .orderBy('seq', 'desc')
    .limit(n)
    .execute();
  return rows.reverse();
}

async function membershipMails(h: DialectHarness, userId: string) {
  const rows = await h.db.kysely
    .selectFrom('outbox')
    .selectAll()
    .where('kind', '=', 'mail')
    .where('dedupe_key', 'like', `membership:${userId}:%`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as { to: string; subject: string; text: string });
}

/** Credentials rows (the fixture's snapshot leaves them out). */
async function credentials(h: DialectHarness): Promise<string> {
  const sessions = await h.db.kysely.selectFrom('sessions').selectAll().orderBy('id').execute();
  const tokens = await h.db.kysely.selectFrom('api_tokens').selectAll().orderBy('id').execute();
  return JSON.stringify({ sessions, tokens });
}

forEachDialect('access lifecycle (issue 7, findings 7 and 2b)', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  async function loginAs(email: string, password = PASSWORD): Promise<{ client: Client; token: string }> {
    const res = await w.anon.post('/api/v1/session', { email, password });
    expect(res.status, res.body).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    const token = /bp_session=([^;]+)/.exec(cookie)![1]!;
    return { client: client(h.app, { session: token }), token };
  }

  /** A new user of 甲 added by its owner, logged in, with an API token of its own. */
  async function member(role: 'owner' | 'legal' | 'responder' | 'viewer' = 'responder'): Promise<Member> {
    const email = uniqueEmail(role);
    const created = await w.a.owner.post(`/api/v1/organizations/${w.orgA.id}/users`, {
      email,
      name: `メンバー ${role}`,
      role,
      password: PASSWORD,
    });
    expect(created.status, created.body).toBe(201);
    const { client: session, token: sessionToken } = await loginAs(email);
    const tok = await session.post('/api/v1/tokens', { name: 'ci' });
    expect(tok.status, tok.body).toBe(201);
    return {
      id: created.json.id,
      email,
      session,
      sessionToken,
      bearer: client(h.app, { bearer: tok.json.token }),
      tokenId: tok.json.id,
    };
  }

  const userUrl = (userId: string, org = w.orgA.id) => `/api/v1/organizations/${org}/users/${userId}`;

  describe('PATCH /api/v1/organizations/{id}/users/{userId}', () => {
    it('without a session → 401, legal/responder/viewer → 403, another company → 404; nothing changes', async () => {
      const m = await member('viewer');
      const before = await snapshot(h.ctx);
      expectProblem(await w.anon.patch(userUrl(m.id), { role: 'legal' }), 401, 'UNAUTHENTICATED');
      for (const role of ['legal', 'responder', 'viewer'] as const) {
        expectProblem(await w.a[role].patch(userUrl(m.id), { role: 'legal' }), 403, 'FORBIDDEN');
        expectProblem(await w.a[role].patch(userUrl(m.id), { disabled: true }), 403, 'FORBIDDEN');
      }
      for (const c of [w.b.owner, w.c.owner, w.b.viewer]) {
        expectProblem(await c.patch(userUrl(m.id), { disabled: true }), 404, 'ORGANIZATION_NOT_FOUND');
      }
      // B's owner cannot reach A's user through its own organisation either.
      expectProblem(
        await w.b.owner.patch(userUrl(m.id, w.orgB.id), { role: 'owner' }),
        404,
        'USER_NOT_FOUND',
      );
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('bad input → 400 problem+json in ja/en and nothing changes', async () => {
      const m = await member('viewer');
      const before = await snapshot(h.ctx);
      for (const body of [
        {},
        { role: 'admin' },
        { disabled: 'yes' },
        { role: 'owner', extra: 1 },
        { role: null },
      ]) {
        const res = await w.a.owner.patch(userUrl(m.id), body);
        expectProblem(res, 400, res.json?.code);
        expect(res.json.code).not.toBe('INTERNAL');
      }
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('the owner changes a role: 200 with the user; user.role_changed on the instance chain; every owner of 甲 is mailed', async () => {
      const m = await member('viewer');
      const res = await w.a.owner.patch(userUrl(m.id), { role: 'legal' });
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ id: m.id, role: 'legal', disabled: false, organizationId: w.orgA.id });
      const [ev] = await lastInstanceEvents(h, 1);
      expect(ev).toMatchObject({ chain: 'instance', action: 'user.role_changed', record_id: m.id });
      expect(JSON.parse(ev!.payload)).toMatchObject({ before: { role: 'viewer' }, after: { role: 'legal' } });
      const mails = await membershipMails(h, m.id);
      const ownerMails = mails.filter((x) => x.to === w.emails['a.owner']);
      // Added, then role changed.
      expect(ownerMails).toHaveLength(2);
      expect(ownerMails[1]!.text).toContain(m.email);
      expect(mails.map((x) => x.to)).not.toContain(w.emails['a.legal']);
      expect((await verifyAudit(h.db, { chain: 'instance' })).ok).toBe(true);
      // The new role applies at once.
      expect((await m.session.get('/api/v1/session')).json.user.role).toBe('legal');
    });

    it('disabling: the session and the API token answer 401 at once, login is refused; re-enabling lets it log in and its token work again', async () => {
      const m = await member('responder');
      expect((await m.bearer.get('/api/v1/session')).status).toBe(200);
      const res = await w.a.owner.patch(userUrl(m.id), { disabled: true });
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ id: m.id, disabled: true });
      expectProblem(await m.session.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expectProblem(await m.bearer.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expectProblem(await m.bearer.get('/api/v1/agreements'), 401, 'UNAUTHENTICATED');
      expectProblem(
        await w.anon.post('/api/v1/session', { email: m.email, password: PASSWORD }),
        401,
        'INVALID_CREDENTIALS',
      );
      const [ev] = await lastInstanceEvents(h, 1);
      expect(ev).toMatchObject({ action: 'user.disabled', record_id: m.id });
      expect((await membershipMails(h, m.id)).filter((x) => x.to === w.emails['a.owner'])).toHaveLength(2);
      // Still listed, marked disabled.
      const list = await w.a.owner.get(`/api/v1/organizations/${w.orgA.id}/users`);
      expect(list.json.items.find((u: { id: string }) => u.id === m.id)).toMatchObject({ disabled: true });

      const back = await w.a.owner.patch(userUrl(m.id), { disabled: false });
      expect(back.status, back.body).toBe(200);
      expect(back.json.disabled).toBe(false);
      expect((await lastInstanceEvents(h, 1))[0]).toMatchObject({ action: 'user.enabled', record_id: m.id });
      // The old session ended for good; the token (a separate credential) works again; login works.
      expectProblem(await m.session.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expect((await m.bearer.get('/api/v1/session')).status).toBe(200);
      await loginAs(m.email);
    });

    it('the last active owner cannot be demoted, disabled or removed (409 LAST_OWNER), by itself or the administrator; with a second owner it can', async () => {
      // A fresh organisation with one owner (the administrator may create its first owner).
      const org = await w.admin.post('/api/v1/organizations', {
        name: '戊株式会社',
        address: '東京都中央区銀座1-1',
        representative: '代表取締役 戊',
      });
      expect(org.status, org.body).toBe(201);
      const ownerEmail = uniqueEmail('first-owner');
      const first = await w.admin.post(`/api/v1/organizations/${org.json.id}/users`, {
        email: ownerEmail,
        name: '初代オーナー',
        role: 'owner',
        password: PASSWORD,
      });
      expect(first.status, first.body).toBe(201);
      const owner = (await loginAs(ownerEmail)).client;
      const url = userUrl(first.json.id, org.json.id);
      const before = await snapshot(h.ctx);
      expectProblem(await owner.patch(url, { role: 'legal' }), 409, 'LAST_OWNER');
      expectProblem(await owner.patch(url, { disabled: true }), 409, 'LAST_OWNER');
      expectProblem(await owner.delete(url), 409, 'LAST_OWNER');
      expectProblem(await w.admin.patch(url, { disabled: true }), 409, 'LAST_OWNER');
      expect(await snapshot(h.ctx)).toBe(before);

      // A second owner: now the first may step down.
      const secondEmail = uniqueEmail('second-owner');
      const second = await owner.post(`/api/v1/organizations/${org.json.id}/users`, {
        email: secondEmail,
        name: '二代目',
        role: 'owner',
        password: PASSWORD,
      });
      expect(second.status, second.body).toBe(201);
      const demoted = await owner.patch(url, { role: 'viewer' });
      expect(demoted.status, demoted.body).toBe(200);
      expect(demoted.json.role).toBe('viewer');
      const secondOwner = (await loginAs(secondEmail)).client;
      expectProblem(
        await secondOwner.patch(userUrl(second.json.id, org.json.id), { role: 'legal' }),
        409,
        'LAST_OWNER',
      );
    });
  });

  it('two owners demoting each other at the same moment: one succeeds, the other gets 409 LAST_OWNER (never none left)', async () => {
    const org = await w.admin.post('/api/v1/organizations', {
      name: '庚株式会社',
      address: '東京都台東区1-1',
      representative: '代表取締役 庚',
    });
    const url = `/api/v1/organizations/${org.json.id}/users`;
    const emails = [uniqueEmail('race-1'), uniqueEmail('race-2')];
    const first = await w.admin.post(url, {
      email: emails[0],
      name: '一',
      role: 'owner',
      password: PASSWORD,
    });
    const owner1 = (await loginAs(emails[0]!)).client;
    const second = await owner1.post(url, {
      email: emails[1],
      name: '二',
      role: 'owner',
      password: PASSWORD,
    });
    const owner2 = (await loginAs(emails[1]!)).client;
    const results = await Promise.all([
      owner1.patch(`${url}/${second.json.id}`, { role: 'viewer' }),
      owner2.patch(`${url}/${first.json.id}`, { disabled: true }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.json.code).toBe('LAST_OWNER');
    const owners = await h.db.kysely
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', org.json.id)
      .where('role', '=', 'owner')
      .where('disabled_at', 'is', null)
      .execute();
    expect(owners).toHaveLength(1);
  });

  describe('DELETE /api/v1/organizations/{id}/users/{userId}', () => {
    it('without a session → 401, other roles → 403, another company → 404; nothing changes', async () => {
      const m = await member('viewer');
      const before = await snapshot(h.ctx);
      const creds = await credentials(h);
      expectProblem(await w.anon.delete(userUrl(m.id)), 401, 'UNAUTHENTICATED');
      for (const role of ['legal', 'responder', 'viewer'] as const) {
        expectProblem(await w.a[role].delete(userUrl(m.id)), 403, 'FORBIDDEN');
      }
      expectProblem(await w.b.owner.delete(userUrl(m.id)), 404, 'ORGANIZATION_NOT_FOUND');
      expectProblem(await w.a.owner.delete(userUrl('usr_00000000000000000000000000')), 404, 'USER_NOT_FOUND');
      expect(await snapshot(h.ctx)).toBe(before);
      expect(await credentials(h)).toBe(creds);
    });

    it('the owner removes a user: 204; its session and token answer 401; it leaves the list, the row and name stay for the audit trail; owners mailed; the address can be added again', async () => {
      const m = await member('legal');
      const res = await w.a.owner.delete(userUrl(m.id));
      expect(res.status, res.body).toBe(204);
      expectProblem(await m.session.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expectProblem(await m.bearer.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expectProblem(
        await w.anon.post('/api/v1/session', { email: m.email, password: PASSWORD }),
        401,
        'INVALID_CREDENTIALS',
      );
      const list = await w.a.owner.get(`/api/v1/organizations/${w.orgA.id}/users`);
      expect(list.json.items.map((u: { id: string }) => u.id)).not.toContain(m.id);
      const row = await h.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow();
      expect(row.name).toBe('メンバー legal');
      expect(row.removed_at).not.toBeNull();
      expect(
        await h.db.kysely.selectFrom('sessions').selectAll().where('user_id', '=', m.id).execute(),
      ).toEqual([]);
      expect(
        await h.db.kysely.selectFrom('api_tokens').selectAll().where('user_id', '=', m.id).execute(),
      ).toEqual([]);
      const [ev] = await lastInstanceEvents(h, 1);
      expect(ev).toMatchObject({ chain: 'instance', action: 'user.removed', record_id: m.id });
      expect(JSON.parse(ev!.payload).before).toMatchObject({ email: m.email, role: 'legal' });
      const mails = (await membershipMails(h, m.id)).filter((x) => x.to === w.emails['a.owner']);
      expect(mails).toHaveLength(2);
      expect(mails[1]!.text).toContain(m.email);
      // Gone: a second removal or a change is 404.
      expectProblem(await w.a.owner.delete(userUrl(m.id)), 404, 'USER_NOT_FOUND');
      expectProblem(await w.a.owner.patch(userUrl(m.id), { disabled: false }), 404, 'USER_NOT_FOUND');
      // The address is free again.
      const again = await w.a.owner.post(`/api/v1/organizations/${w.orgA.id}/users`, {
        email: m.email,
        name: '再登録',
        role: 'viewer',
      });
      expect(again.status, again.body).toBe(201);
      expect(again.json.id).not.toBe(m.id);
    });
  });

  describe('finding 2b: the administrator and membership', () => {
    it('inside an organisation with an active owner the administrator gets 403 for adding users, changing roles and removing; nothing changes', async () => {
      const m = await member('viewer');
      const before = await snapshot(h.ctx);
      const creds = await credentials(h);
      expectProblem(
        await w.admin.post(`/api/v1/organizations/${w.orgA.id}/users`, {
          email: uniqueEmail('admin-made'),
          name: 'x',
          role: 'legal',
          password: 'a-long-password',
        }),
        403,
        'FORBIDDEN',
      );
      expectProblem(await w.admin.patch(userUrl(m.id), { role: 'owner' }), 403, 'FORBIDDEN');
      expectProblem(await w.admin.patch(userUrl(m.id), { role: 'viewer', disabled: true }), 403, 'FORBIDDEN');
      expectProblem(await w.admin.delete(userUrl(m.id)), 403, 'FORBIDDEN');
      expect(await snapshot(h.ctx)).toBe(before);
      expect(await credentials(h)).toBe(creds);
    });

    it('the administrator may disable and re-enable an account there; the owners are mailed (naming the administrator) and it is on the instance chain', async () => {
      const m = await member('responder');
      const res = await w.admin.patch(userUrl(m.id), { disabled: true });
      expect(res.status, res.body).toBe(200);
      expect(res.json.disabled).toBe(true);
      expectProblem(await m.bearer.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      const [ev] = await lastInstanceEvents(h, 1);
      const adminId = (
        await h.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', w.emails.admin!)
          .executeTakeFirstOrThrow()
      ).id;
      expect(ev).toMatchObject({ action: 'user.disabled', record_id: m.id, actor_user_id: adminId });
      const mails = (await membershipMails(h, m.id)).filter((x) => x.to === w.emails['a.owner']);
      expect(mails.at(-1)!.text).toContain('インスタンス管理者');
      expect((await w.admin.patch(userUrl(m.id), { disabled: false })).status).toBe(200);
    });

    it('an organisation without an active owner: the administrator adds its first owner (201); afterwards 403', async () => {
      const org = await w.admin.post('/api/v1/organizations', {
        name: '己株式会社',
        address: '東京都港区1-1',
        representative: '代表取締役 己',
      });
      const url = `/api/v1/organizations/${org.json.id}/users`;
      // By invitation: an owner who has not set a password yet is not an active owner.
      const invited = await w.admin.post(url, {
        email: uniqueEmail('invited-owner'),
        name: '招待',
        role: 'owner',
      });
      expect(invited.status, invited.body).toBe(201);
      const first = await w.admin.post(url, {
        email: uniqueEmail('pw-owner'),
        name: '初代',
        role: 'owner',
        password: PASSWORD,
      });
      expect(first.status, first.body).toBe(201);
      expect((await lastInstanceEvents(h, 1))[0]).toMatchObject({
        action: 'user.created',
        record_id: first.json.id,
      });
      // The new owner is mailed about its own addition.
      expect((await membershipMails(h, first.json.id)).map((x) => x.to)).toEqual([first.json.email]);
      expectProblem(
        await w.admin.post(url, {
          email: uniqueEmail('late'),
          name: '後',
          role: 'owner',
          password: PASSWORD,
        }),
        403,
        'FORBIDDEN',
      );
    });

    it('a user added by the owner is mailed to every owner of the organisation', async () => {
      const m = await member('viewer');
      const mails = await membershipMails(h, m.id);
      expect(mails.map((x) => x.to)).toEqual([w.emails['a.owner']]);
      expect(mails[0]!.subject).toContain(w.orgA.name);
      expect(mails[0]!.text).toContain(m.email);
    });
  });

  describe('POST /api/v1/me/password', () => {
    it('without a session → 401; a wrong current password → 400 CURRENT_PASSWORD_WRONG; bad input → 400; nothing changes', async () => {
      const m = await member('viewer');
      const before = await snapshot(h.ctx);
      const creds = await credentials(h);
      expectProblem(
        await w.anon.post('/api/v1/me/password', {
          currentPassword: PASSWORD,
          newPassword: 'new-password-1',
        }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await m.session.post('/api/v1/me/password', {
          currentPassword: 'wrong-password',
          newPassword: 'new-password-1',
        }),
        400,
        'CURRENT_PASSWORD_WRONG',
      );
      for (const body of [
        {},
        { currentPassword: PASSWORD, newPassword: 'short' },
        { currentPassword: PASSWORD },
      ]) {
        const res = await m.session.post('/api/v1/me/password', body);
        expect(res.status, res.body).toBe(400);
        expect(res.json.messageJa.length).toBeGreaterThan(0);
        expect(res.json.messageEn.length).toBeGreaterThan(0);
      }
      expect(await snapshot(h.ctx)).toBe(before);
      expect(await credentials(h)).toBe(creds);
    });

    it('changes the password; every other session ends, this one stays; tokens stay; audited', async () => {
      const m = await member('responder');
      const other = await loginAs(m.email);
      const res = await m.session.post('/api/v1/me/password', {
        currentPassword: PASSWORD,
        newPassword: 'a-brand-new-password',
      });
      expect(res.status, res.body).toBe(200);
      expect(res.json).toEqual({ sessionsEnded: 1 });
      expect((await m.session.get('/api/v1/session')).status).toBe(200);
      expectProblem(await other.client.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expect((await m.bearer.get('/api/v1/session')).status).toBe(200);
      expectProblem(
        await w.anon.post('/api/v1/session', { email: m.email, password: PASSWORD }),
        401,
        'INVALID_CREDENTIALS',
      );
      await loginAs(m.email, 'a-brand-new-password');
      const [ev] = await lastInstanceEvents(h, 1);
      expect(ev).toMatchObject({ action: 'user.password_changed', record_id: m.id });
      expect(ev!.payload).not.toContain('argon2');
      expect(ev!.payload).not.toContain('a-brand-new-password');
    });
  });

  describe('API tokens: POST/GET /api/v1/tokens, DELETE /api/v1/tokens/{id}', () => {
    it('without a session → 401 on each; nothing changes', async () => {
      const m = await member('viewer');
      const creds = await credentials(h);
      expectProblem(await w.anon.post('/api/v1/tokens', { name: 'x' }), 401, 'UNAUTHENTICATED');
      expectProblem(await w.anon.get('/api/v1/tokens'), 401, 'UNAUTHENTICATED');
      expectProblem(await w.anon.delete(`/api/v1/tokens/${m.tokenId}`), 401, 'UNAUTHENTICATED');
      expect(await credentials(h)).toBe(creds);
    });

    it('creates a token shown once; lists name, created, last used and expiry without the secret; audited', async () => {
      const m = await member('legal');
      const res = await m.session.post(
        '/api/v1/tokens',
        { name: '監査連携', expiresInDays: 90 },
        { 'idempotency-key': `tok-${h.dialect}` },
      );
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({
        id: expect.stringMatching(/^tok_/),
        name: '監査連携',
        token: expect.stringMatching(/^bp_/),
        createdAt: '2026-11-28T01:00:00.000Z',
        expiresAt: '2027-02-26T01:00:00.000Z',
        lastUsedAt: null,
      });
      expect((await lastInstanceEvents(h, 1))[0]).toMatchObject({
        action: 'api_token.created',
        record_id: res.json.id,
      });
      // The secret is stored nowhere in clear: not in the tokens table, not as an idempotent reply.
      const stored = JSON.stringify([
        await h.db.kysely.selectFrom('api_tokens').selectAll().execute(),
        await h.db.kysely.selectFrom('idempotency_keys').selectAll().execute(),
      ]);
      expect(stored).not.toContain(res.json.token);
      const api = client(h.app, { bearer: res.json.token });
      expect((await api.get('/api/v1/session')).json.user.id).toBe(m.id);
      const list = await m.session.get('/api/v1/tokens');
      expect(list.status, list.body).toBe(200);
      expect(list.body).not.toContain(res.json.token);
      expect(list.json.items).toHaveLength(2);
      expect(list.json.items[0]).toEqual({
        id: res.json.id,
        name: '監査連携',
        createdAt: '2026-11-28T01:00:00.000Z',
        lastUsedAt: '2026-11-28T01:00:00.000Z',
        expiresAt: '2027-02-26T01:00:00.000Z',
      });
      // Another user's list does not show them.
      expect((await w.a.owner.get('/api/v1/tokens')).body).not.toContain(res.json.id);
    });

    it('bad input → 400 in ja/en and nothing changes', async () => {
      const m = await member('viewer');
      const creds = await credentials(h);
      const before = await snapshot(h.ctx);
      for (const body of [
        {},
        { name: '' },
        { name: 'x', expiresInDays: 0 },
        { name: 'x', expiresInDays: 1.5 },
        { name: 'x', secret: 'y' },
      ]) {
        const res = await m.session.post('/api/v1/tokens', body);
        expect(res.status, res.body).toBe(400);
        expect(res.json.messageJa.length).toBeGreaterThan(0);
        expect(res.json.messageEn.length).toBeGreaterThan(0);
      }
      expect(await credentials(h)).toBe(creds);
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it("revoking: 204, the token answers 401 at once and its id 404 afterwards; another user's token is 404 (nothing changes)", async () => {
      const m = await member('responder');
      const other = await member('responder');
      const creds = await credentials(h);
      expectProblem(await other.session.delete(`/api/v1/tokens/${m.tokenId}`), 404, 'API_TOKEN_NOT_FOUND');
      expectProblem(await w.b.owner.delete(`/api/v1/tokens/${m.tokenId}`), 404, 'API_TOKEN_NOT_FOUND');
      expect(await credentials(h)).toBe(creds);
      expect((await m.bearer.get('/api/v1/session')).status).toBe(200);

      const res = await m.session.delete(`/api/v1/tokens/${m.tokenId}`);
      expect(res.status, res.body).toBe(204);
      expectProblem(await m.bearer.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expectProblem(await m.session.delete(`/api/v1/tokens/${m.tokenId}`), 404, 'API_TOKEN_NOT_FOUND');
      expect((await m.session.get('/api/v1/tokens')).json.items).toEqual([]);
      expect((await lastInstanceEvents(h, 1))[0]).toMatchObject({
        action: 'api_token.revoked',
        record_id: m.tokenId,
      });
      // The other user's token is untouched.
      expect((await other.bearer.get('/api/v1/session')).status).toBe(200);
    });

    it('an expired token → 401', async () => {
      const m = await member('viewer');
      const res = await m.session.post('/api/v1/tokens', { name: 'short', expiresInDays: 1 });
      const api = client(h.app, { bearer: res.json.token });
      expect((await api.get('/api/v1/session')).status).toBe(200);
      const start = h.clock.now();
      try {
        h.clock.advance({ hours: 24 });
        expectProblem(await api.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
        // The token without expiry still works.
        expect((await m.bearer.get('/api/v1/session')).status).toBe(200);
      } finally {
        h.clock.set(start.toString());
      }
    });
  });
});
