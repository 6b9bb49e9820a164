import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { beforeAll } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { client, seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, title: code });
  expect(res.json.messageJa.length).toBeGreaterThan(0);
  expect(res.json.messageEn.length).toBeGreaterThan(0);
}

describe('config: TRUST_PROXY', () => {
  it('defaults to false (the socket address); accepts true/false, a hop count or addresses/CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['proxy.example', '10.0.0.0/33', 'yes', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

const wrongLogin = (ip: string) => ({
  body: { email: 'nobody-rl@example.com', password: 'wrong-password' },
  headers: { 'x-forwarded-for': ip },
});

forEachDialect('login rate limit, default (no proxy trusted)', { env: { LOGIN_RATE_LIMIT: '20' } }, (h) => {
  it('25 wrong passwords from one client, each with another X-Forwarded-For, end in 429', async () => {
    const anon = client(h.app);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const { body, headers } = wrongLogin(`203.0.113.${i + 1}`);
      statuses.push((await anon.post('/api/v1/session', body, headers)).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const { body, headers } = wrongLogin('198.51.100.77');
    expectProblem(await anon.post('/api/v1/session', body, headers), 429, 'RATE_LIMITED');
  });
});

forEachDialect(
  'login rate limit, TRUST_PROXY set',
  { env: { LOGIN_RATE_LIMIT: '3', TRUST_PROXY: '127.0.0.1' } },
  (h) => {
    it('the forwarded address of a trusted proxy is the client: each address has its own count', async () => {
      const anon = client(h.app);
      // app.inject connects from 127.0.0.1, the configured proxy.
      for (let i = 0; i < 6; i++) {
        const { body, headers } = wrongLogin(`203.0.113.${i + 1}`);
        expectProblem(await anon.post('/api/v1/session', body, headers), 401, 'INVALID_CREDENTIALS');
      }
      for (let i = 0; i < 3; i++) {
        const { body, headers } = wrongLogin('198.51.100.9');
        expect((await anon.post('/api/v1/session', body, headers)).status).toBe(401);
      }
      const { body, headers } = wrongLogin('198.51.100.9');
      expectProblem(await anon.post('/api/v1/session', body, headers), 429, 'RATE_LIMITED');
    });
  },
);

const ORG = { name: '株式会社オリジン', address: '東京都港区1-1', representative: '代表' };

forEachDialect('finding 10: origins, directory, e-mail enumeration', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  it('the same-origin check compares scheme and port as well as host', async () => {
    const before = await snapshot(h.ctx);
    // PUBLIC_URL is http://localhost:3000: the same host by another scheme or port is another origin.
    for (const origin of ['https://localhost:3000', 'http://localhost:3001', 'https://localhost']) {
      expectProblem(await w.admin.post('/api/v1/organizations', ORG, { origin }), 403, 'CSRF_REJECTED');
    }
    // The request's own host, reached over http, is not the https origin of that host.
    expectProblem(
      await w.admin.post('/api/v1/organizations', ORG, {
        host: 'bp.example.com',
        origin: 'https://bp.example.com',
      }),
      403,
      'CSRF_REJECTED',
    );
    expectProblem(
      await w.admin.post('/api/v1/organizations', ORG, {
        host: 'bp.example.com',
        origin: 'http://bp.example.com:8080',
      }),
      403,
      'CSRF_REJECTED',
    );
    expect(await snapshot(h.ctx)).toBe(before);
    // Exactly the same origins pass.
    const ok = await w.admin.post('/api/v1/organizations', ORG, { origin: 'http://localhost:3000' });
    expect(ok.status, ok.body).toBe(201);
    const own = await w.admin.post('/api/v1/organizations', ORG, {
      host: 'bp.example.com',
      origin: 'http://bp.example.com',
    });
    expect(own.status, own.body).toBe(201);
  });

  it("proposing a draft does not open the other company's record; the directory holds names and ids only", async () => {
    const draft = await w.a.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgC.id });
    expect(draft.status, draft.body).toBe(201);
    for (const [c, other] of [
      [w.a.owner, w.orgC],
      [w.c.owner, w.orgA],
    ] as const) {
      expectProblem(await c.get(`/api/v1/organizations/${other.id}`), 404, 'ORGANIZATION_NOT_FOUND');
      const list = await c.get('/api/v1/organizations');
      expect(list.status).toBe(200);
      expect(list.body).not.toContain(other.address);
      expect(list.body).not.toContain(other.representative);
      const dir = await c.get('/api/v1/organizations/directory');
      expect(dir.status).toBe(200);
      expect(dir.body).not.toContain(other.address);
      for (const item of dir.json.items) expect(Object.keys(item).sort()).toEqual(['id', 'name']);
    }
  });

  it('an owner adding an address used in another company gets the same reply as for a new one; nothing is created', async () => {
    const url = `/api/v1/organizations/${w.orgA.id}/users`;
    const fresh = await w.a.owner.post(url, {
      email: `fresh-${Date.now()}@example.com`,
      name: '新人',
      role: 'viewer',
    });
    expect(fresh.status, fresh.body).toBe(201);
    const taken = w.emails['b.viewer']!;
    const usersBefore = JSON.stringify(
      await h.db.kysely.selectFrom('users').selectAll().orderBy('id').execute(),
    );
    const res = await w.a.owner.post(url, { email: taken.toUpperCase(), name: '新人', role: 'viewer' });
    expect(res.status, res.body).toBe(201);
    expect(res.body).not.toContain('EMAIL_TAKEN');
    expect(Object.keys(res.json).sort()).toEqual(Object.keys(fresh.json).sort());
    expect(res.json).toMatchObject({
      email: taken,
      organizationId: w.orgA.id,
      invitationSent: true,
      invitationPending: true,
    });
    expect(res.body).not.toContain(w.orgB.name);
    // No user was created or changed; the address stays B's.
    expect(JSON.stringify(await h.db.kysely.selectFrom('users').selectAll().orderBy('id').execute())).toBe(
      usersBefore,
    );
    // The holder of the address is told, and the mail names nothing of its own company.
    const mails = (await h.db.kysely.selectFrom('outbox').selectAll().where('kind', '=', 'mail').execute())
      .map((r) => JSON.parse(r.payload) as { to: string; subject: string; text: string })
      .filter((m) => m.to === taken);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(w.orgA.name);
    expect(mails[0]!.text).not.toContain(w.orgB.name);
    // The same with a password: still a 201 that looks like a new user.
    const withPassword = await w.a.owner.post(url, {
      email: w.emails['c.legal']!,
      name: 'x',
      role: 'legal',
      password: 'password-123',
    });
    expect(withPassword.status, withPassword.body).toBe(201);
    expect(withPassword.json.invitationSent).toBe(false);
    // An address already in the owner's own company, which the owner can list anyway: 409.
    expectProblem(
      await w.a.owner.post(url, { email: w.emails['a.viewer']!, name: 'x', role: 'viewer' }),
      409,
      'EMAIL_TAKEN',
    );
  });
});

forEachDialect('finding 2c: the administrator’s audit listing', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  it('shows the chain’s integrity and counts only; the parties keep the full listing', async () => {
    const agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id as string;
    const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '監査一覧の事故',
      suspected: true,
      discoveredAt: '2026-11-28T00:00:00Z',
    });
    expect(inc.status, inc.body).toBe(201);
    const url = `/api/v1/agreements/${agreementId}/audit-events`;

    const party = await w.b.viewer.get(url);
    expect(party.status).toBe(200);
    const actions = (party.json.items as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toContain('incident.reported');
    const count = await h.db.kysely
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('chain', '=', agreementId)
      .executeTakeFirstOrThrow();

    const admin = await w.admin.get(url);
    expect(admin.status, admin.body).toBe(200);
    expect(admin.json.items).toEqual([]);
    expect(admin.json.nextAfterSeq).toBeNull();
    expect(admin.json.summary).toEqual({
      chain: agreementId,
      verified: true,
      firstBrokenSeq: null,
      eventCount: Number(count.n),
      headSeq: Number(count.n),
    });
    expect(admin.json.verification).toMatchObject({ ok: true });
    // No action, record id or time of the incident anywhere in the reply; paging does not help.
    for (const res of [admin, await w.admin.get(`${url}?afterSeq=0&limit=1`)]) {
      expect(res.body).not.toContain(inc.json.id);
      expect(res.body).not.toContain('incident.reported');
      expect(res.body).not.toContain('2026-11-28T01:00:00');
    }
  });
});

