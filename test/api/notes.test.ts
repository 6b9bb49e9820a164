import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueReceipts } from '../../src/app/audit/anchors.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, type Client, type World } from '../support/fixtures.js';
import { rawRequest, text, unzip } from '../support/raw.js';

/** Every table a note could touch, to assert that refused requests change nothing. */
async function snapshot(db: { kysely: any }): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of ['incident_notes', 'incidents', 'audit_events', 'outbox']) {
    out[t] = await db.kysely.selectFrom(t).selectAll().orderBy('id').execute();
  }
  return JSON.stringify(out);
}

/**
 * Party-internal notes (issue 9 item 3): a party's internal note never reaches the other company
 * through any channel — lists, counts, filters, mail, webhooks, exports (disclosure packages, the
 * memorandum's downloads, audit receipts) and audit listings. One test per channel.
 */
forEachDialect('party-internal notes', { env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }, (h) => {
  let w: World;
  let agreementId: string;
  let incidentId: string;
  /** Unique strings: found anywhere means the note leaked. */
  const bSecret = `乙の社内メモ-${randomBytes(6).toString('hex')}`;
  const aSecret = `甲の社内メモ-${randomBytes(6).toString('hex')}`;
  const bShared = `乙の共有メモ-${randomBytes(6).toString('hex')}`;
  let bNoteId: string;

  const notesUrl = () => `/api/v1/incidents/${incidentId}/notes`;
  /** What party A's users can read through the API, as one text. */
  const aView = async (as: Client = w.a.owner) => {
    const urls = [
      `/api/v1/incidents/${incidentId}`,
      `/api/v1/agreements/${agreementId}/incidents`,
      `/api/v1/agreements/${agreementId}/incidents?state=suspected,confirmed`,
      `/api/v1/agreements/${agreementId}/incidents?reportingParty=B`,
      `/api/v1/agreements/${agreementId}/incidents?kind=cyber_attack`,
      `/api/v1/agreements/${agreementId}/incidents?infoCategory=personal`,
      `/api/v1/incidents/${incidentId}/notices`,
      `/api/v1/incidents/${incidentId}/obligations?state=all`,
      `/api/v1/agreements/${agreementId}/obligations`,
      '/api/v1/obligations',
      `/api/v1/agreements/${agreementId}`,
      `/api/v1/incidents/${incidentId}/disclosures`,
    ];
    const out: Record<string, unknown> = {};
    for (const u of urls) {
      const r = await as.get(u);
      expect(r.status, `${u}: ${r.body}`).toBe(200);
      out[u] = r.json;
    }
    return out;
  };

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    for (const [who, org] of [
      ['a', w.orgA.id],
      ['b', w.orgB.id],
    ] as const) {
      const hook = await w[who].owner.post(`/api/v1/organizations/${org}/webhooks`, {
        url: `http://127.0.0.1:9/${who}`,
        events: [
          'incident.reported',
          'notice.sent',
          'notice.acknowledged',
          'audit.receipt',
          'disclosure.filed',
        ],
      });
      expect(hook.status, hook.body).toBe(201);
    }
    const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '再委託先でのマルウェア感染',
      suspected: true,
      discoveredAt: '2026-11-27T23:40:00+09:00',
      causeEntity: 'subcontractor',
      infoCategories: ['personal'],
      kinds: ['cyber_attack'],
    });
    expect(inc.status, inc.body).toBe(201);
    incidentId = inc.json.id;
    expect(
      (await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: FIRST_ITEMS })).status,
    ).toBe(201);
  });

  it('who may write and read: no session 401, viewer 403, another company 404, the administrator 403; bad input changes nothing', async () => {
    const before = await snapshot(h.db);
    const body = { body: 'x', visibility: 'party' };
    expect((await w.anon.post(notesUrl(), body)).status).toBe(401);
    expect((await w.anon.get(notesUrl())).status).toBe(401);
    expect((await w.b.viewer.post(notesUrl(), body)).status).toBe(403);
    expect((await w.a.viewer.post(notesUrl(), body)).status).toBe(403);
    expect((await w.c.owner.post(notesUrl(), body)).status).toBe(404);
    expect((await w.c.owner.get(notesUrl())).status).toBe(404);
    const admin = await w.admin.post(notesUrl(), body);
    expect(admin.status).toBe(403);
    expect((await w.admin.get(notesUrl())).status).toBe(403);
    for (const bad of [
      {},
      { body: '', visibility: 'party' },
      { body: '   ', visibility: 'party' },
      { body: 'x' },
      { body: 'x', visibility: 'everyone' },
      { body: 'x', visibility: 'party', extra: 1 },
    ]) {
      const r = await w.b.owner.post(notesUrl(), bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json.messageJa).toBeTruthy();
      expect(r.json.messageEn).toBeTruthy();
    }
    expect(await snapshot(h.db)).toBe(before);
    // Before the first notice the incident is B's own: A cannot see its notes either.
    const own = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '未通知の事故',
      suspected: true,
      discoveredAt: '2026-11-28T09:00:00+09:00',
    });
    expect((await w.b.responder.post(`/api/v1/incidents/${own.json.id}/notes`, body)).status).toBe(201);
    expect((await w.a.owner.get(`/api/v1/incidents/${own.json.id}/notes`)).status).toBe(404);
    expect((await w.a.owner.post(`/api/v1/incidents/${own.json.id}/notes`, body)).status).toBe(404);
  });

  it('counts and filters: nothing party A reads changes when party B writes an internal note (no count, version or time moves)', async () => {
    const before = await aView();
    const beforeViewer = await aView(w.a.viewer);
    const res = await w.b.responder.post(notesUrl(), { body: bSecret, visibility: 'party' });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ incidentId, byParty: 'B', body: bSecret, visibility: 'party' });
    bNoteId = res.json.id;
    expect(await aView()).toEqual(before);
    expect(await aView(w.a.viewer)).toEqual(beforeViewer);
    expect(JSON.stringify(await aView())).not.toContain(bSecret);
  });

  it('lists: each party reads its own notes and the other party’s shared ones, never the other’s internal ones', async () => {
    expect((await w.b.owner.post(notesUrl(), { body: bShared, visibility: 'shared' })).status).toBe(201);
    expect((await w.a.legal.post(notesUrl(), { body: aSecret, visibility: 'party' })).status).toBe(201);
    const a = (await w.a.viewer.get(notesUrl())).json.items as Array<{ body: string; byParty: string }>;
    const b = (await w.b.viewer.get(notesUrl())).json.items as Array<{ body: string; byParty: string }>;
    expect(a.map((n) => n.body)).toEqual([bShared, aSecret]);
    expect(b.map((n) => n.body)).toEqual([bSecret, bShared]);
  });

  it('mail and webhooks: an internal note queues nothing, and no mail or webhook ever carries one', async () => {
    const count = async () => (await listOutbox(h.db)).length;
    const before = await count();
    expect((await w.b.owner.post(notesUrl(), { body: `${bSecret}-2`, visibility: 'party' })).status).toBe(
      201,
    );
    expect(await count()).toBe(before);
    // Later traffic about the incident (a follow-up notice, its acknowledgement, a disclosure) carries none.
    const follow = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
      items: FIRST_ITEMS,
    });
    expect(follow.status).toBe(201);
    expect((await w.a.owner.post(`/api/v1/notices/${follow.json.id}/acknowledgement`)).status).toBe(201);
    const filed = await w.b.legal.post(`/api/v1/incidents/${incidentId}/disclosures`, {
      recipient: '所轄警察署',
      purpose: '捜査への協力',
      scope: '第一報の内容',
      basis: 'authority_request',
      basisReference: '捜査関係事項照会書 第123号',
    });
    expect(filed.status, filed.body).toBe(201);
    const all = await listOutbox(h.db);
    expect(all.some((r) => r.kind === 'mail')).toBe(true);
    expect(all.some((r) => r.kind === 'webhook')).toBe(true);
    for (const row of all) {
      expect(row.payload).not.toContain(bSecret);
      expect(row.payload).not.toContain(aSecret);
    }
  });

  it('audit listings: the other party does not see an internal note’s event; the writing party sees it with the body’s hash only; the chain still verifies', async () => {
    const events = async (as: Client, url: string) => {
      const r = await as.get(url);
      expect(r.status).toBe(200);
      return r.json as {
        items: Array<{ recordId: string; recordType: string; payload: any }>;
        verification: { ok: boolean };
      };
    };
    for (const url of [
      `/api/v1/agreements/${agreementId}/audit-events`,
      `/api/v1/incidents/${incidentId}/audit-events`,
    ]) {
      const a = await events(w.a.viewer, url);
      const b = await events(w.b.viewer, url);
      expect(a.verification.ok).toBe(true);
      expect(b.verification.ok).toBe(true);
      expect(a.items.some((e) => e.recordId === bNoteId)).toBe(false);
      expect(JSON.stringify(a)).not.toContain(bSecret);
      const mine = b.items.find((e) => e.recordId === bNoteId);
      expect(mine).toMatchObject({
        recordType: 'incident_note',
        payload: { visibility: 'party', byParty: 'B' },
      });
      expect(mine?.payload.bodySha256).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(b)).not.toContain(bSecret);
      // Shared notes are both parties' events.
      expect(
        a.items.filter((e) => e.recordType === 'incident_note' && e.payload.visibility === 'shared'),
      ).toHaveLength(1);
      // A's own internal note: listed to A, not to B.
      expect(
        a.items.filter((e) => e.recordType === 'incident_note' && e.payload.byParty === 'A'),
      ).toHaveLength(1);
      expect(
        b.items.filter((e) => e.recordType === 'incident_note' && e.payload.byParty === 'A'),
      ).toHaveLength(0);
    }
    const admin = await w.admin.get(`/api/v1/agreements/${agreementId}/audit-events`);
    expect(admin.json.items).toEqual([]);
  });

  it('webhooks (audit receipts): an internal note alone does not issue an event receipt to the parties', async () => {
    await issueReceipts(h.ctx, 'event'); // the receipts owed for earlier shared events
    expect(await issueReceipts(h.ctx, 'event')).toBe(0);
    expect((await w.b.owner.post(notesUrl(), { body: `${bSecret}-3`, visibility: 'party' })).status).toBe(
      201,
    );
    expect(await issueReceipts(h.ctx, 'event')).toBe(0);
    expect((await w.b.owner.post(notesUrl(), { body: `${bShared}-2`, visibility: 'shared' })).status).toBe(
      201,
    );
    expect(await issueReceipts(h.ctx, 'event')).toBe(1);
  });

  it('exports: disclosure packages, the memorandum’s HTML and DOCX and the audit receipts carry no note', async () => {
    const filed = await w.b.legal.post(`/api/v1/incidents/${incidentId}/disclosures`, {
      recipient: '個人情報保護委員会',
      purpose: '漏えい等報告',
      scope: '事故の概要と通知の内容',
      basis: 'law',
      basisReference: '個人情報保護法第26条',
    });
    expect(filed.status, filed.body).toBe(201);
    const notices = (await w.b.viewer.get(`/api/v1/incidents/${incidentId}/notices`)).json.items.map(
      (n: { id: string }) => n.id,
    );
    const pkg = await rawRequest(
      h.ctx,
      h.app,
      w.emails['b.owner']!,
      'POST',
      `/api/v1/disclosures/${filed.json.id}/package`,
      {
        includeIncident: true,
        noticeIds: notices,
      },
    );
    expect(pkg.status, pkg.bytes.toString()).toBe(200);
    const files = unzip(pkg.bytes);
    expect(Object.keys(files).length).toBeGreaterThan(4);
    for (const [name, bytes] of Object.entries(files)) {
      expect(text(bytes), name).not.toContain(bSecret);
      expect(text(bytes), name).not.toContain(aSecret);
      expect(text(bytes), name).not.toContain(bShared);
    }
    for (const who of ['a.owner', 'b.owner'] as const) {
      const html = await rawRequest(
        h.ctx,
        h.app,
        w.emails[who]!,
        'GET',
        `/api/v1/agreements/${agreementId}/document?format=html`,
      );
      expect(html.status).toBe(200);
      expect(html.bytes.toString()).not.toContain(bSecret);
      const docx = await rawRequest(
        h.ctx,
        h.app,
        w.emails[who]!,
        'GET',
        `/api/v1/agreements/${agreementId}/document?format=docx`,
      );
      expect(docx.status).toBe(200);
      for (const [name, bytes] of Object.entries(unzip(docx.bytes))) {
        expect(text(bytes), name).not.toContain(bSecret);
      }
      const receipts = await rawRequest(
        h.ctx,
        h.app,
        w.emails[who]!,
        'GET',
        `/api/v1/agreements/${agreementId}/audit-receipts?download=true`,
      );
      expect(receipts.status).toBe(200);
      expect(receipts.bytes.toString()).not.toContain(bSecret);
    }
  });

  describe('search', () => {
    it('there is no free-text search; the incident list’s filters never match note text', async () => {
      const r = await w.a.owner.get(
        `/api/v1/agreements/${agreementId}/incidents?q=${encodeURIComponent(bSecret)}`,
      );
      expect(r.status).toBe(400); // no such filter: nothing can be searched by a note's words
      const all = await w.a.owner.get(`/api/v1/agreements/${agreementId}/incidents`);
      expect(JSON.stringify(all.json)).not.toContain(bSecret);
    });
  });
});
