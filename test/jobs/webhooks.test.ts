import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../src/app/mail/templates.js';
import type { Mailer } from '../../src/jobs/mailer.js';
import { OutboxRunner } from '../../src/jobs/outbox-runner.js';
import { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from '../../src/jobs/webhook-signature.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, snapshot, type World } from '../support/fixtures.js';

const ITEMS = {
  occurredOn: '2026-11-27',
  summary: '不正アクセスのおそれ',
  informationScope: null,
  expectedImpact: null,
  measures: null,
  otherMatters: null,
};

interface Hit {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; agreementId: string; data: Record<string, unknown> };
  status: number;
}

/** A local webhook receiver: records every request with its raw body; answers per path. */
async function startReceiver() {
  const hits: Hit[] = [];
  const failuresLeft = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const left = failuresLeft.get(path) ?? 0;
      const status = left > 0 ? 500 : 200;
      if (left > 0) failuresLeft.set(path, left - 1);
      hits.push({ path, headers: req.headers, raw, body: JSON.parse(raw) as Hit['body'], status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    failuresLeft,
    url: (p: string) => `http://127.0.0.1:${port}${p}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

class NullMailer implements Mailer {
  sent: MailMessage[] = [];
  async send(m: MailMessage): Promise<void> {
    this.sent.push(m);
  }
  close(): void {}
}

// The receiver listens on 127.0.0.1, a loopback address webhooks may not reach unless allowed.
forEachDialect('webhooks', { env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }, (h) => {
  let w: World;
  let agreementId: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let runner: OutboxRunner;
  const nowDate = () => new Date(h.clock.now().epochMilliseconds);
  const secrets: Record<string, string> = {};

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
    runner = new OutboxRunner({
      db: h.db,
      mailer: new NullMailer(),
      logger: { info: () => undefined, warn: () => undefined },
      now: nowDate,
      webhookTargets: h.config.webhookTargets,
    });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const drain = async () => {
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const n = await runner.runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  };

  describe('registration', () => {
    it('an owner registers a webhook: 201 with the secret once; the list never shows it', async () => {
      const res = await w.a.owner.post(`/api/v1/organizations/${w.orgA.id}/webhooks`, {
        url: receiver.url('/a'),
        events: ['incident.reported', 'notice.sent', 'notice.acknowledged'],
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        organizationId: w.orgA.id,
        url: receiver.url('/a'),
        events: ['incident.reported', 'notice.sent', 'notice.acknowledged'],
        active: true,
      });
      expect(res.json.id).toMatch(/^whk_/);
      expect(res.json.secret).toMatch(/^whsec_[A-Za-z0-9_-]{20,}$/);
      secrets.a = res.json.secret;

      const list = await w.a.owner.get(`/api/v1/organizations/${w.orgA.id}/webhooks`);
      expect(list.status).toBe(200);
      expect(list.json.items.map((x: { id: string }) => x.id)).toContain(res.json.id);
      expect(list.body).not.toContain(res.json.secret);
      for (const item of list.json.items) expect(item).not.toHaveProperty('secret');

      const b = await w.b.owner.post(`/api/v1/organizations/${w.orgB.id}/webhooks`, {
        url: receiver.url('/b'),
        events: ['incident.reported', 'notice.sent', 'notice.acknowledged'],
      });
      expect(b.status).toBe(201);
      secrets.b = b.json.secret;
      expect(secrets.b).not.toBe(secrets.a);
      // An outsider's webhook for every event.
      const c = await w.c.owner.post(`/api/v1/organizations/${w.orgC.id}/webhooks`, {
        url: receiver.url('/c'),
        events: [
          'incident.reported',
          'notice.sent',
          'notice.acknowledged',
          'obligation.due_soon',
          'obligation.breached',
        ],
      });
      expect(c.status).toBe(201);
    });

    it('another organisation’s owner → 404, legal → 403, no session → 401; nothing changes', async () => {
      const before = await snapshot(h.ctx);
      const body = { url: receiver.url('/evil'), events: ['notice.sent'] };
      const url = `/api/v1/organizations/${w.orgA.id}/webhooks`;
      const other = await w.c.owner.post(url, body);
      expect(other.status).toBe(404);
      expect(other.json.code).toBe('ORGANIZATION_NOT_FOUND');
      expect((await w.b.owner.post(url, body)).status).toBe(404);
      for (const role of ['legal', 'responder', 'viewer'] as const) {
        const r = await w.a[role].post(url, body);
        expect(r.status, role).toBe(403);
        expect(r.json.code).toBe('FORBIDDEN');
      }
      const anon = await w.anon.post(url, body);
      expect(anon.status).toBe(401);
      expect(anon.json.code).toBe('UNAUTHENTICATED');
      // Reading the list follows the same rules.
      expect((await w.c.owner.get(url)).status).toBe(404);
      expect((await w.a.legal.get(url)).status).toBe(403);
      expect((await w.anon.get(url)).status).toBe(401);
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('bad input → 400 and nothing is stored', async () => {
      const before = await snapshot(h.ctx);
      const url = `/api/v1/organizations/${w.orgA.id}/webhooks`;
      for (const body of [
        { url: 'ftp://127.0.0.1/x', events: ['notice.sent'] },
        { url: 'not a url', events: ['notice.sent'] },
        { url: receiver.url('/x'), events: [] },
        { url: receiver.url('/x'), events: ['incident.exploded'] },
        { url: receiver.url('/x'), events: ['notice.sent'], secret: 'mine' },
      ]) {
        const r = await w.a.owner.post(url, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
      }
      expect(await snapshot(h.ctx)).toBe(before);
    });
  });

  describe('delivery', () => {
    let incidentId: string;
    let noticeId: string;

    const hitsFor = (path: string, type: string) =>
      receiver.hits.filter(
        (x) => x.path === path && x.body.type === type && x.body.data.incidentId === incidentId,
      );

    it('incident.reported reaches the reporting party only; notice.sent and notice.acknowledged reach both parties, signed; the outsider gets nothing', async () => {
      receiver.hits.length = 0;
      incidentId = (
        await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: 'Webhook 事故',
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        })
      ).json.id;
      // Before its first notice the incident is the reporting party's own (Art 3.1): the
      // counterparty's subscription to incident.reported hears nothing of it, then or later.
      await drain();
      expect(hitsFor('/b', 'incident.reported')).toHaveLength(1);
      expect(receiver.hits.filter((x) => x.path === '/a')).toEqual([]);
      noticeId = (await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: ITEMS })).json
        .id;
      expect((await w.a.responder.post(`/api/v1/notices/${noticeId}/acknowledgement`)).status).toBe(201);
      // A second acknowledgement queues nothing more.
      expect((await w.a.owner.post(`/api/v1/notices/${noticeId}/acknowledgement`)).status).toBe(200);
      await drain();

      expect(hitsFor('/a', 'incident.reported')).toEqual([]);
      for (const [path, secret, types] of [
        ['/a', secrets.a, ['notice.sent', 'notice.acknowledged']],
        ['/b', secrets.b, ['incident.reported', 'notice.sent', 'notice.acknowledged']],
      ] as const) {
        for (const type of types) {
          const got = hitsFor(path, type);
          expect(got, `${path} ${type}`).toHaveLength(1);
          const hit = got[0] as Hit;
          expect(hit.headers['content-type']).toContain('application/json');
          expect(hit.headers['breachpact-event']).toBe(type);
          expect(hit.headers['breachpact-delivery']).toBe(hit.body.id);
          expect(hit.body.id).toMatch(/^evt_[0-9a-f]{26}$/);
          expect(hit.body.agreementId).toBe(agreementId);
          expect(hit.body.data).toMatchObject({
            incidentId,
            reportingParty: 'B',
            url: `http://localhost:3000/incidents/${incidentId}`,
          });
          if (type !== 'incident.reported') expect(hit.body.data).toMatchObject({ noticeId, number: 1 });

          const header = hit.headers[SIGNATURE_HEADER] as string;
          expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
          const t = Number(/t=(\d+)/.exec(header)?.[1]);
          expect(t).toBe(Math.floor(nowDate().getTime() / 1000));
          expect(verifyWebhookSignature(secret as string, hit.raw, header, t)).toBe(true);
          // A tampered body, another secret or a stale timestamp fail.
          // (Flip the id's last character to one it cannot already be.)
          const flipped = incidentId.endsWith('0') ? '1' : '0';
          const tampered = hit.raw.replace(incidentId, `${incidentId.slice(0, -1)}${flipped}`);
          expect(tampered).not.toBe(hit.raw);
          expect(verifyWebhookSignature(secret as string, tampered, header, t)).toBe(false);
          expect(verifyWebhookSignature(`${secret as string}x`, hit.raw, header, t)).toBe(false);
          expect(verifyWebhookSignature(secret as string, hit.raw, header, t + 301)).toBe(false);
          expect(verifyWebhookSignature(secret as string, hit.raw, header, t + 299)).toBe(true);
        }
      }
      // The two parties' deliveries of one event carry different ids and signatures.
      const [ra] = hitsFor('/a', 'notice.sent');
      const [rb] = hitsFor('/b', 'notice.sent');
      expect(ra?.body.id).not.toBe(rb?.body.id);
      expect(ra?.headers[SIGNATURE_HEADER]).not.toBe(rb?.headers[SIGNATURE_HEADER]);

      // An organisation that is not party to the agreement receives nothing at all.
      expect(receiver.hits.filter((x) => x.path === '/c')).toEqual([]);
      // Every request was answered 200 and every webhook item is done.
      const rows = (await listOutbox(h.db, 'webhook')).filter((r) => r.payload.includes(incidentId));
      expect(rows).toHaveLength(5);
      expect(rows.every((r) => r.state === 'done')).toBe(true);
      // Nothing is delivered twice.
      expect(await drain()).toBe(0);
      expect(receiver.hits.filter((x) => x.body.data.incidentId === incidentId)).toHaveLength(5);
    });

    it('a receiver answering 500 is retried with backoff, then delivered once it answers 200', async () => {
      const flaky = await w.b.owner.post(`/api/v1/organizations/${w.orgB.id}/webhooks`, {
        url: receiver.url('/flaky'),
        events: ['notice.sent'],
      });
      expect(flaky.status).toBe(201);
      receiver.failuresLeft.set('/flaky', 2);
      receiver.hits.length = 0;
      const start = h.clock.now();
      try {
        const second = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
          items: { ...ITEMS, measures: '遮断済み' },
        });
        expect(second.status).toBe(201);
        await drain();
        const row = async () =>
          (await listOutbox(h.db, 'webhook')).find(
            (r) => r.dedupe_key === `webhook:${flaky.json.id}:notice.sent:${second.json.id}`,
          );
        let r = await row();
        expect(r).toMatchObject({ state: 'pending' });
        expect(Number(r?.attempts)).toBe(1);
        expect(r?.last_error).toContain('500');
        expect(r?.next_attempt_at).toBe(new Date(start.epochMilliseconds + 30_000).toISOString());
        expect(receiver.hits.filter((x) => x.path === '/flaky')).toHaveLength(1);

        // Not before the backoff.
        h.clock.advance({ seconds: 29 });
        expect(await runner.runOnce()).toBe(0);
        expect(receiver.hits.filter((x) => x.path === '/flaky')).toHaveLength(1);

        h.clock.advance({ seconds: 1 });
        await drain();
        r = await row();
        expect(Number(r?.attempts)).toBe(2);
        expect(r?.state).toBe('pending');
        expect(receiver.hits.filter((x) => x.path === '/flaky').map((x) => x.status)).toEqual([500, 500]);

        h.clock.advance({ seconds: 60 });
        await drain();
        r = await row();
        expect(r?.state).toBe('done');
        const flakyHits = receiver.hits.filter((x) => x.path === '/flaky');
        expect(flakyHits.map((x) => x.status)).toEqual([500, 500, 200]);
        // The retries carry the same event id (receivers deduplicate on it), each freshly signed.
        expect(new Set(flakyHits.map((x) => x.body.id)).size).toBe(1);
        const last = flakyHits[2] as Hit;
        const t = Number(/t=(\d+)/.exec(last.headers[SIGNATURE_HEADER] as string)?.[1]);
        expect(
          verifyWebhookSignature(flaky.json.secret, last.raw, last.headers[SIGNATURE_HEADER] as string, t),
        ).toBe(true);
        // Delivered once: nothing more afterwards.
        h.clock.advance({ hours: 2 });
        expect(await drain()).toBe(0);
        expect(receiver.hits.filter((x) => x.path === '/flaky')).toHaveLength(3);
        // The healthy hooks got this notice exactly once, with no retries.
        expect(receiver.hits.filter((x) => x.path === '/b' && x.body.type === 'notice.sent')).toHaveLength(1);
      } finally {
        h.clock.set('2026-11-28T01:00:00Z');
      }
    });

    it('a removed webhook receives nothing more', async () => {
      const list = await w.a.owner.get(`/api/v1/organizations/${w.orgA.id}/webhooks`);
      const id = list.json.items[0].id as string;
      expect((await w.a.legal.delete(`/api/v1/organizations/${w.orgA.id}/webhooks/${id}`)).status).toBe(403);
      expect((await w.c.owner.delete(`/api/v1/organizations/${w.orgA.id}/webhooks/${id}`)).status).toBe(404);
      expect((await w.a.owner.delete(`/api/v1/organizations/${w.orgA.id}/webhooks/${id}`)).status).toBe(204);
      receiver.hits.length = 0;
      const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: 'after removal',
        suspected: true,
        discoveredAt: '2026-11-28T00:30:00Z',
      });
      expect(inc.status).toBe(201);
      // The first notice shares the incident: A's removed webhook would have heard of it now.
      expect(
        (await w.b.responder.post(`/api/v1/incidents/${inc.json.id}/notices`, { items: ITEMS })).status,
      ).toBe(201);
      await drain();
      expect(receiver.hits.filter((x) => x.path === '/a')).toEqual([]);
      expect(
        receiver.hits
          .filter((x) => x.path === '/b' && x.body.data.incidentId === inc.json.id)
          .map((x) => x.body.type)
          .sort(),
      ).toEqual(['incident.reported', 'notice.sent']);
    });
  });
});

describe('webhook signature', () => {
  it('verifies its own signatures and nothing else', () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'notice.sent', data: { title: '第一報' } });
    const header = signWebhook('whsec_test', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('whsec_test', body, header, 1_800_000_000)).toBe(true);
    expect(verifyWebhookSignature('whsec_test', `${body} `, header, 1_800_000_000)).toBe(false);
    expect(
      verifyWebhookSignature(
        'whsec_test',
        body,
        header.replace('t=1800000000', 't=1800000001'),
        1_800_000_000,
      ),
    ).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, 'v1=abc', 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, '', 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, 't=1800000000,v1=', 1_800_000_000)).toBe(false);
  });
});
