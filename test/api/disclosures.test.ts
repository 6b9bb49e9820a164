import { beforeAll, describe, expect, it } from 'vitest';
import { toActor } from '../../src/app/auth/sessions.js';
import { resolveConsultationSubject } from '../../src/app/consultations/subjects.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { findUserByEmail } from '../../src/persistence/repositories/users.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, type Client, type World } from '../support/fixtures.js';

/** Every table a disclosure could touch, to assert that refused requests change nothing. */
async function snapshot(db: { kysely: any }): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const t of ['disclosures', 'disclosure_packages', 'audit_events', 'outbox']) {
    out[t] = await db.kysely.selectFrom(t).selectAll().orderBy('id').execute();
  }
  return JSON.stringify(out);
}

const CONSENT = {
  recipient: '東京海上日動火災保険株式会社',
  purpose: 'サイバー保険の保険金請求',
  scope: '第一報の内容と影響件数',
  basis: 'consent',
};
const COURT = {
  recipient: '東京地方裁判所',
  purpose: '文書提出命令への対応',
  scope: '事故の概要、通知の記録',
  basis: 'court_order',
  basisReference: '令和8年（モ）第1234号 文書提出命令',
};

/** Art 5 third-party disclosures (issue 9 item 4). Harness clock: 2026-11-28T01:00:00Z. */
forEachDialect('third-party disclosures (Art 5)', { env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }, (h) => {
  let w: World;
  let agreementId: string;
  let incidentId: string;
  const hooks: Record<string, string> = {};

  const agreement = async (body: Record<string, unknown> = {}) => {
    const r = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn: '2026-04-01',
      ...body,
    });
    expect(r.status, r.body).toBe(201);
    return r.json.id as string;
  };
  const incident = async (on: string, discoveredAt = '2026-11-27T23:40:00+09:00', notify = true) => {
    const inc = await w.b.responder.post(`/api/v1/agreements/${on}/incidents`, {
      reportingParty: 'B',
      title: '再委託先でのマルウェア感染',
      suspected: true,
      discoveredAt,
    });
    expect(inc.status, inc.body).toBe(201);
    if (notify) {
      const n = await w.b.responder.post(`/api/v1/incidents/${inc.json.id}/notices`, { items: FIRST_ITEMS });
      expect(n.status, n.body).toBe(201);
    }
    return inc.json.id as string;
  };
  const file = (body: Record<string, unknown>, as: Client = w.b.responder, on = incidentId) =>
    as.post(`/api/v1/incidents/${on}/disclosures`, body);
  const mails = async (prefix: string) =>
    (await listOutbox(h.db, 'mail'))
      .filter((m) => m.dedupe_key.startsWith(prefix))
      .map((m) => JSON.parse(m.payload) as { to: string; subject: string; text: string });
  const webhooks = async (type: string, id: string) =>
    (await listOutbox(h.db, 'webhook'))
      .map(
        (r) =>
          JSON.parse(r.payload) as {
            webhookId: string;
            body: { type: string; data: { disclosureId: string } };
          },
      )
      .filter((p) => p.body.type === type && p.body.data.disclosureId === id)
      .map((p) => hooks[p.webhookId])
      .sort();
  const emails = (...keys: string[]) => keys.map((k) => w.emails[k]).sort();

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = await agreement();
    incidentId = await incident(agreementId);
    for (const [who, org] of [
      ['a', w.orgA.id],
      ['b', w.orgB.id],
    ] as const) {
      const res = await w[who].owner.post(`/api/v1/organizations/${org}/webhooks`, {
        url: `http://127.0.0.1:9/${who}`,
        events: ['disclosure.filed', 'disclosure.decided', 'disclosure.disclosed'],
      });
      expect(res.status, res.body).toBe(201);
      hooks[res.json.id as string] = who;
    }
  });

  it('consent path: pending until the counterparty’s legal or owner decides; the filing party never decides its own (403); a second decision is 409', async () => {
    const filed = await file(CONSENT);
    expect(filed.status, filed.body).toBe(201);
    expect(filed.json).toMatchObject({
      incidentId,
      byParty: 'B',
      state: 'pending_consent',
      clause: '5.1',
      basisReference: null,
      stateLabel: { ja: '承諾待ち' },
      decidedAt: null,
      priorNotice: null,
      packages: [],
    });
    const id = filed.json.id as string;
    // The counterparty is asked by mail (its acting users) and webhook.
    const asked = await mails(`disclosure_consent_requested:${id}`);
    expect(asked.map((m) => m.to).sort()).toEqual(emails('a.owner', 'a.legal', 'a.responder'));
    expect(asked[0]?.subject).toContain('第5条第1項');
    expect(asked[0]?.text).toContain(CONSENT.recipient);
    expect(await webhooks('disclosure.filed', id)).toEqual(['a', 'b']);

    const decide = `/api/v1/disclosures/${id}/decision`;
    const before = await snapshot(h.db);
    for (const who of [w.b.owner, w.b.legal]) {
      const own = await who.post(decide, { decision: 'consented' });
      expect(own.status).toBe(403);
      expect(own.json.code).toBe('FORBIDDEN');
      expect(own.json.messageJa).toContain('第5条第1項');
    }
    expect((await w.a.responder.post(decide, { decision: 'consented' })).status).toBe(403);
    expect((await w.a.viewer.post(decide, { decision: 'consented' })).status).toBe(403);
    expect((await w.a.legal.post(decide, { decision: 'maybe' })).status).toBe(400);
    expect(await snapshot(h.db)).toBe(before);

    h.clock.advance({ hours: 2 });
    const consented = await w.a.legal.post(decide, { decision: 'consented', conditions: '氏名は伏せること' });
    expect(consented.status, consented.body).toBe(200);
    expect(consented.json).toMatchObject({
      state: 'consented',
      conditions: '氏名は伏せること',
      decidedAt: '2026-11-28T03:00:00.000Z',
    });
    expect((await mails(`disclosure_decided:${id}`)).map((m) => m.to).sort()).toEqual(
      emails('b.owner', 'b.legal', 'b.responder'),
    );
    expect(await webhooks('disclosure.decided', id)).toEqual(['a', 'b']);

    const again = await snapshot(h.db);
    const second = await w.a.owner.post(decide, { decision: 'refused', reason: '再考' });
    expect(second.status).toBe(409);
    expect(second.json.code).toBe('DISCLOSURE_DECIDED');
    expect(await snapshot(h.db)).toBe(again);

    // Recording the disclosure: not before the consent (409 CONSENT_REQUIRED), only by the filing party.
    const disclosed = `/api/v1/disclosures/${id}/disclosed`;
    const early = await w.b.responder.post(disclosed, { disclosedAt: '2026-11-28T02:59:00Z' });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('CONSENT_REQUIRED');
    expect(early.json.messageJa).toContain('承諾より前');
    expect((await w.a.owner.post(disclosed, { disclosedAt: '2026-11-28T03:00:00Z' })).status).toBe(403);
    expect((await w.b.responder.post(disclosed, { disclosedAt: '2026-11-29T03:10:00Z' })).status).toBe(400); // future
    expect(await snapshot(h.db)).toBe(again);
    const done = await w.b.responder.post(disclosed, { disclosedAt: '2026-11-28T03:00:00Z' });
    expect(done.status, done.body).toBe(200);
    expect(done.json).toMatchObject({
      disclosedAt: '2026-11-28T03:00:00.000Z',
      priorNotice: true,
      priorNoticeLabel: { ja: '事前通知あり' },
    });
    expect(await webhooks('disclosure.disclosed', id)).toEqual(['a', 'b']);
    const twice = await w.b.responder.post(disclosed, { disclosedAt: '2026-11-28T03:00:00Z' });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('DISCLOSURE_ALREADY_RECORDED');
  });

  it('a pending or refused disclosure cannot be recorded as made (409 CONSENT_REQUIRED)', async () => {
    const pending = (await file(CONSENT)).json.id as string;
    const before = await snapshot(h.db);
    const r = await w.b.owner.post(`/api/v1/disclosures/${pending}/disclosed`, {
      disclosedAt: '2026-11-28T02:00:00Z',
    });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('CONSENT_REQUIRED');
    expect(await snapshot(h.db)).toBe(before);
    const refused = await w.a.owner.post(`/api/v1/disclosures/${pending}/decision`, {
      decision: 'refused',
      reason: '顧客の同意が得られていない',
    });
    expect(refused.json).toMatchObject({
      state: 'refused',
      decisionReason: '顧客の同意が得られていない',
      conditions: null,
    });
    const after = await w.b.owner.post(`/api/v1/disclosures/${pending}/disclosed`, {
      disclosedAt: '2026-11-28T02:00:00Z',
    });
    expect(after.status).toBe(409);
    expect(after.json.code).toBe('CONSENT_REQUIRED');
  });

  it('exception path (Art 5.1 proviso): excepted at once, the counterparty told at once by mail and webhook (Art 5.2); a disclosure before that is marked 事前通知なし', async () => {
    const filed = await file(COURT, w.b.legal);
    expect(filed.status, filed.body).toBe(201);
    const id = filed.json.id as string;
    expect(filed.json).toMatchObject({
      state: 'excepted',
      clause: '5.1 proviso',
      basisReference: COURT.basisReference,
      counterpartyNotifiedAt: filed.json.filedAt,
    });
    const told = await mails(`disclosure_excepted:${id}`);
    expect(told.map((m) => m.to).sort()).toEqual(emails('a.owner', 'a.legal', 'a.responder'));
    expect(told.find((m) => m.to === w.emails['a.owner'])?.subject).toContain('事前通知');
    expect(told[0]?.text).toContain(COURT.basisReference);
    expect(await webhooks('disclosure.filed', id)).toEqual(['a', 'b']);
    // No consent to give: a decision is refused.
    const d = await w.a.legal.post(`/api/v1/disclosures/${id}/decision`, { decision: 'refused' });
    expect(d.status).toBe(409);
    expect(d.json.code).toBe('DISCLOSURE_DECIDED');
    // Disclosed an hour before it was filed (the court's deadline came first).
    const before = new Date(Date.parse(filed.json.filedAt) - 3_600_000).toISOString();
    const done = await w.b.legal.post(`/api/v1/disclosures/${id}/disclosed`, { disclosedAt: before });
    expect(done.status, done.body).toBe(200);
    expect(done.json).toMatchObject({
      priorNotice: false,
      priorNoticeLabel: { ja: '事前通知なし', en: 'Not notified beforehand' },
    });
    const late = await mails(`disclosure_disclosed:${id}`);
    expect(late.map((m) => m.to).sort()).toEqual(emails('a.owner', 'a.legal', 'a.responder'));
    expect(late[0]?.text).toContain('事前通知なし');

    // One disclosed after the filing had prior notice.
    const law = await file({ ...COURT, basis: 'law', basisReference: '個人情報保護法第26条' });
    const after = await w.b.owner.post(`/api/v1/disclosures/${law.json.id}/disclosed`, {
      disclosedAt: new Date(Date.parse(law.json.filedAt) + 60_000).toISOString(),
    });
    expect(after.status, after.body).toBe(200);
    expect(after.json.priorNotice).toBe(true);
  });

  it('bad input: missing recipient or purpose, unknown basis, an exception without a reference — 400 problem+json in Japanese and English, nothing changes', async () => {
    const before = await snapshot(h.db);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...CONSENT, recipient: undefined }, 'recipient'],
      [{ ...CONSENT, recipient: '  ' }, 'recipient'],
      [{ ...CONSENT, purpose: undefined }, 'purpose'],
      [{ ...CONSENT, purpose: '' }, 'purpose'],
      [{ ...CONSENT, scope: undefined }, 'scope'],
      [{ ...CONSENT, basis: 'insurer' }, 'basis'],
      [{ ...CONSENT, basis: undefined }, 'basis'],
      [{ ...COURT, basisReference: undefined }, 'basisReference'],
      [{ ...COURT, basis: 'law', basisReference: '   ' }, 'basisReference'],
      [{ ...COURT, basis: 'authority_request', basisReference: undefined }, 'basisReference'],
      [{ ...CONSENT, extra: true }, ''],
    ];
    for (const [body, path] of cases) {
      const r = await file(JSON.parse(JSON.stringify(body)));
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json.messageJa).toBeTruthy();
      expect(r.json.messageEn).toBeTruthy();
      if (path) expect(JSON.stringify(r.json), JSON.stringify(body)).toContain(path);
    }
    const noRef = await file({ ...COURT, basisReference: undefined });
    expect(noRef.json.messageJa).toContain('第5条第1項ただし書');
    expect(await snapshot(h.db)).toBe(before);
  });

  it('before the first notice the counterparty has not been told of the incident: no disclosure can be filed (409)', async () => {
    const own = await incident(agreementId, '2026-11-28T09:00:00+09:00', false);
    const before = await snapshot(h.db);
    const r = await file(CONSENT, w.b.owner, own);
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('DISCLOSURE_BEFORE_NOTICE');
    expect((await file(CONSENT, w.a.owner, own)).status).toBe(404);
    expect(await snapshot(h.db)).toBe(before);
  });

  it('the register: both parties (viewers too) see every disclosure, oldest first; either party files its own', async () => {
    const byA = await file({ ...CONSENT, recipient: '甲の監査法人' }, w.a.responder);
    expect(byA.status, byA.body).toBe(201);
    expect(byA.json.byParty).toBe('A');
    // B decides A's request.
    expect(
      (await w.b.owner.post(`/api/v1/disclosures/${byA.json.id}/decision`, { decision: 'consented' })).status,
    ).toBe(200);
    const a = await w.a.viewer.get(`/api/v1/incidents/${incidentId}/disclosures`);
    const b = await w.b.viewer.get(`/api/v1/incidents/${incidentId}/disclosures`);
    expect(a.status).toBe(200);
    expect(a.json).toEqual(b.json);
    const items = a.json.items as Array<{ filedAt: string; recipient: string; byParty: string }>;
    expect(items.length).toBeGreaterThanOrEqual(5);
    expect(items.map((d) => d.filedAt)).toEqual([...items.map((d) => d.filedAt)].sort());
    expect(items.at(-1)).toMatchObject({ recipient: '甲の監査法人', byParty: 'A' });
  });

  it('a disclosure is a consultation subject (Art 12): both parties resolve it to its incident; another company gets 404', async () => {
    const id = (await file(CONSENT)).json.id as string;
    const actor = async (key: string) => toActor((await findUserByEmail(h.db, w.emails[key]!))!);
    for (const key of ['a.legal', 'b.responder']) {
      const subject = await resolveConsultationSubject(
        h.db,
        await actor(key),
        'disclosure',
        id,
        'consultation.write',
      );
      expect(subject.incident.id).toBe(incidentId);
      expect(subject.label.ja).toBe(`第三者開示（第5条）：${CONSENT.recipient}`);
    }
    await expect(
      resolveConsultationSubject(h.db, await actor('c.owner'), 'disclosure', id, 'consultation.write'),
    ).rejects.toMatchObject({ code: 'CONSULTATION_SUBJECT_NOT_FOUND' });
    await expect(
      resolveConsultationSubject(
        h.db,
        await actor('a.legal'),
        'disclosure',
        'dsc_00000000000000000000000000',
        'consultation.write',
      ),
    ).rejects.toMatchObject({ code: 'CONSULTATION_SUBJECT_NOT_FOUND' });
    // Through the API: a refused disclosure talked over (Art 12).
    const opened = await w.a.legal.post('/api/v1/consultations', {
      subjectType: 'disclosure',
      subjectId: id,
      topic: '開示範囲の限定について',
    });
    expect(opened.status, opened.body).toBe(201);
    expect(opened.json).toMatchObject({ subjectType: 'disclosure', subjectId: id });
    const outsider = await w.c.owner.post('/api/v1/consultations', {
      subjectType: 'disclosure',
      subjectId: id,
      topic: 'x',
    });
    expect(outsider.status).toBe(404);
  });

  describe('access on every endpoint', () => {
    it('no session 401, wrong role 403, another company 404, the administrator 403', async () => {
      const pending = (await file(CONSENT)).json.id as string;
      const before = await snapshot(h.db);
      const endpoints: Array<{ method: 'get' | 'post'; url: string; body?: unknown; viewer: Client }> = [
        {
          method: 'post',
          url: `/api/v1/incidents/${incidentId}/disclosures`,
          body: CONSENT,
          viewer: w.b.viewer,
        },
        { method: 'get', url: `/api/v1/incidents/${incidentId}/disclosures`, viewer: w.b.viewer },
        {
          method: 'post',
          url: `/api/v1/disclosures/${pending}/decision`,
          body: { decision: 'consented' },
          viewer: w.a.viewer,
        },
        {
          method: 'post',
          url: `/api/v1/disclosures/${pending}/disclosed`,
          body: { disclosedAt: '2026-11-28T01:00:00Z' },
          viewer: w.b.viewer,
        },
        { method: 'post', url: `/api/v1/disclosures/${pending}/package`, body: {}, viewer: w.b.viewer },
      ];
      for (const e of endpoints) {
        const call = (c: Client) => (e.method === 'get' ? c.get(e.url) : c.post(e.url, e.body));
        expect((await call(w.anon)).status, e.url).toBe(401);
        if (e.method === 'post') expect((await call(e.viewer)).status, e.url).toBe(403);
        expect((await call(w.c.owner)).status, e.url).toBe(404);
        expect((await call(w.c.legal)).status, e.url).toBe(404);
        const admin = await call(w.admin);
        expect(admin.status, e.url).toBe(403);
        expect(admin.json.messageJa).toContain('インスタンス管理者');
      }
      // Unknown disclosures are 404.
      expect(
        (
          await w.a.owner.post('/api/v1/disclosures/dsc_00000000000000000000000000/decision', {
            decision: 'refused',
          })
        ).json.code,
      ).toBe('DISCLOSURE_NOT_FOUND');
      expect(await snapshot(h.db)).toBe(before);
    });
  });

  describe('survival (Art 11.3)', () => {
    const ended = async (survivingArticles?: number[]) => {
      // Signed 2026-08-31 for two months without renewal: ended on 2026-10-31.
      h.clock.set('2026-10-20T01:00:00Z');
      const id = await agreement({
        signedOn: '2026-08-31',
        parameters: { termMonths: 2, renewalMonths: 0, ...(survivingArticles ? { survivingArticles } : {}) },
      });
      const inc = await incident(id, '2026-10-19T10:00:00+09:00');
      const pending = await file(CONSENT, w.b.owner, inc);
      expect(pending.status, pending.body).toBe(201);
      h.clock.set('2026-11-28T01:00:00Z');
      expect((await w.a.owner.get(`/api/v1/agreements/${id}`)).json.term.status).toBe('expired');
      return { inc, pending: pending.json.id as string };
    };

    it('by default Art 5 survives: on a past incident disclosures are filed, decided, recorded and packaged after the end', async () => {
      const { inc, pending } = await ended();
      const filed = await file(COURT, w.b.owner, inc);
      expect(filed.status, filed.body).toBe(201);
      const decided = await w.a.owner.post(`/api/v1/disclosures/${pending}/decision`, {
        decision: 'consented',
      });
      expect(decided.status, decided.body).toBe(200);
      const recorded = await w.b.owner.post(`/api/v1/disclosures/${pending}/disclosed`, {
        disclosedAt: '2026-11-28T01:00:00Z',
      });
      expect(recorded.status, recorded.body).toBe(200);
      const pkg = await w.b.owner.post(`/api/v1/disclosures/${pending}/package`, { includeIncident: true });
      expect(pkg.status, pkg.body).toBe(200);
      expect(pkg.headers['content-type']).toBe('application/zip');
    });

    it('an agreement whose parties dropped Art 5 from survival refuses disclosures after its end (409 AGREEMENT_NOT_ACTIVE), changing nothing', async () => {
      const { inc, pending } = await ended([8, 9]);
      const before = await snapshot(h.db);
      for (const r of [
        await file(COURT, w.b.owner, inc),
        await w.a.owner.post(`/api/v1/disclosures/${pending}/decision`, { decision: 'consented' }),
        await w.b.owner.post(`/api/v1/disclosures/${pending}/disclosed`, {
          disclosedAt: '2026-11-28T01:00:00Z',
        }),
        await w.b.owner.post(`/api/v1/disclosures/${pending}/package`, {}),
      ]) {
        expect(r.status, r.body).toBe(409);
        expect(r.json.code).toBe('AGREEMENT_NOT_ACTIVE');
        expect(r.json.article).toBe(5);
      }
      expect(await snapshot(h.db)).toBe(before);
      // The register still reads.
      expect((await w.a.viewer.get(`/api/v1/incidents/${inc}/disclosures`)).json.items).toHaveLength(1);
    });
  });
});
