import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { forEachDialect, type DialectHarness } from '../support/dialects.js';
import { client, seedWorld, snapshot, type Client, type Response, type World } from '../support/fixtures.js';

const ROLES = ['owner', 'legal', 'responder', 'viewer'] as const;

let seq = 0;
const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}-${(seq++).toString(36)}@example.com`;

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, title: code });
  expect(typeof res.json.messageJa).toBe('string');
  expect(typeof res.json.messageEn).toBe('string');
  expect(res.json.messageJa.length).toBeGreaterThan(0);
  expect(res.json.messageEn.length).toBeGreaterThan(0);
  expect(typeof res.json.detail).toBe('string');
}

async function instanceEvents(h: DialectHarness) {
  return h.db.kysely
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', 'instance')
    .orderBy('seq')
    .execute();
}

async function userIdOf(h: DialectHarness, email: string): Promise<string> {
  const r = await h.db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return r.id;
}

const ORG = {
  name: '株式会社テスト',
  address: '東京都港区芝公園4-2-8',
  representative: '代表取締役 田中次郎',
};

forEachDialect('organizations API', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  describe('POST /api/v1/organizations', () => {
    it('the administrator creates an organisation (201); the court is derived from a Tokyo address; one instance audit event', async () => {
      const before = await instanceEvents(h);
      const res = await w.admin.post('/api/v1/organizations', ORG);
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({
        ...ORG,
        court: '東京地方裁判所',
        courtDerived: true,
        version: 1,
        createdAt: '2026-11-28T01:00:00.000Z',
      });
      expect(res.json.id).toMatch(/^org_[0-9a-z]{26}$/);

      const row = await h.db.kysely
        .selectFrom('organizations')
        .selectAll()
        .where('id', '=', res.json.id)
        .executeTakeFirst();
      expect(row).toMatchObject({ name: ORG.name, address: ORG.address, court: '東京地方裁判所' });

      const after = await instanceEvents(h);
      expect(after).toHaveLength(before.length + 1);
      const ev = after.at(-1)!;
      const adminId = await userIdOf(h, w.emails.admin!);
      expect(ev).toMatchObject({
        chain: 'instance',
        action: 'organization.created',
        record_type: 'organization',
        record_id: res.json.id,
        actor_user_id: adminId,
      });
      expect(JSON.parse(ev.payload).after).toMatchObject({
        id: res.json.id,
        name: ORG.name,
        court: '東京地方裁判所',
      });
      expect((await verifyAudit(h.db, { chain: 'instance' })).ok).toBe(true);

      const got = await w.admin.get(`/api/v1/organizations/${res.json.id}`);
      expect(got.status).toBe(200);
      expect(got.json).toEqual(res.json);
    });

    it.each([
      ['大阪府大阪市中央区大手前1-1', '大阪地方裁判所'],
      ['北海道函館市新川町14-1', '函館地方裁判所'],
      ['北海道札幌市中央区北1条西1', '札幌地方裁判所'],
      ['〒231-0001 神奈川県横浜市中区新港1-1', '横浜地方裁判所'],
      ['愛知県名古屋市中区三の丸1-1', '名古屋地方裁判所'],
    ])('derives the court from %s → %s', async (address, court) => {
      const res = await w.admin.post('/api/v1/organizations', { ...ORG, address });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ address, court, courtDerived: true });
    });

    it('leaves the court empty when the address names no prefecture', async () => {
      const res = await w.admin.post('/api/v1/organizations', { ...ORG, address: 'Marunouchi 1-1, Chiyoda' });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({ court: null, courtDerived: true });
    });

    it('an explicit court wins over the derived one; null or blank means derive', async () => {
      const set = await w.admin.post('/api/v1/organizations', { ...ORG, court: '  東京簡易裁判所 ' });
      expect(set.status, set.body).toBe(201);
      expect(set.json).toMatchObject({ court: '東京簡易裁判所', courtDerived: false });
      const osaka = await w.admin.post('/api/v1/organizations', {
        ...ORG,
        address: '大阪府堺市1-1',
        court: '東京地方裁判所',
      });
      expect(osaka.json).toMatchObject({ court: '東京地方裁判所', courtDerived: false });
      const nul = await w.admin.post('/api/v1/organizations', { ...ORG, court: null });
      expect(nul.json).toMatchObject({ court: '東京地方裁判所', courtDerived: true });
      const blank = await w.admin.post('/api/v1/organizations', { ...ORG, court: '   ' });
      expect(blank.json).toMatchObject({ court: '東京地方裁判所', courtDerived: true });
    });

    it('trims the text fields', async () => {
      const res = await w.admin.post('/api/v1/organizations', {
        name: '  丁株式会社 ',
        address: ' 東京都中央区1-1 ',
        representative: ' 代表 ',
      });
      expect(res.status, res.body).toBe(201);
      expect(res.json).toMatchObject({
        name: '丁株式会社',
        address: '東京都中央区1-1',
        representative: '代表',
        court: '東京地方裁判所',
      });
    });

    for (const party of ['a', 'b', 'c'] as const) {
      for (const role of ROLES) {
        it(`${party}.${role} (not an administrator) → 403 and nothing changes`, async () => {
          const before = await snapshot(h.ctx);
          const res = await w[party][role].post('/api/v1/organizations', ORG);
          expectProblem(res, 403, 'FORBIDDEN');
          expect(await snapshot(h.ctx)).toBe(before);
        });
      }
    }

    it('without a session → 401 and nothing changes', async () => {
      const before = await snapshot(h.ctx);
      expectProblem(await w.anon.post('/api/v1/organizations', ORG), 401, 'UNAUTHENTICATED');
      // An unknown session cookie is no session either.
      expectProblem(
        await client(h.app, { session: 'not-a-session' }).post('/api/v1/organizations', ORG),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshot(h.ctx)).toBe(before);
    });

    const badBodies: Array<[string, unknown, string[]]> = [
      ['an empty object', {}, ['name', 'address', 'representative']],
      ['a missing name', { address: ORG.address, representative: ORG.representative }, ['name']],
      ['a missing address', { name: ORG.name, representative: ORG.representative }, ['address']],
      ['a missing representative', { name: ORG.name, address: ORG.address }, ['representative']],
      ['an unknown field', { ...ORG, isAdmin: true }, ['isAdmin']],
      ['a numeric name', { ...ORG, name: 42 }, ['name']],
      ['an array address', { ...ORG, address: ['東京都'] }, ['address']],
      ['a numeric court', { ...ORG, court: 1 }, ['court']],
      ['a blank name', { ...ORG, name: '   ' }, ['name']],
      ['an over-long name', { ...ORG, name: 'あ'.repeat(201) }, ['name']],
      ['a JSON array body', [ORG], []],
      ['a JSON string body', '"東京都"', []],
      ['a null body', 'null', []],
    ];
    for (const [label, body, paths] of badBodies) {
      it(`${label} → 400 problem+json naming the fields, nothing changes`, async () => {
        const before = await snapshot(h.ctx);
        const res = await w.admin.post('/api/v1/organizations', body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        const errPaths = (res.json.errors ?? []).map((e: { path: string }) => e.path);
        for (const p of paths) expect(errPaths).toContain(p);
        for (const e of res.json.errors ?? []) {
          expect(e.messageJa).toBeTruthy();
          expect(e.messageEn).toBeTruthy();
        }
        expect(await snapshot(h.ctx)).toBe(before);
      });
    }

    it('malformed JSON → 400 MALFORMED_JSON, nothing changes', async () => {
      const before = await snapshot(h.ctx);
      for (const payload of ['{"name": "甲", ', '{name: 1}']) {
        const res = await w.admin.post('/api/v1/organizations', payload);
        expectProblem(res, 400, 'MALFORMED_JSON');
      }
      // An empty body is no body: the request body itself is named as required.
      const empty = await w.admin.post('/api/v1/organizations', '');
      expectProblem(empty, 400, 'VALIDATION_FAILED');
      expect(empty.json.errors).toEqual([expect.objectContaining({ path: '(body)', code: 'REQUIRED' })]);
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('a body that is not JSON is refused (415), nothing changes', async () => {
      const before = await snapshot(h.ctx);
      const res = await w.admin.post('/api/v1/organizations', 'name=x', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await snapshot(h.ctx)).toBe(before);
    });
  });

  describe('GET /api/v1/organizations', () => {
    it('the administrator sees every organisation', async () => {
      const res = await w.admin.get('/api/v1/organizations');
      expect(res.status).toBe(200);
      const ids = res.json.items.map((o: { id: string }) => o.id);
      for (const o of [w.orgA, w.orgB, w.orgC]) expect(ids).toContain(o.id);
      const all = await h.db.kysely.selectFrom('organizations').select('id').execute();
      expect(ids.sort()).toEqual(all.map((o) => o.id).sort());
    });

    it('without a session → 401', async () => {
      expectProblem(await w.anon.get('/api/v1/organizations'), 401, 'UNAUTHENTICATED');
    });

    it('a user sees its own organisation and its counterparties only, as agreements are made', async () => {
      // A world of its own, so agreements made here do not leak into other tests.
      const v = await seedWorld(h.ctx, h.app);
      const visible = async (c: Client) => {
        const res = await c.get('/api/v1/organizations');
        expect(res.status, res.body).toBe(200);
        return (res.json.items as Array<{ id: string }>).map((o) => o.id).sort();
      };
      const sorted = (...ids: string[]) => [...ids].sort();

      for (const role of ROLES) {
        expect(await visible(v.a[role])).toEqual([v.orgA.id]);
        expect(await visible(v.c[role])).toEqual([v.orgC.id]);
      }
      expectProblem(await v.c.owner.get(`/api/v1/organizations/${v.orgA.id}`), 404, 'ORGANIZATION_NOT_FOUND');

      const ab = await v.admin.post('/api/v1/agreements', {
        partyA: v.orgA.id,
        partyB: v.orgB.id,
        signedOn: '2026-04-01',
      });
      expect(ab.status, ab.body).toBe(201);
      expect(await visible(v.a.viewer)).toEqual(sorted(v.orgA.id, v.orgB.id));
      expect(await visible(v.b.responder)).toEqual(sorted(v.orgA.id, v.orgB.id));
      // C still sees only itself: it shares no agreement with A yet.
      expect(await visible(v.c.owner)).toEqual([v.orgC.id]);
      expectProblem(await v.c.owner.get(`/api/v1/organizations/${v.orgA.id}`), 404, 'ORGANIZATION_NOT_FOUND');

      const ca = await v.admin.post('/api/v1/agreements', {
        partyA: v.orgC.id,
        partyB: v.orgA.id,
        signedOn: '2026-05-01',
      });
      expect(ca.status, ca.body).toBe(201);
      expect(await visible(v.c.legal)).toEqual(sorted(v.orgA.id, v.orgC.id));
      expect(await visible(v.a.owner)).toEqual(sorted(v.orgA.id, v.orgB.id, v.orgC.id));
      // B and C are not counterparties of each other.
      expect(await visible(v.b.owner)).toEqual(sorted(v.orgA.id, v.orgB.id));
      expectProblem(await v.b.owner.get(`/api/v1/organizations/${v.orgC.id}`), 404, 'ORGANIZATION_NOT_FOUND');
      const one = await v.c.viewer.get(`/api/v1/organizations/${v.orgA.id}`);
      expect(one.status).toBe(200);
      expect(one.json).toMatchObject({ id: v.orgA.id, name: '甲商事株式会社' });
    });
  });

  describe('GET /api/v1/organizations/directory', () => {
    it('the administrator and owners get id and name of every organisation', async () => {
      const all = (await h.db.kysely.selectFrom('organizations').select(['id', 'name']).execute()).sort(
        (x, y) => (x.id < y.id ? -1 : 1),
      );
      for (const c of [w.admin, w.a.owner, w.c.owner]) {
        const res = await c.get('/api/v1/organizations/directory');
        expect(res.status, res.body).toBe(200);
        const items = [...res.json.items].sort((x: { id: string }, y: { id: string }) =>
          x.id < y.id ? -1 : 1,
        );
        expect(items).toEqual(all);
      }
    });

    for (const role of ['legal', 'responder', 'viewer'] as const) {
      it(`${role} → 403`, async () => {
        expectProblem(await w.a[role].get('/api/v1/organizations/directory'), 403, 'FORBIDDEN');
      });
    }

    it('without a session → 401', async () => {
      expectProblem(await w.anon.get('/api/v1/organizations/directory'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /api/v1/organizations/{id}/users', () => {
    const usersUrl = () => `/api/v1/organizations/${w.orgA.id}/users`;
    // An organisation without an active owner: the administrator may still add users there (issue 7,
    // finding 2b; inside 甲, which has an owner, it gets 403 — test/api/access-lifecycle.test.ts).
    let ownerless: { id: string; name: string };
    const ownerlessUrl = () => `/api/v1/organizations/${ownerless.id}/users`;
    beforeAll(async () => {
      const res = await w.admin.post('/api/v1/organizations', { ...ORG, name: '無主株式会社' });
      expect(res.status, res.body).toBe(201);
      ownerless = res.json;
    });

    it('the administrator adds a user with a password to an organisation without an owner: 201 {…user, invitationSent:false}, no secret in the body, the user can log in', async () => {
      const email = uniqueEmail('admin-made');
      const before = await instanceEvents(h);
      const beforeOutbox = await h.db.kysely.selectFrom('outbox').selectAll().execute();
      const res = await w.admin.post(ownerlessUrl(), {
        email: email.toUpperCase(),
        name: ' 新規 利用者 ',
        role: 'legal',
        password: 'a-long-password',
      });
      expect(res.status, res.body).toBe(201);
      const user = {
        id: expect.stringMatching(/^usr_/),
        email,
        name: '新規 利用者',
        role: 'legal',
        organizationId: ownerless.id,
        organizationName: '無主株式会社',
        locale: 'ja',
        isAdmin: false,
        invitationPending: false,
        disabled: false,
        dailyDigest: true,
      };
      // The record at the top level like every other create (and under `user` for older clients).
      expect(res.json).toEqual({ ...user, user, invitationSent: false });
      expect(res.json.id).toBe(res.json.user.id);
      expect(res.body.toLowerCase()).not.toContain('password');
      expect(res.body).not.toContain('$argon2');
      expect(res.body).not.toContain('a-long-password');

      // No mail when a password was given.
      expect(await h.db.kysely.selectFrom('outbox').selectAll().execute()).toEqual(beforeOutbox);
      // The password is stored as an argon2id hash.
      const row = await h.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);

      const after = await instanceEvents(h);
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({
        action: 'user.created',
        record_type: 'user',
        record_id: res.json.user.id,
      });
      expect(after.at(-1)!.payload).not.toContain('argon2');
      expect(after.at(-1)!.payload).not.toContain('a-long-password');

      const login = await w.anon.post('/api/v1/session', { email, password: 'a-long-password' });
      expect(login.status, login.body).toBe(200);
      expect(login.json.user).toMatchObject({ email, role: 'legal', organizationId: ownerless.id });
    });

    it('the owner of the organisation adds a user (201)', async () => {
      const email = uniqueEmail('owner-made');
      const res = await w.a.owner.post(usersUrl(), {
        email,
        name: '担当者',
        role: 'responder',
        password: 'another-password',
      });
      expect(res.status, res.body).toBe(201);
      expect(res.json.user).toMatchObject({ email, role: 'responder', organizationId: w.orgA.id });
      const ev = (await instanceEvents(h)).at(-1)!;
      expect(ev).toMatchObject({
        action: 'user.created',
        record_id: res.json.user.id,
        actor_user_id: await userIdOf(h, w.emails['a.owner']!),
      });
      expect(ev.actor_org_id).toBe(w.orgA.id);
    });

    for (const role of ['legal', 'responder', 'viewer'] as const) {
      it(`${role} of the organisation → 403 and nothing changes`, async () => {
        const before = await snapshot(h.ctx);
        const res = await w.a[role].post(usersUrl(), {
          email: uniqueEmail(role),
          name: 'x',
          role: 'viewer',
          password: 'password123',
        });
        expectProblem(res, 403, 'FORBIDDEN');
        expect(await snapshot(h.ctx)).toBe(before);
      });
    }

    for (const party of ['b', 'c'] as const) {
      for (const role of ROLES) {
        it(`${party}.${role} (another organisation) → 404 and nothing changes`, async () => {
          const before = await snapshot(h.ctx);
          const res = await w[party][role].post(usersUrl(), {
            email: uniqueEmail('x'),
            name: 'x',
            role: 'owner',
            password: 'password123',
          });
          expectProblem(res, 404, 'ORGANIZATION_NOT_FOUND');
          expect(await snapshot(h.ctx)).toBe(before);
        });
      }
    }

    it('without a session → 401 and nothing changes', async () => {
      const before = await snapshot(h.ctx);
      expectProblem(
        await w.anon.post(usersUrl(), { email: uniqueEmail('x'), name: 'x', role: 'owner' }),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('an organisation that does not exist → 404 for the administrator', async () => {
      const before = await snapshot(h.ctx);
      const res = await w.admin.post('/api/v1/organizations/org_00000000000000000000000000/users', {
        email: uniqueEmail('x'),
        name: 'x',
        role: 'owner',
      });
      expectProblem(res, 404, 'ORGANIZATION_NOT_FOUND');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('an e-mail already registered (any case, any organisation) → 409 EMAIL_TAKEN, nothing changes', async () => {
      const before = await snapshot(h.ctx);
      for (const email of [
        w.emails['a.viewer']!,
        w.emails['b.owner']!.toUpperCase(),
        ` ${w.emails.admin!} `,
      ]) {
        const res = await w.admin.post(ownerlessUrl(), { email: email.trim(), name: 'dup', role: 'viewer' });
        expectProblem(res, 409, 'EMAIL_TAKEN');
      }
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('an invalid role → 400 listing the allowed values, nothing changes', async () => {
      const before = await snapshot(h.ctx);
      for (const role of ['admin', 'superuser', 'OWNER']) {
        const res = await w.admin.post(usersUrl(), {
          email: uniqueEmail('r'),
          name: 'x',
          role,
          password: 'password123',
        });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        const err = res.json.errors.find((e: { path: string }) => e.path === 'role');
        expect(err, res.body).toBeDefined();
        for (const allowed of ROLES) {
          expect(err.messageEn).toContain(allowed);
          expect(err.messageJa).toContain(allowed);
        }
      }
      expect(await snapshot(h.ctx)).toBe(before);
    });

    const badUsers: Array<[string, unknown, string]> = [
      ['a missing e-mail', { name: 'x', role: 'viewer' }, 'email'],
      ['an invalid e-mail', { email: 'not-an-email', name: 'x', role: 'viewer' }, 'email'],
      ['a missing name', { email: 'ok@example.com', role: 'viewer' }, 'name'],
      ['a missing role', { email: 'ok@example.com', name: 'x' }, 'role'],
      [
        'a short password',
        { email: 'ok@example.com', name: 'x', role: 'viewer', password: 'short' },
        'password',
      ],
      [
        'a numeric password',
        { email: 'ok@example.com', name: 'x', role: 'viewer', password: 12345678 },
        'password',
      ],
      ['an unknown field', { email: 'ok@example.com', name: 'x', role: 'viewer', isAdmin: true }, 'isAdmin'],
      ['an unknown locale', { email: 'ok@example.com', name: 'x', role: 'viewer', locale: 'fr' }, 'locale'],
    ];
    for (const [label, body, path] of badUsers) {
      it(`${label} → 400 naming ${path}, nothing changes`, async () => {
        const before = await snapshot(h.ctx);
        const res = await w.admin.post(usersUrl(), body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
        expect(await snapshot(h.ctx)).toBe(before);
      });
    }

    it('field messages say what to do in plain words (ja/en), per kind of value', async () => {
      const res = await w.admin.post(usersUrl(), {
        email: 'ok@example.com',
        name: '',
        role: 'viewer',
        password: 'short',
      });
      const byPath = Object.fromEntries(
        (res.json.errors as Array<{ path: string; messageJa: string; messageEn: string }>).map((e) => [
          e.path,
          e,
        ]),
      );
      expect(byPath.password).toMatchObject({
        messageJa: '8文字以上にしてください。',
        messageEn: 'At least 8 characters.',
      });
      expect(byPath.name).toMatchObject({ messageJa: '入力してください。', messageEn: 'Must not be empty.' });
    });

    it('malformed JSON → 400, nothing changes', async () => {
      const before = await snapshot(h.ctx);
      expectProblem(await w.admin.post(usersUrl(), '{"email":'), 400, 'MALFORMED_JSON');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('without a password: an invitation mail is queued in the same transaction; accepting it once lets the user log in', async () => {
      const email = uniqueEmail('invited');
      const beforeEvents = await instanceEvents(h);
      const res = await w.a.owner.post(usersUrl(), { email, name: '招待 太郎', role: 'viewer' });
      expect(res.status, res.body).toBe(201);
      expect(res.json.invitationSent).toBe(true);
      expect(res.json.invitationPending).toBe(true);
      expect(res.body.toLowerCase()).not.toContain('password');
      const userId = res.json.user.id as string;

      const rows = await h.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('dedupe_key', '=', `invitation:${userId}`)
        .execute();
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ kind: 'mail', state: 'pending' });
      const mail = JSON.parse(row.payload) as { to: string; subject: string; text: string; locale: string };
      expect(mail.to).toBe(email);
      expect(mail.locale).toBe('ja');
      expect(mail.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(mail.subject).toContain('招待');
      expect(mail.subject).toContain('甲商事株式会社');
      expect(mail.text).toContain('招待 太郎');
      const link = /http:\/\/localhost:3000\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text);
      expect(link, mail.text).not.toBeNull();
      const token = link![1]!;
      // Only a hash of the invitation token is stored.
      const inv = await h.db.kysely
        .selectFrom('invitations')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(inv)).not.toContain(token);
      expect(inv.used_at).toBeNull();
      // Same transaction: the user row, the invitation, the mail and the audit event carry one instant.
      const user = await h.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(user.password_hash).toBeNull();
      expect(row.created_at).toBe(user.created_at);
      expect(inv.created_at).toBe(user.created_at);
      const events = await instanceEvents(h);
      expect(events.length).toBeGreaterThan(beforeEvents.length);
      const created = events.find((e) => e.record_id === userId && e.action === 'user.created');
      expect(created).toBeDefined();
      expect(JSON.parse(created!.payload)).toMatchObject({ invited: true });

      // Before accepting, the user cannot log in.
      expectProblem(
        await w.anon.post('/api/v1/session', { email, password: 'chosen-password' }),
        401,
        'INVALID_CREDENTIALS',
      );

      const accept = await w.anon.post('/api/v1/invitations/accept', { token, password: 'chosen-password' });
      expect(accept.status, accept.body).toBe(200);
      expect(accept.json.user).toMatchObject({ id: userId, email, role: 'viewer' });
      expect(accept.body).not.toContain('$argon2');

      const login = await w.anon.post('/api/v1/session', { email, password: 'chosen-password' });
      expect(login.status, login.body).toBe(200);

      const before = await snapshot(h.ctx);
      const again = await w.anon.post('/api/v1/invitations/accept', { token, password: 'other-password' });
      expectProblem(again, 400, 'INVITATION_INVALID');
      expect(await snapshot(h.ctx)).toBe(before);
      // The first password still works; the second did not take.
      expect((await w.anon.post('/api/v1/session', { email, password: 'chosen-password' })).status).toBe(200);
      expectProblem(
        await w.anon.post('/api/v1/session', { email, password: 'other-password' }),
        401,
        'INVALID_CREDENTIALS',
      );
    });

    it('accepting an invitation writes an instance audit event', async () => {
      const email = uniqueEmail('invited-audit');
      const res = await w.a.owner.post(usersUrl(), { email, name: '招待 花子', role: 'legal' });
      const userId = res.json.user.id as string;
      const row = await h.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('dedupe_key', '=', `invitation:${userId}`)
        .executeTakeFirstOrThrow();
      const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(JSON.parse(row.payload).text)![1]!;
      const before = await instanceEvents(h);
      expect(
        (await w.anon.post('/api/v1/invitations/accept', { token, password: 'chosen-password' })).status,
      ).toBe(200);
      const after = await instanceEvents(h);
      expect(after).toHaveLength(before.length + 1);
      expect(after.at(-1)).toMatchObject({
        action: 'invitation.accepted',
        record_type: 'user',
        record_id: userId,
        actor_user_id: userId,
      });
      expect(after.at(-1)!.payload).not.toContain('argon2');
    });

    it('an unknown, malformed or expired invitation token → 400, nothing changes', async () => {
      const email = uniqueEmail('expired');
      const res = await w.a.owner.post(usersUrl(), { email, name: '期限 切れ', role: 'viewer' });
      const userId = res.json.user.id as string;
      const row = await h.db.kysely
        .selectFrom('outbox')
        .selectAll()
        .where('dedupe_key', '=', `invitation:${userId}`)
        .executeTakeFirstOrThrow();
      const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(JSON.parse(row.payload).text)![1]!;

      const before = await snapshot(h.ctx);
      expectProblem(
        await w.anon.post('/api/v1/invitations/accept', {
          token: 'x'.repeat(43),
          password: 'chosen-password',
        }),
        400,
        'INVITATION_INVALID',
      );
      expectProblem(
        await w.anon.post('/api/v1/invitations/accept', { token, password: 'short' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(await w.anon.post('/api/v1/invitations/accept', { token }), 400, 'VALIDATION_FAILED');
      const saved = h.clock.now();
      h.clock.advance({ hours: 24 * 7 + 1 });
      try {
        expectProblem(
          await w.anon.post('/api/v1/invitations/accept', { token, password: 'chosen-password' }),
          400,
          'INVITATION_INVALID',
        );
      } finally {
        h.clock.set(saved.toString());
      }
      expect(await snapshot(h.ctx)).toBe(before);
      // Within its 7 days it still works.
      expect(
        (await w.anon.post('/api/v1/invitations/accept', { token, password: 'chosen-password' })).status,
      ).toBe(200);
    });

    it('the mail, the invitation and the user are one transaction: if the audit write fails, none of them is stored', async () => {
      const email = uniqueEmail('atomic');
      if (h.dialect === 'sqlite') {
        await sql`create trigger bp_test_fail_audit before insert on audit_events when new.action = 'user.created' begin select raise(abort, 'audit write failed'); end`.execute(
          h.db.kysely,
        );
      } else {
        await sql`create or replace function bp_test_fail_audit() returns trigger language plpgsql as $$ begin if new.action = 'user.created' then raise exception 'audit write failed'; end if; return new; end $$`.execute(
          h.db.kysely,
        );
        await sql`create trigger bp_test_fail_audit before insert on audit_events for each row execute function bp_test_fail_audit()`.execute(
          h.db.kysely,
        );
      }
      let res: Response;
      const before = await snapshot(h.ctx);
      try {
        res = await w.a.owner.post(usersUrl(), { email, name: '原子 性', role: 'viewer' });
      } finally {
        if (h.dialect === 'sqlite') {
          await sql`drop trigger bp_test_fail_audit`.execute(h.db.kysely);
        } else {
          await sql`drop trigger bp_test_fail_audit on audit_events`.execute(h.db.kysely);
          await sql`drop function bp_test_fail_audit()`.execute(h.db.kysely);
        }
      }
      expectProblem(res, 500, 'INTERNAL');
      expect(res.json.correlationId).toBeTruthy();
      expect(res.body).not.toContain('audit write failed');
      expect(await snapshot(h.ctx)).toBe(before);
      expect(
        await h.db.kysely.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(),
      ).toBeUndefined();
    });

    it('GET /api/v1/organizations/{id}/users: the organisation members see the list without secrets; others 404', async () => {
      const res = await w.a.viewer.get(usersUrl());
      expect(res.status, res.body).toBe(200);
      expect(res.json.items.map((u: { email: string }) => u.email)).toContain(w.emails['a.owner']);
      expect(res.body).not.toContain('$argon2');
      expect(res.body.toLowerCase()).not.toContain('password');
      expectProblem(await w.b.owner.get(usersUrl()), 404, 'ORGANIZATION_NOT_FOUND');
      expectProblem(await w.anon.get(usersUrl()), 401, 'UNAUTHENTICATED');
    });
  });

  it('after everything above, the instance chain still verifies', async () => {
    const v = await verifyAudit(h.db);
    expect(v.breaks).toEqual([]);
  });
});
