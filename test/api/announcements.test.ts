/**
 * Announcements (Art 6): versions, both parties' approval of the same latest version (6.1), the
 * publication with its final text, the emergency path (6.2: owner/legal, the other party told at
 * once, a 6.2 duty to consult afterwards met by an agreed consultation), bad input and access.
 * Both dialects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import {
  FIRST_ITEMS,
  seedWorld,
  snapshot,
  type Client,
  type Response,
  type World,
} from '../support/fixtures.js';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json.code).toBe(code);
  expect(res.json.messageJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(res.json.messageEn).toMatch(/[a-z]/);
}

const DRAFT = {
  channel: 'press_release',
  title: '当社委託先における不正アクセスについて',
  body: '当社の委託先において、顧客情報への不正アクセスのおそれが判明しました。現在調査中です。',
};

forEachDialect('announcements (Art 6)', (h) => {
  let w: World;
  let agreementId: string;
  let incidentId: string;

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app); // the test clock stands at 2026-11-28 10:00 in Tokyo
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    incidentId = (
      await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '再委託先でのマルウェア感染',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
      })
    ).json.id;
    expect(
      (await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: FIRST_ITEMS })).status,
    ).toBe(201);
  });

  async function state(): Promise<string> {
    const own: unknown[] = [];
    for (const t of [
      'announcements',
      'announcement_versions',
      'announcement_approvals',
      'obligation_clocks',
    ] as const) {
      own.push(await h.ctx.db.kysely.selectFrom(t).selectAll().execute());
    }
    return (await snapshot(h.ctx)) + JSON.stringify(own);
  }

  async function rejected(call: () => Promise<Response>, status: number, code: string): Promise<Response> {
    const before = await state();
    const res = await call();
    expectProblem(res, status, code);
    expect(await state()).toBe(before);
    expect((await verifyAudit(h.db)).ok).toBe(true);
    return res;
  }

  const create = (c: Client, body: object = DRAFT) =>
    c.post(`/api/v1/incidents/${incidentId}/announcements`, body);
  const addVersion = (c: Client, id: string, n: number) =>
    c.post(`/api/v1/announcements/${id}/versions`, {
      title: `${DRAFT.title}（第${n}版）`,
      body: `${DRAFT.body}\n第${n}版`,
    });
  const approve = (c: Client, id: string, version: number) =>
    c.post(`/api/v1/announcements/${id}/approvals`, { version });
  const publish = (c: Client, id: string, body: object) =>
    c.post(`/api/v1/announcements/${id}/publication`, body);
  const obligation6_2 = async (announcementId: string) => {
    const inc = await w.a.legal.get(`/api/v1/incidents/${incidentId}`);
    return (inc.json.obligations as Array<Record<string, unknown>>).find(
      (o) => o.clause === '6.2' && o.sourceId === announcementId,
    );
  };

  it('consultation (6.1): both parties approve the same, latest version; then it is published with its final text', async () => {
    const created = await create(w.a.responder);
    expect(created.status, created.body).toBe(201);
    const id = created.json.id as string;
    expect(id).toMatch(/^ann_/);
    expect(created.json).toMatchObject({
      incidentId,
      byParty: 'A',
      clause: '6.1',
      channel: 'press_release',
      channelLabel: { ja: '報道発表' },
      state: 'draft',
      latestVersion: 1,
      approvedByBoth: false,
      publication: null,
      createdBy: { name: 'A responder' },
    });
    expect(created.json.versions).toEqual([
      expect.objectContaining({
        number: 1,
        title: DRAFT.title,
        body: DRAFT.body,
        byParty: 'A',
        approvedBy: [],
      }),
    ]);

    // The other party's responder adds version 2.
    const v2 = await addVersion(w.b.responder, id, 2);
    expect(v2.status, v2.body).toBe(201);
    expect(v2.json.latestVersion).toBe(2);
    expect(v2.json.versions.map((v: { number: number }) => v.number)).toEqual([1, 2]);

    // Approving an older version is 409 and changes nothing.
    const stale = await rejected(() => approve(w.a.legal, id, 1), 409, 'ANNOUNCEMENT_VERSION_STALE');
    expect(stale.json).toMatchObject({ version: 1, latestVersion: 2 });
    await rejected(() => approve(w.a.legal, id, 3), 400, 'VALIDATION_FAILED');

    expect((await approve(w.a.legal, id, 2)).status).toBe(201);
    await rejected(() => approve(w.a.owner, id, 2), 409, 'ANNOUNCEMENT_ALREADY_APPROVED');
    // One approval is not consultation.
    const notYet = await rejected(
      () => publish(w.a.legal, id, { version: 2 }),
      409,
      'ANNOUNCEMENT_NOT_APPROVED',
    );
    expect(notYet.json.approvedBy).toEqual(['A']);
    const both = await approve(w.b.owner, id, 2);
    expect(both.json).toMatchObject({ approvedByBoth: true });
    expect(both.json.versions[1].approvedBy).toEqual(['A', 'B']);

    // A new version after the approvals: they stay with version 2, version 3 needs its own.
    const v3 = await addVersion(w.a.responder, id, 3);
    expect(v3.json).toMatchObject({ latestVersion: 3, approvedByBoth: false });
    expect(v3.json.versions[1].approvedBy).toEqual(['A', 'B']);
    await rejected(() => publish(w.a.legal, id, { version: 2 }), 409, 'ANNOUNCEMENT_VERSION_STALE');
    await rejected(() => publish(w.a.legal, id, { version: 3 }), 409, 'ANNOUNCEMENT_NOT_APPROVED');
    expect((await approve(w.b.legal, id, 3)).status).toBe(201);
    expect((await approve(w.a.owner, id, 3)).status).toBe(201);

    // Not before it was drafted.
    await rejected(
      () => publish(w.a.responder, id, { version: 3, publishedAt: '2026-11-28T09:30:00+09:00' }),
      400,
      'VALIDATION_FAILED',
    );
    // A responder records the publication of the approved version.
    const pub = await publish(w.a.responder, id, {
      version: 3,
      publishedAt: '2026-11-28T10:00:00+09:00',
      url: 'https://example.com/news/2026-11-28',
    });
    expect(pub.status, pub.body).toBe(200);
    expect(pub.json).toMatchObject({
      state: 'published',
      clause: '6.1',
      publication: {
        version: 3,
        publishedAt: '2026-11-28T01:00:00.000Z',
        recordedAt: '2026-11-28T01:00:00.000Z',
        url: 'https://example.com/news/2026-11-28',
        byParty: 'A',
        by: { name: 'A responder' },
        title: `${DRAFT.title}（第3版）`,
        body: `${DRAFT.body}\n第3版`,
        emergency: null,
      },
    });
    // Published once; nothing changes afterwards.
    await rejected(() => publish(w.b.legal, id, { version: 3 }), 409, 'ANNOUNCEMENT_PUBLISHED');
    await rejected(() => addVersion(w.b.responder, id, 4), 409, 'ANNOUNCEMENT_PUBLISHED');
    await rejected(() => approve(w.b.owner, id, 3), 409, 'ANNOUNCEMENT_PUBLISHED');
    // No 6.2 duty for a consulted announcement.
    expect(await obligation6_2(id)).toBeUndefined();

    // Both parties read it, with its versions and approvals; the audit chain has every step.
    const one = await w.b.viewer.get(`/api/v1/announcements/${id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id, state: 'published', latestVersion: 3 });
    expect(one.json.approvals).toHaveLength(4);
    const list = await w.a.viewer.get(`/api/v1/incidents/${incidentId}/announcements`);
    expect(list.json.items.map((a: { id: string }) => a.id)).toContain(id);
    const audit = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/audit-events`);
    const actions = audit.json.items
      .filter((e: { recordId: string }) => e.recordId === id)
      .map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'announcement.drafted',
      'announcement.version_added',
      'announcement.approved',
      'announcement.approved',
      'announcement.version_added',
      'announcement.approved',
      'announcement.approved',
      'announcement.published',
    ]);
  });

  it('emergency (6.2): owner/legal publish without approval, the other party is mailed at once, and owes a consultation within 24 h', async () => {
    const id = (await create(w.a.responder, { ...DRAFT, channel: 'website' })).json.id as string;
    const emergency = {
      reason: 'prevent_harm',
      explanation: 'フィッシングサイトへの誘導が始まっており、利用者への注意喚起が急務',
    };
    await rejected(() => publish(w.a.responder, id, { version: 1, emergency }), 403, 'FORBIDDEN');
    const pub = await publish(w.a.legal, id, { version: 1, emergency });
    expect(pub.status, pub.body).toBe(200);
    expect(pub.json).toMatchObject({
      clause: '6.2',
      state: 'published',
      publication: {
        version: 1,
        byParty: 'A',
        emergency: { reason: 'prevent_harm', reasonLabel: { ja: '被害拡大防止のため（第6条第2項）' } },
      },
    });
    // The other party's acting members are mailed at once (not the publisher's own).
    const mails = (await listOutbox(h.ctx.db, 'mail'))
      .filter((m) => m.dedupe_key.startsWith(`announcement.emergency:${id}`))
      .map((m) => JSON.parse(m.payload) as { to: string; subject: string; text: string });
    expect(mails.map((m) => m.to).sort()).toEqual(
      ['b.owner', 'b.legal', 'b.responder'].map((k) => w.emails[k]).sort(),
    );
    expect(mails[0]?.subject).toContain('第6条第2項');
    expect(mails[0]?.text).toContain('フィッシングサイト');

    // Clause 6.2: owed by the publisher to the other party, due 24 h after the publication.
    expect(await obligation6_2(id)).toMatchObject({
      owedBy: 'A',
      owedTo: 'B',
      state: 'open',
      dueAt: '2026-11-29T01:00:00.000Z',
    });

    // Met once a consultation on the announcement reaches an agreed outcome (Art 12).
    const c = await w.a.legal.post('/api/v1/consultations', {
      subjectType: 'announcement',
      subjectId: id,
      topic: '緊急公表の内容と今後の公表方針',
    });
    expect(c.status, c.body).toBe(201);
    expect(
      (
        await w.a.legal.post(`/api/v1/consultations/${c.json.id}/outcome`, {
          text: '追加公表は両社承認の上で行う',
        })
      ).status,
    ).toBe(200);
    expect((await w.b.legal.post(`/api/v1/consultations/${c.json.id}/confirmation`, {})).status).toBe(200);
    const met = await obligation6_2(id);
    expect(met).toMatchObject({ owedBy: 'A', state: 'met' });
  });

  it('bad input is 400 with the field, and changes nothing', async () => {
    const id = (await create(w.b.responder)).json.id as string;
    const url = `/api/v1/incidents/${incidentId}/announcements`;
    await rejected(() => w.a.responder.post(url, { ...DRAFT, channel: 'tv' }), 400, 'VALIDATION_FAILED');
    await rejected(() => w.a.responder.post(url, { ...DRAFT, title: '  ' }), 400, 'VALIDATION_FAILED');
    await rejected(
      () => w.a.responder.post(url, { channel: 'website', title: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    await rejected(() => w.a.responder.post(url, { ...DRAFT, extra: true }), 400, 'VALIDATION_FAILED');
    await rejected(
      () => w.a.responder.post(`/api/v1/announcements/${id}/versions`, { title: 'x', body: ' ' }),
      400,
      'VALIDATION_FAILED',
    );
    await rejected(() => approve(w.a.legal, id, 0), 400, 'VALIDATION_FAILED');
    await rejected(
      () => publish(w.b.legal, id, { version: 1, emergency: { reason: 'pr', explanation: 'x' } }),
      400,
      'VALIDATION_FAILED',
    );
    await rejected(
      () => publish(w.b.legal, id, { version: 1, emergency: { reason: 'law_compliance' } }),
      400,
      'VALIDATION_FAILED',
    );
    await rejected(
      () =>
        publish(w.b.legal, id, {
          version: 1,
          publishedAt: '2026-11-29T10:00:00+09:00',
          emergency: { reason: 'law_compliance', explanation: 'x' },
        }),
      400,
      'VALIDATION_FAILED',
    );
    await rejected(
      () =>
        publish(w.b.legal, id, {
          version: 1,
          url: 'javascript:alert(1)',
          emergency: { reason: 'law_compliance', explanation: 'x' },
        }),
      400,
      'VALIDATION_FAILED',
    );
  });

  describe('access', () => {
    it('no session 401, viewer 403, another company 404, administrator 403 — on every endpoint', async () => {
      const id = (await create(w.b.responder)).json.id as string;
      const reads: Array<(c: Client) => Promise<Response>> = [
        (c) => c.get(`/api/v1/incidents/${incidentId}/announcements`),
        (c) => c.get(`/api/v1/announcements/${id}`),
      ];
      const writes: Array<(c: Client) => Promise<Response>> = [
        (c) => create(c),
        (c) => addVersion(c, id, 2),
        (c) => approve(c, id, 1),
        (c) => publish(c, id, { version: 1, emergency: { reason: 'law_compliance', explanation: 'x' } }),
      ];
      for (const call of [...reads, ...writes]) {
        await rejected(() => call(w.anon), 401, 'UNAUTHENTICATED');
        const other = await rejected(
          () => call(w.c.owner),
          404,
          call === writes[0] || call === reads[0] ? 'INCIDENT_NOT_FOUND' : 'ANNOUNCEMENT_NOT_FOUND',
        );
        expect(other.status).toBe(404);
        await rejected(() => call(w.admin), 403, 'FORBIDDEN');
      }
      for (const call of writes) await rejected(() => call(w.a.viewer), 403, 'FORBIDDEN');
      // Approval and the emergency publication need owner or legal.
      await rejected(() => approve(w.a.responder, id, 1), 403, 'FORBIDDEN');
      // Viewers read.
      for (const call of reads) expect((await call(w.a.viewer)).status).toBe(200);
    });
  });
});
