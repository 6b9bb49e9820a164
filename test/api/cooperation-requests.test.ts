import { beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, snapshot, type Client, type World } from '../support/fixtures.js';

type Obl = {
  id: string;
  clause: string;
  owedBy: string;
  owedTo: string;
  state: string;
  [k: string]: unknown;
};

const mailOf = (row: { payload: string }) =>
  JSON.parse(row.payload) as { to: string; subject: string; text: string };

/** Every table a cooperation request writes to, besides the fixtures' snapshot. */
async function fullSnapshot(ctx: AppContext): Promise<string> {
  const rows: Record<string, unknown> = { base: await snapshot(ctx) };
  for (const t of ['cooperation_requests', 'obligation_clocks'] as const) {
    rows[t] = await ctx.db.kysely.selectFrom(t).selectAll().execute();
  }
  return JSON.stringify(rows);
}

/**
 * Art 4.2 cooperation requests (issue 9 item 1). The harness clock is 2026-11-28T01:00:00Z
 * (10:00 in Tokyo); each test sets it back there.
 */
// Sessions outlive the clock jumps of these tests (days).
forEachDialect('cooperation requests (Art 4.2)', { env: { SESSION_TTL_HOURS: '10000' } }, (h) => {
  let w: World;
  let agreementId: string;

  const agreement = async (body: Record<string, unknown> = {}) => {
    const res = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn: '2026-04-01',
      ...body,
    });
    expect(res.status, res.body).toBe(201);
    return res.json.id as string;
  };

  /** An incident on B's side, notified to A (so both parties see it). */
  const sharedIncident = async (on = agreementId, discoveredAt = '2026-11-27T23:40:00+09:00') => {
    const inc = await w.b.responder.post(`/api/v1/agreements/${on}/incidents`, {
      reportingParty: 'B',
      title: '再委託先でのマルウェア感染',
      suspected: true,
      discoveredAt,
    });
    expect(inc.status, inc.body).toBe(201);
    const n = await w.b.responder.post(`/api/v1/incidents/${inc.json.id}/notices`, { items: FIRST_ITEMS });
    expect(n.status, n.body).toBe(201);
    return inc.json.id as string;
  };
  const ask = (as: Client, incidentId: string, body: Record<string, unknown>) =>
    as.post(`/api/v1/incidents/${incidentId}/cooperation-requests`, body);
  const respond = (as: Client, requestId: string, body: Record<string, unknown>) =>
    as.post(`/api/v1/cooperation-requests/${requestId}/response`, body);
  const obligations = async (incidentId: string, as: Client = w.a.owner) => {
    const res = await as.get(`/api/v1/incidents/${incidentId}/obligations`);
    expect(res.status, res.body).toBe(200);
    return res.json.items as Obl[];
  };
  const duty = (list: Obl[], clause: string, sourceId: string) =>
    list.find((o) => o.clause === clause && o.sourceId === sourceId);

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = await agreement();
  });

  it('A asks B for logs (4.2(7)): the reply, the default due time (72 h), the duty on B in the incident, the work queue and the reminder clocks, mail and audit', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const incidentId = await sharedIncident();
    const res = await ask(w.a.responder, incidentId, {
      category: 'evidence_and_logs',
      details: '11月20日から27日までのVPN接続ログとプロキシログの提出をお願いします。',
    });
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({
      incidentId,
      fromParty: 'A',
      toParty: 'B',
      category: 'evidence_and_logs',
      categoryLabel: { ja: '証拠保全及びログ解析' },
      clause: '4.2(7)',
      state: 'requested',
      requestedAt: '2026-11-28T01:00:00.000Z',
      dueAt: '2026-12-01T01:00:00.000Z',
      reason: null,
      answer: null,
      evidenceIds: [],
    });
    expect(res.json.id).toMatch(/^cor_/);
    const o = duty(await obligations(incidentId), '4.2(7)', res.json.id);
    expect(o).toMatchObject({
      owedBy: 'B',
      owedTo: 'A',
      state: 'open',
      startsAt: '2026-11-28T01:00:00.000Z',
      dueAt: '2026-12-01T01:00:00.000Z',
      sourceType: 'cooperation_request',
      title: { ja: '第4条第2項第7号 協力の求めへの回答（証拠保全及びログ解析）' },
      basis: { article: '第4条第2項第7号', parameter: 'cooperationResponseHours' },
    });
    // B's work queue has it as its own duty; A's lists it as owed by them.
    const queueB = (await w.b.responder.get('/api/v1/obligations?owedBy=us')).json.items as Obl[];
    expect(queueB.some((x) => x.id === o?.id)).toBe(true);
    const queueA = (await w.a.owner.get('/api/v1/obligations?owedBy=them')).json.items as Obl[];
    expect(queueA.some((x) => x.id === o?.id)).toBe(true);
    expect((await w.a.owner.get('/api/v1/obligations?owedBy=us')).json.items).not.toContainEqual(
      expect.objectContaining({ id: o?.id }),
    );
    // B's calendar feed (the work queue as iCalendar) has the duty, due at dueAt, with its clause.
    const feed = await w.b.responder.post('/api/v1/calendar-feeds');
    expect(feed.status, feed.body).toBe(201);
    const ics = await w.anon.get(new URL(feed.json.url as string).pathname);
    expect(ics.status).toBe(200);
    const unfolded = ics.body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`UID:${o!.id}@`);
    expect(unfolded).toContain('第4条第2項第7号');
    expect(unfolded).toContain('DTSTART:20261201T010000Z');
    // The reminder clock (50 % stage) is in the obligation index, with its clause and source.
    const clock = await h.db.kysely
      .selectFrom('obligation_clocks')
      .selectAll()
      .where('obligation_id', '=', o!.id)
      .executeTakeFirstOrThrow();
    expect(clock).toMatchObject({
      clause: '4.2(7)',
      source_type: 'cooperation_request',
      source_id: res.json.id,
      owed_by: 'B',
      next_stage: 'half',
      next_at: '2026-11-29T13:00:00.000Z',
    });
    // Mail to B's acting users only, in their language, with the clause and due time.
    const mails = (await listOutbox(h.ctx.db, 'mail')).filter((m) =>
      m.dedupe_key.startsWith(`cooperation_request.created:${res.json.id}:`),
    );
    const to = mails.map((m) => mailOf(m).to).sort();
    expect(to).toEqual([w.emails['b.legal'], w.emails['b.owner'], w.emails['b.responder']].sort());
    expect(mailOf(mails[0]!).subject).toContain('協力の求め（第4条第2項第7号）');
    // The audit chain has the request.
    const audit = await w.a.owner.get(`/api/v1/agreements/${agreementId}/audit-events`);
    expect(JSON.stringify(audit.json)).toContain('cooperation_request.created');
    // Both parties list it.
    for (const c of [w.a.viewer, w.b.viewer]) {
      const list = await c.get(`/api/v1/incidents/${incidentId}/cooperation-requests`);
      expect(list.status).toBe(200);
      expect(list.json.items.map((x: { id: string }) => x.id)).toEqual([res.json.id]);
    }
  });

  it('dueAt may be set by the requester; the default follows the agreement parameter cooperationResponseHours; each category is clause 4.2(n)', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const custom = await agreement({ parameters: { cooperationResponseHours: 24 } });
    const got = await w.a.owner.get(`/api/v1/agreements/${custom}`);
    expect(got.json.parameters.cooperationResponseHours).toBe(24);
    expect(
      (await w.a.owner.get(`/api/v1/agreements/${agreementId}`)).json.parameters.cooperationResponseHours,
    ).toBe(72);
    const inc = await sharedIncident(custom);
    const d = await ask(w.b.legal, inc, { category: 'cause_analysis', details: '原因分析への協力' });
    expect(d.json).toMatchObject({
      fromParty: 'B',
      toParty: 'A',
      clause: '4.2(1)',
      dueAt: '2026-11-29T01:00:00.000Z',
    });
    const set = await ask(w.a.owner, inc, {
      category: 'public_relations',
      details: '記者発表文の確認',
      dueAt: '2026-11-28T19:00:00+09:00',
    });
    expect(set.json).toMatchObject({ clause: '4.2(6)', dueAt: '2026-11-28T10:00:00.000Z' });
    const all = await obligations(inc);
    expect(duty(all, '4.2(1)', d.json.id)).toMatchObject({ owedBy: 'A', owedTo: 'B' });
    expect(duty(all, '4.2(6)', set.json.id)).toMatchObject({
      owedBy: 'B',
      dueAt: '2026-11-28T10:00:00.000Z',
    });
    const categories = [
      'cause_analysis',
      'damage_scope',
      'prevention_plan',
      'authority_report',
      'individual_notice',
      'public_relations',
      'evidence_and_logs',
      'other',
    ];
    for (const [i, category] of categories.entries()) {
      const r = await ask(w.a.responder, inc, { category, details: `項目${i + 1}` });
      expect(r.json.clause).toBe(`4.2(${i + 1})`);
    }
  });

  it('answers: met on time, met_late after the due time; a decline is recorded with its reason; acceptance with deliverBy opens the delivery duty, met by the delivery', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const inc = await sharedIncident();
    const r1 = (await ask(w.a.owner, inc, { category: 'damage_scope', details: '影響範囲の特定' })).json;
    const r2 = (await ask(w.a.owner, inc, { category: 'prevention_plan', details: '再発防止策の案' })).json;
    const r3 = (await ask(w.a.owner, inc, { category: 'evidence_and_logs', details: 'ログ' })).json;

    h.clock.set('2026-11-29T01:00:00Z');
    const declined = await respond(w.b.responder, r1.id, {
      decision: 'declined',
      reason: '当該範囲は当社の管理外で、調査の手段がないため',
    });
    expect(declined.status, declined.body).toBe(200);
    expect(declined.json).toMatchObject({
      state: 'declined',
      reason: '当該範囲は当社の管理外で、調査の手段がないため',
      respondedAt: '2026-11-29T01:00:00.000Z',
      version: 2,
    });
    const accepted = await respond(w.b.owner, r3.id, {
      decision: 'accepted',
      deliverBy: '2026-11-30T10:00:00+09:00',
    });
    expect(accepted.status, accepted.body).toBe(200);
    expect(accepted.json).toMatchObject({ state: 'accepted', deliverBy: '2026-11-30T01:00:00.000Z' });

    let list = await obligations(inc);
    expect(duty(list, '4.2(2)', r1.id)?.state).toBe('met');
    expect(duty(list, '4.2(7)', r3.id)).toMatchObject({
      state: 'met',
      metBy: { type: 'cooperation_request' },
    });
    expect(duty(list, '4.2(7)-delivery', r3.id)).toMatchObject({
      owedBy: 'B',
      owedTo: 'A',
      state: 'open',
      startsAt: '2026-11-29T01:00:00.000Z',
      dueAt: '2026-11-30T01:00:00.000Z',
    });
    expect(duty(list, '4.2(2)-delivery', r1.id)).toBeUndefined();
    // r2 passes its due time (72 h) unanswered.
    h.clock.set('2026-12-01T02:00:00Z');
    list = await obligations(inc);
    expect(duty(list, '4.2(3)', r2.id)?.state).toBe('breached');
    expect(duty(list, '4.2(7)-delivery', r3.id)?.state).toBe('breached');
    const late = await respond(w.b.responder, r2.id, {
      decision: 'delivered',
      answer: '再発防止策の案を添付します。',
    });
    expect(late.status, late.body).toBe(200);
    expect(late.json).toMatchObject({ state: 'delivered', deliveredAt: '2026-12-01T02:00:00.000Z' });
    const delivered = await respond(w.b.responder, r3.id, {
      decision: 'delivered',
      answer: 'ログ一式を共有しました。',
    });
    expect(delivered.status, delivered.body).toBe(200);
    expect(delivered.json).toMatchObject({
      state: 'delivered',
      respondedAt: '2026-11-29T01:00:00.000Z',
      deliverBy: '2026-11-30T01:00:00.000Z',
      deliveredAt: '2026-12-01T02:00:00.000Z',
    });
    list = await obligations(inc);
    expect(duty(list, '4.2(3)', r2.id)?.state).toBe('met_late');
    expect(duty(list, '4.2(7)', r3.id)?.state).toBe('met');
    expect(duty(list, '4.2(7)-delivery', r3.id)?.state).toBe('met_late');
    // The requester is told of each answer.
    const mails = (await listOutbox(h.ctx.db, 'mail')).filter((m) =>
      m.dedupe_key.startsWith(`cooperation_request.declined:${r1.id}:`),
    );
    expect(mails.map((m) => mailOf(m).to)).toContain(w.emails['a.owner']);
    expect(mailOf(mails[0]!).text).toContain('当該範囲は当社の管理外');
    h.clock.set('2026-11-28T01:00:00Z');
  });

  it('refused and changing nothing: unknown category, empty details, past dueAt, decline without reason, answering its own request (403), a second answer (409), a delivery without answer, deliverBy with a decline', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const inc = await sharedIncident();
    const r = (await ask(w.a.owner, inc, { category: 'other', details: '窓口担当者の連絡先' })).json;
    const before = await fullSnapshot(h.ctx);
    const cases: Array<[Client, string, Record<string, unknown>, number, string]> = [
      [w.a.owner, 'create', { category: 'logs', details: 'x' }, 400, 'VALIDATION_FAILED'],
      [w.a.owner, 'create', { details: 'x' }, 400, 'VALIDATION_FAILED'],
      [w.a.owner, 'create', { category: 'other', details: '   ' }, 400, 'VALIDATION_FAILED'],
      [
        w.a.owner,
        'create',
        { category: 'other', details: 'x', dueAt: '2026-11-27T00:00:00Z' },
        400,
        'VALIDATION_FAILED',
      ],
      [w.a.owner, 'create', { category: 'other', details: 'x', extra: 1 }, 400, 'VALIDATION_FAILED'],
      [w.b.owner, 'respond', { decision: 'declined' }, 400, 'VALIDATION_FAILED'],
      [w.b.owner, 'respond', { decision: 'declined', reason: '  ' }, 400, 'VALIDATION_FAILED'],
      [w.b.owner, 'respond', { decision: 'delivered' }, 400, 'VALIDATION_FAILED'],
      [w.b.owner, 'respond', { decision: 'maybe' }, 400, 'VALIDATION_FAILED'],
      [
        w.b.owner,
        'respond',
        { decision: 'declined', reason: 'x', deliverBy: '2026-12-01T00:00:00Z' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        w.b.owner,
        'respond',
        { decision: 'accepted', deliverBy: '2026-11-01T00:00:00Z' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        w.b.owner,
        'respond',
        { decision: 'delivered', answer: 'x', evidenceIds: ['evd_doesnotexist0000000000000'] },
        400,
        'VALIDATION_FAILED',
      ],
      [w.a.owner, 'respond', { decision: 'accepted' }, 403, 'FORBIDDEN'],
      [w.a.legal, 'respond', { decision: 'declined', reason: '自社の求め' }, 403, 'FORBIDDEN'],
    ];
    for (const [c, what, body, status, code] of cases) {
      const res = what === 'create' ? await ask(c, inc, body) : await respond(c, r.id, body);
      expect([res.status, res.json?.code], `${what} ${JSON.stringify(body)}`).toEqual([status, code]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.title ?? res.json.message).toBeTruthy();
    }
    expect(await fullSnapshot(h.ctx)).toBe(before);

    // Problem messages in both languages.
    const ja = await respond(w.b.owner, r.id, { decision: 'declined' });
    expect(JSON.stringify(ja.json)).toContain('理由');

    expect((await respond(w.b.owner, r.id, { decision: 'declined', reason: '対応不可' })).status).toBe(200);
    const afterDecline = await fullSnapshot(h.ctx);
    for (const body of [
      { decision: 'declined', reason: '再度' },
      { decision: 'accepted' },
      { decision: 'delivered', answer: 'やはり提供します' },
    ]) {
      const again = await respond(w.b.owner, r.id, body);
      expect([again.status, again.json.code]).toEqual([409, 'COOPERATION_REQUEST_ANSWERED']);
    }
    expect(await fullSnapshot(h.ctx)).toBe(afterDecline);

    const r2 = (await ask(w.a.owner, inc, { category: 'other', details: 'y' })).json;
    expect((await respond(w.b.owner, r2.id, { decision: 'accepted' })).status).toBe(200);
    expect((await respond(w.b.owner, r2.id, { decision: 'accepted' })).status).toBe(409);
    expect((await respond(w.b.owner, r2.id, { decision: 'declined', reason: 'z' })).status).toBe(409);
    expect((await respond(w.b.owner, r2.id, { decision: 'delivered', answer: '提供します' })).status).toBe(
      200,
    );
    expect((await respond(w.b.owner, r2.id, { decision: 'delivered', answer: '再提供' })).status).toBe(409);
  });

  it('access: no session 401, viewer 403, another company 404, the administrator 403 on every endpoint', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const inc = await sharedIncident();
    const r = (await ask(w.a.owner, inc, { category: 'other', details: 'x' })).json;
    const before = await fullSnapshot(h.ctx);
    const calls: Array<[string, (c: Client) => Promise<{ status: number; json: { code?: string } }>]> = [
      ['create', (c) => ask(c, inc, { category: 'other', details: 'x' })],
      ['list', (c) => c.get(`/api/v1/incidents/${inc}/cooperation-requests`)],
      ['respond', (c) => respond(c, r.id, { decision: 'accepted' })],
    ];
    for (const [name, call] of calls) {
      expect((await call(w.anon)).status, `${name} anon`).toBe(401);
      expect((await call(w.c.owner)).status, `${name} other company`).toBe(404);
      const admin = await call(w.admin);
      expect(admin.status, `${name} admin`).toBe(403);
      if (name !== 'list') {
        expect((await call(w.a.viewer)).status, `${name} viewer A`).toBe(403);
        expect((await call(w.b.viewer)).status, `${name} viewer B`).toBe(403);
      }
    }
    expect(
      (await w.c.owner.post(`/api/v1/cooperation-requests/${r.id}/response`, { decision: 'accepted' })).json
        .code,
    ).toBe('COOPERATION_REQUEST_NOT_FOUND');
    expect(
      (await respond(w.b.owner, 'cor_00000000000000000000000000', { decision: 'accepted' })).json.code,
    ).toBe('COOPERATION_REQUEST_NOT_FOUND');
    expect(await fullSnapshot(h.ctx)).toBe(before);
  });

  it('before the first notice the other company does not see the incident: a request from the reporting party is refused (409), the counterparty gets 404', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '未通知の事故',
      suspected: true,
      discoveredAt: '2026-11-28T09:00:00+09:00',
    });
    const before = await fullSnapshot(h.ctx);
    const own = await ask(w.b.owner, inc.json.id, { category: 'other', details: 'x' });
    expect([own.status, own.json.code]).toEqual([409, 'COOPERATION_BEFORE_NOTICE']);
    expect((await ask(w.a.owner, inc.json.id, { category: 'other', details: 'x' })).status).toBe(404);
    expect((await w.a.owner.get(`/api/v1/incidents/${inc.json.id}/cooperation-requests`)).status).toBe(404);
    expect(await fullSnapshot(h.ctx)).toBe(before);
  });

  it('Art 11.3: Art 4 does not survive — after the end a new request is 409 AGREEMENT_NOT_ACTIVE; a request made during the term is still owed and can be answered', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    // Signed 2026-11-01 for one month, no renewal: the last day is 2026-12-01.
    const short = await agreement({
      signedOn: '2026-11-01',
      parameters: { termMonths: 1, renewalMonths: 0 },
    });
    const inc = await sharedIncident(short);
    const during = (await ask(w.a.owner, inc, { category: 'cause_analysis', details: '原因調査' })).json;
    expect(during.state).toBe('requested');
    h.clock.set('2026-12-03T01:00:00Z');
    const before = await fullSnapshot(h.ctx);
    const after = await ask(w.a.owner, inc, { category: 'cause_analysis', details: '追加の原因調査' });
    expect([after.status, after.json.code, after.json.article]).toEqual([409, 'AGREEMENT_NOT_ACTIVE', 4]);
    expect(await fullSnapshot(h.ctx)).toBe(before);
    const list = await obligations(inc);
    expect(duty(list, '4.2(1)', during.id)).toMatchObject({ state: 'breached', survives: false });
    expect((await respond(w.b.owner, during.id, { decision: 'delivered', answer: '調査結果' })).status).toBe(
      200,
    );
    expect(duty(await obligations(inc), '4.2(1)', during.id)?.state).toBe('met_late');
    h.clock.set('2026-11-28T01:00:00Z');
  });

  it('a delivery may reference evidence of the same incident that is shared with the requester', async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    const inc = await sharedIncident();
    const other = await sharedIncident();
    const upload = async (incidentId: string) => {
      const res = await w.b.responder.post(
        `/api/v1/incidents/${incidentId}/evidence?filename=vpn.log&description=VPN`,
        'log line 1\nlog line 2\n',
        { 'content-type': 'application/octet-stream' },
      );
      expect(res.status, res.body).toBe(201);
      return res.json.id as string;
    };
    const unshared = await upload(inc);
    const shared = await upload(inc);
    expect((await w.b.owner.post(`/api/v1/evidence/${shared}/share`)).status).toBe(200);
    const elsewhere = await upload(other);
    expect((await w.b.owner.post(`/api/v1/evidence/${elsewhere}/share`)).status).toBe(200);
    const r = (await ask(w.a.owner, inc, { category: 'evidence_and_logs', details: 'ログ' })).json;
    const before = await fullSnapshot(h.ctx);
    for (const id of [unshared, elsewhere]) {
      const res = await respond(w.b.owner, r.id, {
        decision: 'delivered',
        answer: 'ログ',
        evidenceIds: [id],
      });
      expect([res.status, res.json.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(await fullSnapshot(h.ctx)).toBe(before);
    const ok = await respond(w.b.owner, r.id, {
      decision: 'delivered',
      answer: 'ログ',
      evidenceIds: [shared],
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json.evidenceIds).toEqual([shared]);
  });
});
