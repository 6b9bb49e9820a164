import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { login } from '../../src/app/auth/sessions.js';
import { loadObligationInputs } from '../../src/app/incidents/obligations.js';
import { findAgreement } from '../../src/persistence/repositories/agreements.js';
import { findIncident } from '../../src/persistence/repositories/incidents.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, PASSWORD, seedWorld, snapshot, type Client, type World } from '../support/fixtures.js';

/** Every table a consultation writes to, besides the fixtures' snapshot. */
async function fullSnapshot(ctx: AppContext): Promise<string> {
  const rows: Record<string, unknown> = { base: await snapshot(ctx) };
  for (const t of ['consultations', 'consultation_messages', 'obligation_clocks'] as const) {
    rows[t] = await ctx.db.kysely.selectFrom(t).selectAll().execute();
  }
  return JSON.stringify(rows);
}

/** Art 12 consultations (issue 9 item 6). The harness clock is 2026-11-28T01:00:00Z. */
forEachDialect('consultations (Art 12)', (h) => {
  let w: World;
  let agreementId: string;

  const sharedIncident = async () => {
    const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '委託先サーバーへの不正アクセス',
      suspected: true,
      discoveredAt: '2026-11-27T23:40:00+09:00',
    });
    expect(inc.status, inc.body).toBe(201);
    expect(
      (await w.b.responder.post(`/api/v1/incidents/${inc.json.id}/notices`, { items: FIRST_ITEMS })).status,
    ).toBe(201);
    return inc.json.id as string;
  };
  const open = (as: Client, body: Record<string, unknown>) => as.post('/api/v1/consultations', body);
  const url = (id: string, rest = '') => `/api/v1/consultations/${id}${rest}`;

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    const res = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn: '2026-04-01',
    });
    agreementId = res.json.id;
  });

  it('A opens a consultation on the incident, both write, A proposes, B (the other party) confirms: agreed; the engine reads it; re-confirming is 409', async () => {
    const incidentId = await sharedIncident();
    const opened = await open(w.a.responder, {
      subjectType: 'incident',
      subjectId: incidentId,
      topic: '再委託先への調査範囲について',
    });
    expect(opened.status, opened.body).toBe(201);
    expect(opened.json).toMatchObject({
      incidentId,
      agreementId,
      subjectType: 'incident',
      subjectId: incidentId,
      subjectLabel: { ja: '事故' },
      openedByParty: 'A',
      state: 'open',
      outcome: null,
      messages: [],
    });
    const id = opened.json.id as string;
    expect(id).toMatch(/^cns_/);
    expect(
      (await w.b.responder.post(url(id, '/messages'), { body: '再委託先のログは当社から依頼します。' }))
        .status,
    ).toBe(201);
    const msg = await w.a.legal.post(url(id, '/messages'), { body: '了解しました。' });
    expect(msg.status).toBe(201);
    expect(msg.json.messages.map((m: { byParty: string }) => m.byParty)).toEqual(['B', 'A']);

    const proposed = await w.a.legal.post(url(id, '/outcome'), {
      text: '乙が再委託先のログを12月5日までに取得し、甲に共有する。',
    });
    expect(proposed.status, proposed.body).toBe(200);
    expect(proposed.json).toMatchObject({ state: 'proposed', outcomeByParty: 'A' });
    // The proposer's own side cannot confirm it; a responder of the other side has not the role.
    const before = await fullSnapshot(h.ctx);
    const own = await w.a.owner.post(url(id, '/confirmation'), {});
    expect([own.status, own.json.code]).toEqual([403, 'FORBIDDEN']);
    expect((await w.b.responder.post(url(id, '/confirmation'), {})).status).toBe(403);
    expect(await fullSnapshot(h.ctx)).toBe(before);

    h.clock.set('2026-11-28T03:00:00Z');
    const agreed = await w.b.legal.post(url(id, '/confirmation'), {});
    expect(agreed.status, agreed.body).toBe(200);
    expect(agreed.json).toMatchObject({
      state: 'agreed',
      outcome: '乙が再委託先のログを12月5日までに取得し、甲に共有する。',
      agreedAt: '2026-11-28T03:00:00.000Z',
    });
    expect(agreed.json.messages.map((m: { kind: string }) => m.kind)).toEqual([
      'message',
      'message',
      'outcome_proposed',
      'outcome_confirmed',
    ]);
    h.clock.set('2026-11-28T01:00:00Z');

    // Closed once agreed: no second confirmation, proposal or message; nothing changes.
    const afterAgreed = await fullSnapshot(h.ctx);
    for (const [c, path, body] of [
      [w.b.owner, '/confirmation', {}],
      [w.a.owner, '/confirmation', {}],
      [w.b.owner, '/outcome', { text: '別案' }],
      [w.a.responder, '/messages', { body: '追記' }],
    ] as const) {
      const res = await c.post(url(id, path), body);
      expect([res.status, res.json.code], path).toEqual([409, 'CONSULTATION_AGREED']);
    }
    expect(await fullSnapshot(h.ctx)).toBe(afterAgreed);

    // Both parties read it, one by id and in the incident's list; the audit chain has each step.
    for (const c of [w.a.viewer, w.b.viewer]) {
      expect((await c.get(url(id))).json.state).toBe('agreed');
      const list = await c.get(`/api/v1/incidents/${incidentId}/consultations`);
      expect(list.json.items.map((x: { id: string }) => x.id)).toEqual([id]);
    }
    const audit = JSON.stringify(
      (await w.a.owner.get(`/api/v1/agreements/${agreementId}/audit-events`)).json,
    );
    for (const action of ['consultation.opened', 'consultation.outcome_proposed', 'consultation.agreed'])
      expect(audit).toContain(action);

    // Mail: the other party hears of the opening and of the proposal; the proposer of the agreement.
    const mails = await listOutbox(h.ctx.db, 'mail');
    const recipients = (prefix: string) =>
      mails
        .filter((m) => m.dedupe_key.startsWith(prefix))
        .map((m) => (JSON.parse(m.payload) as { to: string }).to)
        .sort();
    const bActing = [w.emails['b.legal'], w.emails['b.owner'], w.emails['b.responder']].sort();
    const aActing = [w.emails['a.legal'], w.emails['a.owner'], w.emails['a.responder']].sort();
    expect(recipients(`consultation.opened:${id}:`)).toEqual(bActing);
    expect(recipients('consultation.outcome_proposed:')).toEqual(bActing);
    expect(recipients(`consultation.agreed:${id}:`)).toEqual(aActing);
    const proposalMail = mails.find((m) => m.dedupe_key.startsWith('consultation.outcome_proposed:'))!;
    expect((JSON.parse(proposalMail.payload) as { text: string }).text).toContain(
      '乙が再委託先のログを12月5日までに取得し、甲に共有する。',
    );

    // The obligation engine's inputs carry the agreed consultation (subject and time), for clauses
    // met by an agreed consultation on their subject (Art 6.2).
    const incident = (await findIncident(h.ctx.db, incidentId))!;
    const agreement = (await findAgreement(h.ctx.db, agreementId))!;
    const [inputs] = await loadObligationInputs(h.ctx.db, [incident], new Map([[agreement.id, agreement]]));
    expect(inputs!.agreedConsultations).toEqual([
      {
        id,
        subjectType: 'incident',
        subjectId: incidentId,
        agreedAtMs: Date.parse('2026-11-28T03:00:00.000Z'),
      },
    ]);

    // The minutes (協議記録) as DOCX.
    const docx = await w.b.viewer.get(url(id, '/minutes.docx'));
    expect(docx.status).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(String(docx.headers['content-disposition'])).toContain('attachment');
    const raw = await h.app.inject({
      method: 'GET',
      url: url(id, '/minutes.docx'),
      headers: { cookie: `bp_session=${(await login(h.ctx, w.emails['b.viewer']!, PASSWORD)).token}` },
    });
    const xml = strFromU8(unzipSync(new Uint8Array(raw.rawPayload))['word/document.xml']!);
    for (const text of [
      '協議記録',
      '甲商事株式会社',
      '乙システム株式会社',
      '再委託先への調査範囲について',
      '再委託先のログは当社から依頼します。',
      '合意案の提示',
      '乙が再委託先のログを12月5日までに取得し、甲に共有する。',
      '上記のとおり甲乙合意した（2026年11月28日（土）12時00分',
    ])
      expect(xml, text).toContain(text);
  });

  it('a proposal can be replaced by a counter-proposal of the other party, which the first party then confirms', async () => {
    const incidentId = await sharedIncident();
    const id = (await open(w.b.owner, { subjectType: 'incident', subjectId: incidentId, topic: '費用負担' }))
      .json.id;
    expect(
      (await w.b.owner.post(url(id, '/outcome'), { text: '甲乙で折半する。' })).json.outcomeByParty,
    ).toBe('B');
    expect(
      (await w.a.owner.post(url(id, '/outcome'), { text: '乙が全額負担する。' })).json.outcomeByParty,
    ).toBe('A');
    expect((await w.a.legal.post(url(id, '/confirmation'), {})).status).toBe(403);
    const ok = await w.b.owner.post(url(id, '/confirmation'), {});
    expect(ok.json).toMatchObject({ state: 'agreed', outcome: '乙が全額負担する。' });
  });

  it('a consultation about a cooperation request (subject registry)', async () => {
    const incidentId = await sharedIncident();
    const req = await w.a.owner.post(`/api/v1/incidents/${incidentId}/cooperation-requests`, {
      category: 'evidence_and_logs',
      details: 'ログ提供',
    });
    expect(
      (
        await w.b.owner.post(`/api/v1/cooperation-requests/${req.json.id}/response`, {
          decision: 'declined',
          reason: '保存期間を過ぎている',
        })
      ).status,
    ).toBe(200);
    const res = await open(w.a.owner, {
      subjectType: 'cooperation_request',
      subjectId: req.json.id,
      topic: '拒否理由について',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({
      incidentId,
      subjectType: 'cooperation_request',
      subjectLabel: { ja: '協力要請（第4条第2項第7号）', en: 'cooperation request (Art 4.2(7))' },
    });
    expect(
      (
        await w.c.owner.post('/api/v1/consultations', {
          subjectType: 'cooperation_request',
          subjectId: req.json.id,
          topic: 'x',
        })
      ).json.code,
    ).toBe('CONSULTATION_SUBJECT_NOT_FOUND');
  });

  it('refused and changing nothing: unknown subject type, unknown subject, empty topic or message, confirming without a proposal, an incident not yet notified', async () => {
    const incidentId = await sharedIncident();
    const id = (await open(w.a.owner, { subjectType: 'incident', subjectId: incidentId, topic: '議題' })).json
      .id;
    const hidden = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '未通知',
      suspected: true,
      discoveredAt: '2026-11-28T09:00:00+09:00',
    });
    const before = await fullSnapshot(h.ctx);
    const cases: Array<[Promise<{ status: number; json: { code: string } }>, number, string]> = [
      [
        open(w.a.owner, { subjectType: 'contract', subjectId: incidentId, topic: 'x' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        open(w.a.owner, { subjectType: 'incident', subjectId: 'inc_nope', topic: 'x' }),
        404,
        'CONSULTATION_SUBJECT_NOT_FOUND',
      ],
      [
        open(w.a.owner, { subjectType: 'incident', subjectId: incidentId, topic: '  ' }),
        400,
        'VALIDATION_FAILED',
      ],
      [open(w.a.owner, { subjectType: 'incident', subjectId: incidentId }), 400, 'VALIDATION_FAILED'],
      [w.a.owner.post(url(id, '/messages'), { body: '' }), 400, 'VALIDATION_FAILED'],
      [w.a.owner.post(url(id, '/outcome'), { text: ' ' }), 400, 'VALIDATION_FAILED'],
      [w.b.owner.post(url(id, '/confirmation'), {}), 409, 'CONSULTATION_NO_OUTCOME'],
      [
        w.b.owner.post(url('cns_00000000000000000000000000', '/messages'), { body: 'x' }),
        404,
        'CONSULTATION_NOT_FOUND',
      ],
      [
        open(w.b.owner, { subjectType: 'incident', subjectId: hidden.json.id, topic: 'x' }),
        409,
        'CONSULTATION_BEFORE_NOTICE',
      ],
      [
        open(w.a.owner, { subjectType: 'incident', subjectId: hidden.json.id, topic: 'x' }),
        404,
        'CONSULTATION_SUBJECT_NOT_FOUND',
      ],
    ];
    for (const [call, status, code] of cases) {
      const res = await call;
      expect([res.status, res.json.code]).toEqual([status, code]);
    }
    expect(await fullSnapshot(h.ctx)).toBe(before);
  });

  it('access: no session 401, another company 404, the administrator 403, viewers 403 on writes, responders 403 on outcome and confirmation', async () => {
    const incidentId = await sharedIncident();
    const id = (await open(w.a.owner, { subjectType: 'incident', subjectId: incidentId, topic: '議題' })).json
      .id;
    expect((await w.a.owner.post(url(id, '/outcome'), { text: '案' })).status).toBe(200);
    const before = await fullSnapshot(h.ctx);
    const calls: Array<[string, (c: Client) => Promise<{ status: number }>, boolean]> = [
      ['open', (c) => open(c, { subjectType: 'incident', subjectId: incidentId, topic: 'x' }), true],
      ['get', (c) => c.get(url(id)), false],
      ['list', (c) => c.get(`/api/v1/incidents/${incidentId}/consultations`), false],
      ['message', (c) => c.post(url(id, '/messages'), { body: 'x' }), true],
      ['outcome', (c) => c.post(url(id, '/outcome'), { text: 'x' }), true],
      ['confirm', (c) => c.post(url(id, '/confirmation'), {}), true],
      ['minutes', (c) => c.get(url(id, '/minutes.docx')), false],
    ];
    for (const [name, call, writes] of calls) {
      expect((await call(w.anon)).status, `${name} anon`).toBe(401);
      expect((await call(w.c.owner)).status, `${name} other company`).toBe(404);
      expect((await call(w.admin)).status, `${name} admin`).toBe(403);
      if (writes) {
        expect((await call(w.a.viewer)).status, `${name} viewer`).toBe(403);
        expect((await call(w.b.viewer)).status, `${name} viewer`).toBe(403);
      }
    }
    expect((await w.a.responder.post(url(id, '/outcome'), { text: 'x' })).status).toBe(403);
    expect((await w.b.responder.post(url(id, '/confirmation'), {})).status).toBe(403);
    expect(await fullSnapshot(h.ctx)).toBe(before);
  });
});
