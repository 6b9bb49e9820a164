import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../src/app/auth/bootstrap-admin.js';
import { createApiToken } from '../../src/app/auth/sessions.js';
import { createUser } from '../../src/app/users/create-user.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/http/server.js';
import { createTestDatabase, forEachDialect, TestClock, type DialectHarness } from '../support/dialects.js';
import { client, PASSWORD, seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

const ORG = { name: '株式会社セッション', address: '東京都港区1-1', representative: '代表' };
const SAME_ORIGIN = 'http://localhost:3000';
let seq = 0;
const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}-${(seq++).toString(36)}@example.com`;

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code });
  expect(res.json.messageJa).toBeTruthy();
  expect(res.json.messageEn).toBeTruthy();
}

function sessionCookie(res: Response): string {
  const raw = res.headers['set-cookie'];
  const all = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(String);
  const c = all.find((s) => s.startsWith('bp_session='));
  if (!c) throw new Error(`no bp_session cookie in ${JSON.stringify(raw)}`);
  return c;
}

const tokenOf = (cookie: string) => /^bp_session=([^;]*)/.exec(cookie)![1]!;

/** A fresh user of organisation A, logged in through the API; returns its session token. */
async function freshUser(h: DialectHarness, w: World, role: 'owner' | 'viewer' = 'viewer') {
  const email = uniqueEmail(`s-${role}`);
  await createUser(
    h.ctx,
    { kind: 'system', label: 'test' },
    { organizationId: w.orgA.id, email, name: 'セッション 利用者', role, password: PASSWORD },
  );
  const res = await w.anon.post('/api/v1/session', { email, password: PASSWORD });
  expect(res.status, res.body).toBe(200);
  return { email, token: tokenOf(sessionCookie(res)) };
}

forEachDialect('session API', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  describe('log in and out', () => {
    it('POST /api/v1/session sets an httpOnly, SameSite=Strict bp_session cookie and returns the user without secrets', async () => {
      const email = w.emails['a.legal']!;
      const res = await w.anon.post('/api/v1/session', { email, password: PASSWORD });
      expect(res.status, res.body).toBe(200);
      const cookie = sessionCookie(res);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      expect(cookie).toMatch(/;\s*Expires=/i);
      expect(cookie).not.toMatch(/;\s*Secure/i); // http://localhost: no Secure flag, or the browser would drop it
      expect(tokenOf(cookie).length).toBeGreaterThanOrEqual(40);
      expect(res.json).toEqual({
        user: {
          id: expect.stringMatching(/^usr_/),
          email,
          name: 'A legal',
          role: 'legal',
          organizationId: w.orgA.id,
          organizationName: '甲商事株式会社',
          locale: 'ja',
          isAdmin: false,
          invitationPending: false,
          disabled: false,
          dailyDigest: true,
        },
      });
      expect(res.body).not.toContain('$argon2');
      // The session is stored as a hash, never as the cookie value.
      const sessions = await h.db.kysely.selectFrom('sessions').selectAll().execute();
      expect(JSON.stringify(sessions)).not.toContain(tokenOf(cookie));
      expect(sessions.map((s) => s.token_hash)).toContain(
        createHash('sha256').update(tokenOf(cookie)).digest('hex'),
      );
    });

    it('the e-mail is matched case-insensitively', async () => {
      const res = await w.anon.post('/api/v1/session', {
        email: w.emails['b.viewer']!.toUpperCase(),
        password: PASSWORD,
      });
      expect(res.status, res.body).toBe(200);
      expect(res.json.user.email).toBe(w.emails['b.viewer']);
    });

    it('a wrong password and an unknown e-mail both get 401 INVALID_CREDENTIALS with the same body', async () => {
      const wrong = await w.anon.post('/api/v1/session', {
        email: w.emails['a.owner']!,
        password: 'wrong-password',
      });
      const unknown = await w.anon.post('/api/v1/session', {
        email: 'nobody@example.com',
        password: 'wrong-password',
      });
      expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
      expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
      expect(unknown.body).toBe(wrong.body);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect(unknown.headers['set-cookie']).toBeUndefined();
    });

    it('an invited user who has no password yet cannot log in with any password', async () => {
      const email = uniqueEmail('nopw');
      await createUser(
        h.ctx,
        { kind: 'system', label: 'test' },
        { organizationId: w.orgB.id, email, name: 'x', role: 'viewer' },
      );
      expectProblem(
        await w.anon.post('/api/v1/session', { email, password: 'anything-at-all' }),
        401,
        'INVALID_CREDENTIALS',
      );
    });

    it('bad login input → 400, not 401 or 500', async () => {
      expectProblem(
        await w.anon.post('/api/v1/session', { email: 'x@example.com' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await w.anon.post('/api/v1/session', { email: 'x@example.com', password: 'p', remember: true }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await w.anon.post('/api/v1/session', { email: 1, password: 'p' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await w.anon.post('/api/v1/session', '{"email":'), 400, 'MALFORMED_JSON');
    });

    it('GET /api/v1/session with the cookie returns the user; without it → 401', async () => {
      const me = await w.b.owner.get('/api/v1/session');
      expect(me.status).toBe(200);
      expect(me.json.user).toMatchObject({
        email: w.emails['b.owner'],
        role: 'owner',
        organizationId: w.orgB.id,
        organizationName: '乙システム株式会社',
      });
      expectProblem(await w.anon.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      expectProblem(
        await client(h.app, { session: 'forged-session-token' }).get('/api/v1/session'),
        401,
        'UNAUTHENTICATED',
      );
      const admin = await w.admin.get('/api/v1/session');
      expect(admin.json.user).toMatchObject({
        isAdmin: true,
        role: 'admin',
        organizationId: null,
        organizationName: null,
      });
    });

    it('DELETE /api/v1/session → 204, clears the cookie, and the old cookie no longer works', async () => {
      const { token } = await freshUser(h, w);
      const c = client(h.app, { session: token });
      expect((await c.get('/api/v1/session')).status).toBe(200);
      const out = await c.delete('/api/v1/session');
      expect(out.status).toBe(204);
      expect(out.body).toBe('');
      const cleared = sessionCookie(out);
      expect(cleared).toMatch(/^bp_session=;/);
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/i);
      expectProblem(await c.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      const hash = createHash('sha256').update(token).digest('hex');
      expect(
        await h.db.kysely
          .selectFrom('sessions')
          .select('id')
          .where('token_hash', '=', hash)
          .executeTakeFirst(),
      ).toBeUndefined();
      // Logging out again (or without a session) is harmless.
      expect((await c.delete('/api/v1/session')).status).toBe(204);
      expect((await w.anon.delete('/api/v1/session')).status).toBe(204);
      // Clients that send a JSON content type on every request (with no body) are fine too.
      expect((await c.delete('/api/v1/session', { 'content-type': 'application/json' })).status).toBe(204);
    });

    it('logging out one session leaves the user’s other sessions alone', async () => {
      const { email, token } = await freshUser(h, w);
      const second = tokenOf(
        sessionCookie(await w.anon.post('/api/v1/session', { email, password: PASSWORD })),
      );
      expect((await client(h.app, { session: token }).delete('/api/v1/session')).status).toBe(204);
      expect((await client(h.app, { session: second }).get('/api/v1/session')).status).toBe(200);
    });

    it('a session expires after SESSION_TTL_HOURS (12 h by default)', async () => {
      const { token } = await freshUser(h, w);
      const c = client(h.app, { session: token });
      const saved = h.clock.now();
      try {
        h.clock.advance({ hours: 11, minutes: 59 });
        expect((await c.get('/api/v1/session')).status).toBe(200);
        h.clock.advance({ minutes: 1 });
        expectProblem(await c.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      } finally {
        h.clock.set(saved.toString());
      }
    });
  });

  describe('CSRF defence on cookie-authenticated writes', () => {
    it('Origin of another site → 403 CSRF_REJECTED and nothing changes', async () => {
      const before = await snapshot(h.ctx);
      expectProblem(
        await w.admin.post('/api/v1/organizations', ORG, { origin: 'https://evil.example' }),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await w.admin.post('/api/v1/organizations', ORG, { origin: 'http://localhost:3001' }),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await w.admin.post('/api/v1/organizations', ORG, { origin: 'null' }),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await w.a.owner.post(
          `/api/v1/organizations/${w.orgA.id}/users`,
          { email: uniqueEmail('csrf'), name: 'x', role: 'owner', password: 'password123' },
          { origin: 'https://evil.example' },
        ),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await w.a.viewer.patch('/api/v1/me', { locale: 'en' }, { origin: 'https://evil.example' }),
        403,
        'CSRF_REJECTED',
      );
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('Sec-Fetch-Site: cross-site (or same-site) → 403 and nothing changes', async () => {
      const before = await snapshot(h.ctx);
      expectProblem(
        await w.admin.post('/api/v1/organizations', ORG, { 'sec-fetch-site': 'cross-site' }),
        403,
        'CSRF_REJECTED',
      );
      expectProblem(
        await w.admin.post('/api/v1/organizations', ORG, { 'sec-fetch-site': 'same-site' }),
        403,
        'CSRF_REJECTED',
      );
      // Fetch metadata wins even when the Origin looks right.
      expectProblem(
        await w.admin.post('/api/v1/organizations', ORG, {
          'sec-fetch-site': 'cross-site',
          origin: SAME_ORIGIN,
        }),
        403,
        'CSRF_REJECTED',
      );
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('a cross-site logout is refused and the session survives', async () => {
      const { token } = await freshUser(h, w);
      const c = client(h.app, { session: token });
      expectProblem(
        await c.delete('/api/v1/session', { origin: 'https://evil.example' }),
        403,
        'CSRF_REJECTED',
      );
      expect((await c.get('/api/v1/session')).status).toBe(200);
    });

    it('a cross-site login is refused (login CSRF)', async () => {
      const res = await w.anon.post(
        '/api/v1/session',
        { email: w.emails['a.owner']!, password: PASSWORD },
        { origin: 'https://evil.example' },
      );
      expectProblem(res, 403, 'CSRF_REJECTED');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('the same origin (PUBLIC_URL) and same-origin fetch metadata are allowed', async () => {
      const a = await w.admin.post('/api/v1/organizations', ORG, { origin: SAME_ORIGIN });
      expect(a.status, a.body).toBe(201);
      const b = await w.admin.post('/api/v1/organizations', ORG, {
        origin: SAME_ORIGIN,
        'sec-fetch-site': 'same-origin',
      });
      expect(b.status, b.body).toBe(201);
      // A user typing the URL (Sec-Fetch-Site: none) and a non-browser client without these headers are fine too.
      expect((await w.admin.post('/api/v1/organizations', ORG, { 'sec-fetch-site': 'none' })).status).toBe(
        201,
      );
      expect((await w.admin.post('/api/v1/organizations', ORG)).status).toBe(201);
    });

    it('safe methods are not subject to the origin check', async () => {
      const res = await w.a.owner.get('/api/v1/session', {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      });
      expect(res.status).toBe(200);
    });

    it('a Bearer-token request is not subject to the origin check', async () => {
      const { token } = await createApiToken(h.ctx, w.emails.admin!);
      const bearer = client(h.app, { bearer: token });
      const res = await bearer.post('/api/v1/organizations', ORG, {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      });
      expect(res.status, res.body).toBe(201);
    });
  });

  describe('language', () => {
    it('PATCH /api/v1/me {locale:"en"} sticks, and problem details then come in English', async () => {
      const { token } = await freshUser(h, w);
      const c = client(h.app, { session: token });

      const ja = await c.post('/api/v1/organizations', ORG);
      expectProblem(ja, 403, 'FORBIDDEN');
      expect(ja.json.detail).toBe(ja.json.messageJa);
      expect(ja.json.detail).not.toBe(ja.json.messageEn);

      const patched = await c.patch('/api/v1/me', { locale: 'en' });
      expect(patched.status, patched.body).toBe(200);
      expect(patched.json.user.locale).toBe('en');
      expect((await c.get('/api/v1/session')).json.user.locale).toBe('en');

      const en = await c.post('/api/v1/organizations', ORG);
      expectProblem(en, 403, 'FORBIDDEN');
      expect(en.json.detail).toBe(en.json.messageEn);
      expect(en.json.detail).toBe('You are not allowed to do this.');
      // Validation problems too.
      const bad = await c.patch('/api/v1/me', { locale: 'fr' });
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(bad.json.detail).toBe(bad.json.messageEn);

      // The change is on the instance audit chain; setting the same value again records nothing.
      const changes = () =>
        h.db.kysely
          .selectFrom('audit_events')
          .select(['action', 'payload', 'actor_user_id'])
          .where('chain', '=', 'instance')
          .where('record_id', '=', patched.json.user.id)
          .where('action', '=', 'user.updated')
          .execute();
      const recorded = await changes();
      expect(recorded).toHaveLength(1);
      expect(recorded[0]!.actor_user_id).toBe(patched.json.user.id);
      expect(JSON.parse(recorded[0]!.payload)).toEqual({ before: { locale: 'ja' }, after: { locale: 'en' } });
      expect((await c.patch('/api/v1/me', { locale: 'en' })).status).toBe(200);
      expect(await changes()).toHaveLength(1);
      // Switching back works.
      expect((await c.patch('/api/v1/me', { locale: 'ja' })).json.user.locale).toBe('ja');
      const back = await c.post('/api/v1/organizations', ORG);
      expect(back.json.detail).toBe(back.json.messageJa);
    });

    it('the locale is kept across logins', async () => {
      const { email, token } = await freshUser(h, w);
      await client(h.app, { session: token }).patch('/api/v1/me', { locale: 'en' });
      const again = await w.anon.post('/api/v1/session', { email, password: PASSWORD });
      expect(again.json.user.locale).toBe('en');
    });

    it('without a session, Accept-Language: en picks English', async () => {
      const res = await w.anon.get('/api/v1/session', { 'accept-language': 'en-US,en;q=0.9' });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.json.detail).toBe(res.json.messageEn);
      const ja = await w.anon.get('/api/v1/session');
      expect(ja.json.detail).toBe(ja.json.messageJa);
    });

    it('PATCH /api/v1/me bad input → 400; without a session → 401', async () => {
      expectProblem(await w.a.viewer.patch('/api/v1/me', { locale: 'fr' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await w.a.viewer.patch('/api/v1/me', { locale: 'en', role: 'owner' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await w.anon.patch('/api/v1/me', { locale: 'en' }), 401, 'UNAUTHENTICATED');
      expect((await w.a.viewer.get('/api/v1/session')).json.user).toMatchObject({
        locale: 'ja',
        role: 'viewer',
      });
    });
  });

  describe('API tokens', () => {
    it('a token from createApiToken works as Bearer and is stored only as a hash', async () => {
      const email = w.emails['b.legal']!;
      const { token, user } = await createApiToken(h.ctx, email, 'ci');
      expect(user.email).toBe(email);
      expect(token).toMatch(/^bp_[A-Za-z0-9_-]{40,}$/);

      const me = await client(h.app, { bearer: token }).get('/api/v1/session');
      expect(me.status, me.body).toBe(200);
      expect(me.json.user).toMatchObject({ email, role: 'legal', organizationId: w.orgB.id });
      // The scheme is case-insensitive (RFC 9110 §11.1).
      const lower = await w.anon.get('/api/v1/session', { authorization: `bearer ${token}` });
      expect(lower.status, lower.body).toBe(200);

      const rows = await h.db.kysely
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', user.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        name: 'ci',
        token_hash: createHash('sha256').update(token).digest('hex'),
      });
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(token.slice(3));

      const ev = await h.db.kysely
        .selectFrom('audit_events')
        .selectAll()
        .where('chain', '=', 'instance')
        .where('record_id', '=', rows[0]!.id)
        .executeTakeFirst();
      expect(ev).toMatchObject({ action: 'api_token.created', record_type: 'api_token' });
      expect(ev!.payload).not.toContain(token);
    });

    it('a Bearer token acts with its user’s rights', async () => {
      const { token } = await createApiToken(h.ctx, w.emails['c.viewer']!);
      const res = await client(h.app, { bearer: token }).post('/api/v1/organizations', ORG);
      expectProblem(res, 403, 'FORBIDDEN');
    });

    it('an unknown bearer token → 401, even with a valid session cookie alongside and on public routes', async () => {
      const bad = client(h.app, { bearer: 'bp_not-a-real-token' });
      expectProblem(await bad.get('/api/v1/session'), 401, 'UNAUTHENTICATED');
      const before = await snapshot(h.ctx);
      expectProblem(await bad.post('/api/v1/organizations', ORG), 401, 'UNAUTHENTICATED');
      expect(await snapshot(h.ctx)).toBe(before);
      const session = (await w.a.owner.get('/api/v1/session')).status;
      expect(session).toBe(200);
      const both = await h.app.inject({
        method: 'GET',
        url: '/api/v1/session',
        headers: {
          authorization: 'Bearer bp_nope',
          cookie: `bp_session=${tokenOf(sessionCookie(await w.anon.post('/api/v1/session', { email: w.emails['a.owner']!, password: PASSWORD })))}`,
        },
      });
      expect(both.statusCode).toBe(401);
      expectProblem(
        await bad.post('/api/v1/session', { email: w.emails['a.owner']!, password: PASSWORD }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('createApiToken for an unknown e-mail fails with USER_NOT_FOUND and stores nothing', async () => {
      const before = await h.db.kysely.selectFrom('api_tokens').selectAll().execute();
      await expect(createApiToken(h.ctx, 'nobody-at-all@example.com')).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });
      expect(await h.db.kysely.selectFrom('api_tokens').selectAll().execute()).toEqual(before);
    });
  });
});

describe('login rate limit [sqlite]', () => {
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  const email = 'limited@example.com';
  beforeAll(async () => {
    const created = await createTestDatabase('sqlite');
    drop = created.drop;
    const config = loadConfig({
      DATA_DIR: path.join(os.tmpdir(), `bp-rl-${Date.now()}`),
      PUBLIC_URL: SAME_ORIGIN,
      NODE_ENV: 'test',
      LOGIN_RATE_LIMIT: '3',
    });
    const ctx = { db: created.db, config, clock: new TestClock() };
    await createAdmin(ctx, { email, name: '管理者', password: PASSWORD });
    await createAdmin(ctx, { email: 'other@example.com', name: '管理者2', password: PASSWORD });
    app = await buildServer(ctx, { webDir: null });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('the 4th attempt within a minute → 429 RATE_LIMITED problem+json, even with the right password', async () => {
    const anon = client(app);
    for (let i = 0; i < 3; i++) {
      expectProblem(
        await anon.post('/api/v1/session', { email, password: `wrong-${i}` }),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    const limited = await anon.post('/api/v1/session', { email, password: PASSWORD });
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(limited.json.title).toBe('RATE_LIMITED');
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same e-mail in another case or with surrounding spaces is the same account (no way around the limit).
    expectProblem(
      await anon.post('/api/v1/session', { email: email.toUpperCase(), password: PASSWORD }),
      429,
      'RATE_LIMITED',
    );
    expectProblem(
      await anon.post('/api/v1/session', { email: `  ${email} `, password: PASSWORD }),
      429,
      'RATE_LIMITED',
    );
  });

  it('attempts against another account are counted separately', async () => {
    const res = await client(app).post('/api/v1/session', { email: 'other@example.com', password: PASSWORD });
    expect(res.status, res.body).toBe(200);
  });
});
