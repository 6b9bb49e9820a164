import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { client, seedWorld, type World } from '../support/fixtures.js';

forEachDialect('agreements API', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  describe('recording an executed paper agreement (signedOn given)', () => {
    it('is active with the term of Art 11.1 and Civil Code 140/143', async () => {
      const res = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      const a = res.json;
      expect(a.id).toMatch(/^agr_/);
      expect(a.status).toBe('active');
      expect(a.partyA).toMatchObject({ id: w.orgA.id, name: '甲商事株式会社' });
      expect(a.partyB).toMatchObject({ id: w.orgB.id, name: '乙システム株式会社' });
      expect(a.court).toBe('東京地方裁判所');
      expect(a.parameters).toEqual({
        noticeTargetHours: 24,
        containmentTargetHours: 24,
        itemRequestMinHours: 24,
        cooperationResponseHours: 72,
        termMonths: 12,
        renewalMonths: 12,
        terminationNoticeMonths: 1,
        countSigningDay: false,
        survivingArticles: [5, 8, 9],
      });
      expect(a.changedParameters).toEqual([]);
      // The test clock stands at 2026-11-28 (Asia/Tokyo).
      expect(a.term).toMatchObject({
        status: 'active',
        evaluatedOn: '2026-11-28',
        start: '2026-04-02',
        initialEnd: '2027-04-01',
        currentTermNumber: 1,
        currentTermStart: '2026-04-02',
        currentTermEnd: '2027-04-01',
        terminationNoticeDeadline: '2027-03-01',
        endsOn: null,
      });
      const startRule = a.term.rules.find((r: { field: string }) => r.field === 'start');
      expect(startRule.ja).toContain('民法第140条');
    });

    it('evaluates the term on another date with ?on= (renewal starts the day after expiry)', async () => {
      const created = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      });
      const res = await w.a.viewer.get(`/api/v1/agreements/${created.json.id}?on=2027-05-01`);
      expect(res.status).toBe(200);
      expect(res.json.term).toMatchObject({
        evaluatedOn: '2027-05-01',
        currentTermNumber: 2,
        currentTermStart: '2027-04-02',
        currentTermEnd: '2028-04-01',
        terminationNoticeDeadline: '2028-03-01',
        endsOn: null,
        status: 'active',
      });
    });

    it('signed for a future date: not yet in force (not_started) until then, and takes no incidents', async () => {
      // The test clock is 2026-11-28 (Tokyo).
      const created = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2027-01-05',
      });
      expect(created.status).toBe(201);
      expect(created.json.term).toMatchObject({ status: 'not_started', start: '2027-01-06', endsOn: null });
      const id = created.json.id as string;
      const onSigning = await w.a.viewer.get(`/api/v1/agreements/${id}?on=2027-01-05`);
      expect(onSigning.json.term.status).toBe('active');
      const incident = await w.b.responder.post(`/api/v1/agreements/${id}/incidents`, {
        reportingParty: 'B',
        title: '発効前の事故',
        suspected: true,
        discoveredAt: '2026-11-28T00:00:00Z',
      });
      expect(incident.status).toBe(409);
      expect(incident.json).toMatchObject({ code: 'AGREEMENT_NOT_ACTIVE', agreementStatus: 'not_started' });
    });

    it('counts the signing day when the parties agreed so (Civil Code 138)', async () => {
      const res = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
        parameters: { countSigningDay: true, terminationNoticeMonths: 3 },
      });
      expect(res.status).toBe(201);
      expect(res.json.myParty).toBeNull();
      expect(res.json.term).toMatchObject({
        start: '2026-04-01',
        initialEnd: '2027-03-31',
        terminationNoticeDeadline: '2026-12-31',
      });
      expect(res.json.changedParameters).toEqual(['terminationNoticeMonths', 'countSigningDay']);
    });

    it('uses today in Asia/Tokyo, not UTC, as the default evaluation date', async () => {
      h.clock.set('2027-04-01T15:30:00Z'); // 2027-04-02 00:30 in Tokyo: the first renewal has begun
      try {
        const admin = client(h.app, { bearer: await tokenFor(w.emails.admin as string) });
        const created = await admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        });
        expect(created.json.term).toMatchObject({ evaluatedOn: '2027-04-02', currentTermNumber: 2 });
      } finally {
        h.clock.set('2026-11-28T01:00:00Z');
      }
    });
  });

  describe('draft → sign', () => {
    it('creates a draft without signedOn; it is active once both parties have signed', async () => {
      const draft = await w.b.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id });
      expect(draft.status).toBe(201);
      expect(draft.json.status).toBe('draft');
      expect(draft.json.myParty).toBe('B');
      expect(draft.json.term).toMatchObject({ status: 'draft', start: null, initialEnd: null, endsOn: null });
      const first = await w.a.legal.post(`/api/v1/agreements/${draft.json.id}/sign`, {
        signedOn: '2026-04-01',
      });
      expect(first.status).toBe(200);
      expect(first.json.status).toBe('draft');
      expect(first.json.version).toBe(2);
      const signed = await w.b.legal.post(`/api/v1/agreements/${draft.json.id}/sign`, {});
      expect(signed.status).toBe(200);
      expect(signed.json.status).toBe('active');
      expect(signed.json.signedOn).toBe('2026-04-01');
      expect(signed.json.version).toBe(3);
      expect(signed.json.term.initialEnd).toBe('2027-04-01');
    });

    it('edits a draft with If-Match and the current version', async () => {
      const draft = await w.a.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id });
      const res = await w.b.legal.patch(
        `/api/v1/agreements/${draft.json.id}`,
        { parameters: { noticeTargetHours: 12 }, dateStyle: 'japanese' },
        { 'if-match': '"1"' },
      );
      expect(res.status).toBe(200);
      expect(res.json.parameters.noticeTargetHours).toBe(12);
      expect(res.json.dateStyle).toBe('japanese');
      expect(res.json.version).toBe(2);
      expect(res.headers.etag).toBe('"2"');
    });
  });

  describe('termination notices (Art 11.2)', () => {
    // Notices are recorded once received, never dated after today (the test clock: 2026-11-28),
    // so these agreements were signed a year earlier.
    async function active() {
      return (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2025-04-01',
        })
      ).json.id as string;
    }

    it('on the deadline day is on time: the current term is the last', async () => {
      const id = await active();
      const res = await w.b.legal.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'B',
        receivedOn: '2026-03-01',
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ onTime: true, effectiveEnd: '2026-04-01', deadline: '2026-03-01' });
      expect(res.json.messageJa).toContain('2026-04-01');
      const before = await w.a.viewer.get(`/api/v1/agreements/${id}?on=2026-04-01`);
      expect(before.json.term).toMatchObject({
        status: 'active',
        endsOn: '2026-04-01',
        endReason: 'termination_notice',
      });
      const after = await w.a.viewer.get(`/api/v1/agreements/${id}?on=2026-04-02`);
      expect(after.json.term.status).toBe('terminated');
      expect(after.json.terminationNotices).toHaveLength(1);
      expect(after.json.terminationNotices[0]).toMatchObject({
        byParty: 'B',
        receivedOn: '2026-03-01',
        onTime: true,
      });
    });

    it('one day late takes effect at the end of the next term, and says so', async () => {
      const id = await active();
      const res = await w.a.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'A',
        receivedOn: '2026-03-02',
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ onTime: false, effectiveEnd: '2027-04-01', termEnd: '2026-04-01' });
      expect(res.json.messageJa).toContain('期限');
      expect(res.json.messageEn).toContain('late');
      const got = await w.b.viewer.get(`/api/v1/agreements/${id}?on=2026-06-01`);
      expect(got.json.term).toMatchObject({ status: 'active', endsOn: '2027-04-01', currentTermNumber: 2 });
    });

    it('a second notice that would not end it earlier is refused', async () => {
      const id = await active();
      await w.a.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'A',
        receivedOn: '2026-01-10',
      });
      const res = await w.b.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'B',
        receivedOn: '2026-01-11',
      });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('TERMINATION_ALREADY_NOTIFIED');
    });

    it('after the agreement ended no notice is accepted', async () => {
      const id = await active();
      await w.a.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'A',
        receivedOn: '2026-01-10',
      });
      const res = await w.b.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'B',
        receivedOn: '2026-05-01',
      });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('AGREEMENT_ENDED');
    });

    it('an agreement without renewal expires at the end of its term', async () => {
      const res = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
        parameters: { renewalMonths: 0 },
      });
      expect(res.json.term.endsOn).toBe('2027-04-01');
      const later = await w.admin.get(`/api/v1/agreements/${res.json.id}?on=2027-04-02`);
      expect(later.json.term.status).toBe('expired');
    });
  });

  describe('lists and documents', () => {
    it('lists only the caller’s agreements; the administrator sees all', async () => {
      const ab = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      });
      const bc = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgB.id,
        partyB: w.orgC.id,
        signedOn: '2026-04-01',
      });
      const ids = async (c: typeof w.admin) =>
        ((await c.get('/api/v1/agreements')).json.items as Array<{ id: string }>).map((i) => i.id);
      expect(await ids(w.a.viewer)).toContain(ab.json.id);
      expect(await ids(w.a.viewer)).not.toContain(bc.json.id);
      expect(await ids(w.c.owner)).toContain(bc.json.id);
      expect(await ids(w.c.owner)).not.toContain(ab.json.id);
      const all = await ids(w.admin);
      expect(all).toEqual(expect.arrayContaining([ab.json.id, bc.json.id]));
    });

    it('serves the memorandum as DOCX and HTML with the parties filled in', async () => {
      const ag = await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
        dateStyle: 'japanese',
        parameters: { noticeTargetHours: 12 },
      });
      const html = await w.b.responder.get(`/api/v1/agreements/${ag.json.id}/document?format=html`);
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toContain('text/html');
      for (const text of [
        '情報漏えい事故対応協力覚書',
        '第13条（合意管轄）',
        '甲商事株式会社',
        '乙システム株式会社',
        '代表取締役 佐藤花子',
        '令和8年4月1日',
        '運用細則',
        '12時間',
      ]) {
        expect(html.body).toContain(text);
      }
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/v1/agreements/${ag.json.id}/document?format=docx`,
        headers: { authorization: `Bearer ${await tokenFor(w.emails['a.owner'] as string)}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('wordprocessingml');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="[^"]+\.docx"; filename\*=UTF-8''/,
      );
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });

  async function tokenFor(email: string): Promise<string> {
    const { createApiToken } = await import('../../src/app/auth/sessions.js');
    return (await createApiToken(h.ctx, email)).token;
  }
});