forEachDialect('finding 8: dates 1900–2100 and clean text at the edge', (h) => {
  let w: World;
  let agreementId: string;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id as string;
  });

  const fieldCodes = (res: Response) => (res.json.errors as Array<{ code: string }>).map((e) => e.code);

  it('dates and instants before 1900 or after 2100 → 400 DATE_OUT_OF_RANGE (ja + en); nothing changes', async () => {
    const before = await snapshot(h.ctx);
    for (const signedOn of ['0999-04-01', '1899-12-31', '2101-01-01']) {
      const res = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn,
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json.errors).toEqual([
        expect.objectContaining({
          path: 'signedOn',
          code: 'DATE_OUT_OF_RANGE',
          messageJa: expect.stringContaining('1900年から2100年'),
          messageEn: expect.stringContaining('1900 and 2100'),
        }),
      ]);
    }
    const doc = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/document?on=0999-01-01`);
    expect(doc.status, doc.body).toBe(400);
    const list = await w.a.viewer.get(`/api/v1/agreements?on=2101-01-01`);
    expect(list.status, list.body).toBe(400);
    for (const discoveredAt of [
      '0000-01-01T00:00:00Z',
      '1899-12-31T14:59:59Z',
      '2101-01-01T00:00:00+09:00',
    ]) {
      const res = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: 'year zero',
        suspected: true,
        discoveredAt,
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldCodes(res), discoveredAt).toEqual(['DATE_OUT_OF_RANGE']);
    }
    expect(await snapshot(h.ctx)).toBe(before);
    // The bounds themselves are fine (1900-01-01 in Tokyo is still 1899 in UTC: refused as an instant).
    const ok = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn: '1900-01-01',
    });
    expect(ok.status, ok.body).toBe(201);
  });

  it('text with lone surrogates or control characters other than tab and newline → 400 INVALID_CHARACTERS; nothing changes', async () => {
    const before = await snapshot(h.ctx);
    const incidents = `/api/v1/agreements/${agreementId}/incidents`;
    const report = (fields: Record<string, unknown>) =>
      w.b.responder.post(incidents, {
        reportingParty: 'B',
        title: '事故',
        suspected: true,
        discoveredAt: '2026-11-28T00:00:00Z',
        ...fields,
      });
    for (const [fields, path] of [
      [{ title: 'nul\u0000byte' }, 'title'],
      [{ title: 'bell\u0007' }, 'title'],
      [{ title: 'lone \uD800 high' }, 'title'],
      [{ title: 'lone \uDC00 low' }, 'title'],
      [{ summary: 'escape \u001B[31m red' }, 'summary'],
      [{ summary: 'bare\rreturn' }, 'summary'],
      [{ summary: 'c1 \u0085 control' }, 'summary'],
      [{ dataItems: ['ok', 'bad\u0008'] }, 'dataItems.1'],
    ] as const) {
      const res = await report(fields);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json.errors, JSON.stringify(fields)).toEqual([
        expect.objectContaining({ path, code: 'INVALID_CHARACTERS' }),
      ]);
      expect(res.json.errors[0].messageJa.length).toBeGreaterThan(0);
    }
    const org = await w.admin.post('/api/v1/organizations', {
      name: '株式会社\u0000',
      address: '東京都港区1-1',
      representative: '代表',
    });
    expect(fieldCodes(org)).toEqual(['INVALID_CHARACTERS']);
    expect(await snapshot(h.ctx)).toBe(before);

    // Tabs, newlines (also CRLF), emoji (surrogate pairs) and bidi characters are text: accepted.
    const fine = await report({
      title: 'evil\u202Egnp.exe 😀',
      summary: 'line 1\nline 2\r\n\tindented',
    });
    expect(fine.status, fine.body).toBe(201);
    expect(fine.json.title).toBe('evil\u202Egnp.exe 😀');
  });
});
