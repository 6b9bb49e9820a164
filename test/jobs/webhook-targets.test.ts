import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/app/mail/templates.js';
import {
  checkWebhookTarget,
  forbiddenRange,
  maskUrlCredentials,
  type Resolver,
} from '../../src/app/webhooks/target-policy.js';
import type { Mailer } from '../../src/jobs/mailer.js';
import { OutboxRunner } from '../../src/jobs/outbox-runner.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { insertWebhook } from '../../src/persistence/repositories/webhooks.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, title: code });
  expect(res.json.messageJa.length).toBeGreaterThan(0);
  expect(res.json.messageEn.length).toBeGreaterThan(0);
}

class NullMailer implements Mailer {
  async send(_m: MailMessage): Promise<void> {}
  close(): void {}
}

/** Records every request (with its Host header) and answers 200. */
async function startReceiver() {
  const hits: Array<{ path: string; host: string | undefined; auth: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push({ path: req.url ?? '/', host: req.headers.host, auth: req.headers.authorization });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    hits,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const FORBIDDEN_URLS = [
  'http://127.0.0.1/x',
  'http://127.1.2.3:8080/x',
  'http://localhost/x', // resolves (hosts file) to loopback
  'http://10.1.2.3/x',
  'http://172.16.0.1/x',
  'http://192.168.1.1/x',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/x',
  'http://100.100.100.200/x', // Alibaba Cloud metadata (CGNAT range)
  'http://0.0.0.0/x',
  'http://224.0.0.1/x',
  'http://255.255.255.255/x',
  'http://[::1]/x',
  'http://[::]/x',
  'http://[fe80::1]/x',
  'http://[fd00:ec2::254]/x', // AWS metadata over IPv6
  'http://[::ffff:127.0.0.1]/x',
  'http://[::ffff:169.254.169.254]/x',
  'http://[64:ff9b::a9fe:a9fe]/x', // NAT64 of 169.254.169.254
  'http://2130706433/x', // 127.0.0.1 as one number (the URL parser normalises it)
  'http://0x7f.1/x',
];

describe('webhook target policy (unit)', () => {
  const strict = { allowPrivate: false, allowedHosts: [] };
  it('classifies special-purpose addresses, including IPv4 inside IPv6', () => {
    for (const a of ['127.0.0.1', '::ffff:7f00:1', '::127.0.0.1', '2002:7f00:1::', '64:ff9b::10.0.0.1']) {
      expect(forbiddenRange(a), a).not.toBeNull();
    }
    expect(forbiddenRange('169.254.169.254')).toBe('link-local');
    expect(forbiddenRange('100.64.1.1')).toBe('cgnat');
    expect(forbiddenRange('fd12::1')).toBe('private');
    for (const a of [
      '93.184.216.34',
      '8.8.8.8',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '2002:808:808::',
    ]) {
      expect(forbiddenRange(a), a).toBeNull();
    }
  });

  it('checks every address a name resolves to; allow-lists by host name or range', async () => {
    const mixed: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const url = new URL('https://hooks.example.com/x');
    expect(await checkWebhookTarget(url, strict, mixed)).toMatchObject({ ok: false, address: '10.0.0.7' });
    expect(
      await checkWebhookTarget(url, { allowPrivate: false, allowedHosts: ['10.0.0.0/8'] }, mixed),
    ).toMatchObject({ ok: true });
    expect(
      await checkWebhookTarget(url, { allowPrivate: false, allowedHosts: ['hooks.example.com'] }, mixed),
    ).toMatchObject({ ok: true });
    expect(await checkWebhookTarget(url, { allowPrivate: true, allowedHosts: [] }, mixed)).toMatchObject({
      ok: true,
    });
    const none: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await checkWebhookTarget(url, strict, none)).toMatchObject({ ok: false, reason: 'unresolvable' });
  });

  it('masks credentials embedded in a URL', () => {
    expect(maskUrlCredentials('https://user:s3cret@hooks.example.com/x?a=1')).toBe(
      'https://***:***@hooks.example.com/x?a=1',
    );
    expect(maskUrlCredentials('https://token@hooks.example.com/')).toBe('https://***@hooks.example.com/');
    expect(maskUrlCredentials('https://hooks.example.com/x')).toBe('https://hooks.example.com/x');
  });
});

forEachDialect('webhook targets, default policy', (h) => {
  let w: World;
  let agreementId: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const url = () => `/api/v1/organizations/${w.orgA.id}/webhooks`;

  beforeAll(async () => {
    receiver = await startReceiver();
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('the administrator cannot list, register or remove an organisation’s webhooks (403); nothing changes', async () => {
    const own = await w.a.owner.post(url(), { url: 'https://93.184.216.34/hook', events: ['notice.sent'] });
    expect(own.status, own.body).toBe(201);
    const before = await snapshot(h.ctx);
    expectProblem(await w.admin.get(url()), 403, 'FORBIDDEN');
    expectProblem(
      await w.admin.post(url(), { url: 'https://93.184.216.34/admin', events: ['incident.reported'] }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await w.admin.delete(`${url()}/${own.json.id as string}`), 403, 'FORBIDDEN');
    expect(await snapshot(h.ctx)).toBe(before);
    // The owner still manages them.
    expect((await w.a.owner.get(url())).json.items).toHaveLength(1);
    expect((await w.a.owner.delete(`${url()}/${own.json.id as string}`)).status).toBe(204);
  });

  it('URLs of loopback, private, link-local, CGNAT, metadata, unspecified or multicast addresses → 400 WEBHOOK_URL_FORBIDDEN; nothing changes', async () => {
    const before = await snapshot(h.ctx);
    for (const target of FORBIDDEN_URLS) {
      const res = await w.a.owner.post(url(), { url: target, events: ['notice.sent'] });
      expectProblem(res, 400, 'WEBHOOK_URL_FORBIDDEN');
      expect(res.json.errors, target).toEqual([expect.objectContaining({ path: 'url' })]);
    }
    expect(await snapshot(h.ctx)).toBe(before);
  });

  it('credentials in a URL are never shown back (reply, list, audit)', async () => {
    const res = await w.a.owner.post(url(), {
      url: 'https://hook-user:hook-pass@93.184.216.34/in',
      events: ['notice.sent'],
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json.url).toBe('https://***:***@93.184.216.34/in');
    const list = await w.a.owner.get(url());
    expect(list.body).not.toContain('hook-pass');
    expect(list.body).not.toContain('hook-user');
    const audit = await h.db.kysely
      .selectFrom('audit_events')
      .select('payload')
      .where('record_id', '=', res.json.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.payload).not.toContain('hook-pass');
    expect((await w.a.owner.delete(`${url()}/${res.json.id as string}`)).status).toBe(204);
  });

  it('at delivery the name is resolved again and checked (DNS rebinding); an allowed host is reached at the checked address', async () => {
    // Registered while the name resolved to a public address (inserted directly: the test has no DNS).
    const hookId = 'whk_rebind0000000000000000000';
    await insertWebhook(h.db, {
      id: hookId,
      organizationId: w.orgB.id, // the reporting party's own hook
      url: `http://user:pw@rebind.test:${receiver.port}/rebind`,
      events: ['incident.reported'],
      secret: 'whsec_rebind',
      active: true,
      createdBy: null,
      createdAt: '2026-11-28T00:00:00.000Z',
    });
    const incident = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: 'rebinding',
      suspected: true,
      discoveredAt: '2026-11-28T00:00:00Z',
    });
    expect(incident.status, incident.body).toBe(201);
    const now = () => new Date(h.clock.now().epochMilliseconds);
    const silent = { info: () => undefined, warn: () => undefined };
    // Now the name answers with a loopback address (next to a public one).
    const rebound: Resolver = async (host) => {
      expect(host).toBe('rebind.test');
      return [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
    };
    const strictRunner = new OutboxRunner({
      db: h.db,
      mailer: new NullMailer(),
      logger: silent,
      now,
      resolve: rebound,
    });
    await strictRunner.runOnce();
    const row = async () =>
      (await listOutbox(h.db, 'webhook')).find((r) => r.dedupe_key.startsWith(`webhook:${hookId}:`));
    expect(receiver.hits).toEqual([]);
    const failed = await row();
    expect(failed).toMatchObject({ state: 'pending' });
    expect(failed?.last_error).toContain('127.0.0.1');
    expect(failed?.last_error).not.toContain('pw@');

    // Allowed by name: delivered to the checked address (rebind.test exists in no real DNS), with
    // the URL's Host header and credentials.
    h.clock.advance({ minutes: 5 });
    const pinned: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const allowed = new OutboxRunner({
      db: h.db,
      mailer: new NullMailer(),
      logger: silent,
      now,
      resolve: pinned,
      webhookTargets: { allowPrivate: false, allowedHosts: ['rebind.test'] },
    });
    await allowed.runOnce();
    expect(await row()).toMatchObject({ state: 'done' });
    expect(receiver.hits).toEqual([
      {
        path: '/rebind',
        host: `rebind.test:${receiver.port}`,
        auth: `Basic ${Buffer.from('user:pw').toString('base64')}`,
      },
    ]);
  });
});

forEachDialect(
  'webhook targets, allowed by configuration',
  { env: { WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/8,[fd00::1]' } },
  (h) => {
    let w: World;
    beforeAll(async () => {
      w = await seedWorld(h.ctx, h.app);
    });
    it('WEBHOOK_ALLOWED_HOSTS opens the listed ranges only', async () => {
      const url = `/api/v1/organizations/${w.orgA.id}/webhooks`;
      for (const target of ['http://10.1.2.3/x', 'http://[fd00::1]/x']) {
        const res = await w.a.owner.post(url, { url: target, events: ['notice.sent'] });
        expect(res.status, `${target} ${res.body}`).toBe(201);
      }
      for (const target of ['http://127.0.0.1/x', 'http://192.168.1.1/x', 'http://[fd00::2]/x']) {
        expectProblem(
          await w.a.owner.post(url, { url: target, events: ['notice.sent'] }),
          400,
          'WEBHOOK_URL_FORBIDDEN',
        );
      }
    });
  },
);

forEachDialect('webhook targets, WEBHOOK_ALLOW_PRIVATE', { env: { WEBHOOK_ALLOW_PRIVATE: 'true' } }, (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });
  it('any address may be registered', async () => {
    const res = await w.a.owner.post(`/api/v1/organizations/${w.orgA.id}/webhooks`, {
      url: 'http://127.0.0.1:9/x',
      events: ['notice.sent'],
    });
    expect(res.status, res.body).toBe(201);
  });
});
