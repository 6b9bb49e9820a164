import { beforeAll, describe, expect, it } from 'vitest';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, snapshot, type World } from '../support/fixtures.js';

type Obl = {
  id: string;
  clause: string;
  owedBy: string;
  owedTo: string;
  state: string;
  [k: string]: unknown;
};
const find = (list: Obl[], clause: string, owedBy = 'B') =>
  list.find((o) => o.clause === clause && o.owedBy === owedBy) as Obl;

/**
 * The legal review's Article 3 fixes (issue 6 §2), each with the behaviour that was wrong before.
 * The harness clock is 2026-11-28T01:00:00Z (10:00 in Tokyo).
 */
forEachDialect('Article 3 fixes', { env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }, (h) => {
  let w: World;
  let agreementId: string;

  const agreement = async (body: Record<string, unknown> = {}) =>
    (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
        ...body,
      })
    ).json.id as string;

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = await agreement();
  });

  const report = (body: Record<string, unknown> = {}, on = agreementId) =>
    w.b.responder.post(`/api/v1/agreements/${on}/incidents`, {
      reportingParty: 'B',
      title: '再委託先でのマルウェア感染',
      suspected: true,
      discoveredAt: '2026-11-27T23:40:00+09:00',
      ...body,
    });
  const notify = (incidentId: string) =>
    w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: FIRST_ITEMS });
  const obligations = async (incidentId: string, as = w.b.owner) =>
    (await as.get(`/api/v1/incidents/${incidentId}/obligations`)).json.items as Obl[];

  it('1. clocks cannot start before the memorandum exists: a discovery before signing runs from 0:00 JST of the signing day', async () => {
    const signedLate = await agreement({ signedOn: '2026-11-27' });
    // Discovered the day before the signing; registered now (10:00 JST on 11-28).
    const res = await report({ discoveredAt: '2026-11-26T10:00:00+09:00' }, signedLate);
    expect(res.status, res.body).toBe(201);
    const n = find(res.json.obligations, '3.1');
    // Before the fix: due 2026-11-27T01:00Z, breached at once.
    expect(n).toMatchObject({
      startsAt: '2026-11-26T15:00:00.000Z',
      dueAt: '2026-11-27T15:00:00.000Z',
      state: 'breached',
    });
    const signedToday = await agreement({ signedOn: '2026-11-28' });
    const today = await report({ discoveredAt: '2026-11-27T10:00:00+09:00' }, signedToday);
    expect(today.status, today.body).toBe(201);
    expect(find(today.json.obligations, '3.1')).toMatchObject({
      startsAt: '2026-11-27T15:00:00.000Z',
      dueAt: '2026-11-28T15:00:00.000Z',
      state: 'open',
    });
    expect((find(today.json.obligations, '3.1').basis as { rule: { ja: string } }).rule.ja).toContain(
      '覚書の効力発生時',
    );
  });

  describe('2. the party that owes a duty cannot erase its own lateness', () => {
    it('moving discoveredAt later by PATCH is refused (409 DISCOVERY_CORRECTION_REQUIRED) and changes nothing; earlier is allowed', async () => {
      const inc = (await report({ discoveredAt: '2026-11-26T00:00:00Z' })).json;
      const before = await snapshot(h.ctx);
      const later = await w.b.owner.patch(
        `/api/v1/incidents/${inc.id}`,
        { discoveredAt: '2026-11-28T00:30:00Z' },
        { 'if-match': `"${inc.version}"` },
      );
      expect(later.status).toBe(409);
      expect(later.json.code).toBe('DISCOVERY_CORRECTION_REQUIRED');
      expect(await snapshot(h.ctx)).toBe(before);
      expect(find(await obligations(inc.id), '3.1').state).toBe('breached');
      const earlier = await w.b.owner.patch(
        `/api/v1/incidents/${inc.id}`,
        { discoveredAt: '2026-11-25T23:00:00Z' },
        { 'if-match': `"${inc.version}"` },
      );
      expect(earlier.status, earlier.body).toBe(200);
    });

    it('a later discovery time is a correction with a reason: pending until the counterparty accepts; only then the clocks move', async () => {
      const inc = (await report({ discoveredAt: '2026-11-26T00:00:00Z' })).json;
      await notify(inc.id);
      const url = `/api/v1/incidents/${inc.id}/discovery-corrections`;
      expect((await w.b.owner.post(url, { discoveredAt: '2026-11-27T20:00:00Z' })).status).toBe(400); // no reason
      expect((await w.a.owner.post(url, { discoveredAt: '2026-11-27T20:00:00Z', reason: 'x' })).status).toBe(
        403,
      );
      const filed = await w.b.owner.post(url, {
        discoveredAt: '2026-11-27T20:00:00Z',
        reason: 'ログの時刻がUTCで記録されていたため、発覚日時を誤って入力していた',
      });
      expect(filed.status, filed.body).toBe(201);
      expect(filed.json).toMatchObject({
        state: 'pending',
        fromDiscoveredAt: '2026-11-26T00:00:00.000Z',
        toDiscoveredAt: '2026-11-27T20:00:00.000Z',
        byParty: 'B',
      });
      // Pending: the clocks are those of the original discovery; the breach stands.
      expect(find(await obligations(inc.id), '3.1')).toMatchObject({ state: 'met_late' });
      const mails = (await listOutbox(h.ctx.db, 'mail')).filter((m) =>
        m.dedupe_key.startsWith(`discovery_correction.requested:${filed.json.id}`),
      );
      expect(mails.length).toBeGreaterThan(0);
      // The reporting party cannot accept its own correction.
      const decide = `/api/v1/discovery-corrections/${filed.json.id}/decision`;
      expect((await w.b.owner.post(decide, { decision: 'accepted' })).status).toBe(403);
      const accepted = await w.a.legal.post(decide, { decision: 'accepted', reason: 'ログを確認した' });
      expect(accepted.status, accepted.body).toBe(200);
      expect(accepted.json).toMatchObject({ state: 'accepted', decisionReason: 'ログを確認した' });
      const after = await obligations(inc.id);
      expect(find(after, '3.1')).toMatchObject({ dueAt: '2026-11-28T20:00:00.000Z', state: 'met' });
      expect((await w.b.owner.get(`/api/v1/incidents/${inc.id}`)).json.discoveredAt).toBe(
        '2026-11-27T20:00:00.000Z',
      );
      // A second decision is refused.
      expect((await w.a.legal.post(decide, { decision: 'rejected' })).json.code).toBe(
        'DISCOVERY_CORRECTION_DECIDED',
      );
      const listed = await w.a.viewer.get(url);
      expect(listed.json.items.map((c: { state: string }) => c.state)).toEqual(['accepted']);
    });

    it('a rejected correction changes no clock; an earlier correction applies at once', async () => {
      const inc = (await report({ discoveredAt: '2026-11-26T00:00:00Z' })).json;
      await notify(inc.id);
      const url = `/api/v1/incidents/${inc.id}/discovery-corrections`;
      const filed = await w.b.owner.post(url, { discoveredAt: '2026-11-27T20:00:00Z', reason: '誤入力' });
      const rejected = await w.a.owner.post(`/api/v1/discovery-corrections/${filed.json.id}/decision`, {
        decision: 'rejected',
        reason: '当社の受領記録と合わない',
      });
      expect(rejected.json.state).toBe('rejected');
      expect(find(await obligations(inc.id), '3.1').state).toBe('met_late');
      const earlier = await w.b.owner.post(url, { discoveredAt: '2026-11-25T20:00:00Z', reason: '再調査' });
      expect(earlier.json.state).toBe('applied');
      expect(find(await obligations(inc.id), '3.1').dueAt).toBe('2026-11-26T20:00:00.000Z');
    });
  });

  it('3. dismissal keeps 3.1 owed; the counterparty that has seen the incident is mailed', async () => {
    const inc = (await report()).json;
    await notify(inc.id);
    const dismissed = await w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, {
      to: 'dismissed',
      reason: '誤検知',
    });
    expect(dismissed.status).toBe(200);
    const mails = (await listOutbox(h.ctx.db, 'mail')).filter((m) =>
      m.dedupe_key.startsWith(`incident.dismissed:${inc.id}`),
    );
    expect(mails.length).toBeGreaterThan(0);
    const addressed = mails.map((m) => (JSON.parse(m.payload) as { to: string }).to).sort();
    expect(addressed).toEqual(['a.owner', 'a.legal', 'a.responder'].map((k) => w.emails[k]).sort());

    // Not yet seen by the counterparty: no mail, and 3.1 stays owed.
    const quiet = (await report()).json;
    await w.b.owner.post(`/api/v1/incidents/${quiet.id}/transitions`, { to: 'dismissed', reason: '誤検知' });
    expect(
      (await listOutbox(h.ctx.db, 'mail')).filter((m) =>
        m.dedupe_key.startsWith(`incident.dismissed:${quiet.id}`),
      ),
    ).toEqual([]);
    expect(find(await obligations(quiet.id), '3.1').state).toBe('open');
  });

  it('4. Art 3.3 binds both parties; each party waives only what is owed to it', async () => {
    const inc = (await report()).json;
    expect((await obligations(inc.id)).filter((o) => o.clause === '3.3').map((o) => o.owedBy)).toEqual(['B']);
    const sent = await notify(inc.id);
    const list = await obligations(inc.id);
    const a33 = find(list, '3.3', 'A');
    expect(a33).toMatchObject({ owedTo: 'B', sourceType: 'notice', sourceId: sent.json.id, state: 'open' });
    expect((await w.a.legal.post(`/api/v1/obligations/${a33.id}/waiver`, { reason: 'x' })).status).toBe(403);
    const waived = await w.b.legal.post(`/api/v1/obligations/${a33.id}/waiver`, { reason: '甲側は影響なし' });
    expect(waived.status, waived.body).toBe(200);
    expect(waived.json.state).toBe('waived');
  });

  it('5. an incident discovered during the term can be registered after the agreement ended', async () => {
    const ended = await agreement({
      signedOn: '2026-08-31',
      parameters: { termMonths: 2, renewalMonths: 0 },
    });
    const term = (await w.a.owner.get(`/api/v1/agreements/${ended}`)).json.term;
    expect(term.status).toBe('expired');
    const during = await report({ discoveredAt: '2026-10-20T10:00:00+09:00' }, ended);
    expect(during.status, during.body).toBe(201);
    const after = await report({ discoveredAt: '2026-11-20T10:00:00+09:00' }, ended);
    expect(after.status).toBe(409);
    expect(after.json.code).toBe('AGREEMENT_NOT_ACTIVE');
  });

  it('6. an Art 3.2(6) request leaves at least itemRequestMinHours to answer; the default leaves max(notice target, minimum)', async () => {
    const inc = (await report()).json;
    await notify(inc.id);
    const url = `/api/v1/incidents/${inc.id}/item-requests`;
    const before = await snapshot(h.ctx);
    const tooSoon = await w.a.legal.post(url, { question: '件数は？', dueAt: '2026-11-29T09:59:00+09:00' });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.json.messageJa).toContain('24時間');
    expect(await snapshot(h.ctx)).toBe(before);
    const ok = await w.a.legal.post(url, { question: '件数は？', dueAt: '2026-11-29T10:00:00+09:00' });
    expect(ok.status, ok.body).toBe(201);
    const byDefault = await w.a.legal.post(url, { question: '原因は？' });
    expect(byDefault.json.dueAt).toBe('2026-11-29T01:00:00.000Z');
    const o = (await obligations(inc.id)).find((x) => x.sourceId === ok.json.id) as Obl;
    expect(o.basis).toMatchObject({
      article: '第3条第2項第6号',
      parameter: 'itemRequestMinHours',
      value: 24,
    });
  });

  describe('8. registration is the reporting party’s own until the first notice', () => {
    it('404 to the counterparty in reads, lists, obligations and audit listings; all of it after the notice', async () => {
      const own = await agreement();
      const inc = (await report({}, own)).json;
      expect((await w.a.owner.get(`/api/v1/incidents/${inc.id}`)).status).toBe(404);
      expect((await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).status).toBe(404);
      expect((await w.a.owner.get(`/api/v1/incidents/${inc.id}/audit-events`)).status).toBe(404);
      expect(
        (await w.a.owner.post(`/api/v1/incidents/${inc.id}/item-requests`, { question: 'x' })).status,
      ).toBe(404);
      expect((await w.a.owner.get(`/api/v1/agreements/${own}/incidents`)).json.items).toEqual([]);
      expect((await w.a.owner.get(`/api/v1/agreements/${own}/obligations`)).json.items).toEqual([]);
      const auditA = (await w.a.owner.get(`/api/v1/agreements/${own}/audit-events`)).json.items;
      expect(auditA.some((e: { recordId: string }) => e.recordId === inc.id)).toBe(false);
      // The reporting party sees it all.
      expect((await w.b.viewer.get(`/api/v1/agreements/${own}/incidents`)).json.items).toHaveLength(1);

      await notify(inc.id);
      const seen = await w.a.owner.get(`/api/v1/incidents/${inc.id}`);
      expect(seen.status).toBe(200);
      expect(seen.json).toMatchObject({ discoveredAt: '2026-11-27T14:40:00.000Z' });
      expect(seen.json.createdAt).toBeTruthy();
      const history = (await w.a.owner.get(`/api/v1/incidents/${inc.id}/audit-events`)).json.items.map(
        (e: { action: string }) => e.action,
      );
      expect(history).toEqual(['incident.reported', 'notice.sent']);
      expect((await w.a.owner.get(`/api/v1/agreements/${own}/incidents`)).json.items).toHaveLength(1);
    });

    it('webhooks: incident.reported reaches only the reporting party; notice.sent reaches both', async () => {
      const own = await agreement();
      const hooks: Record<string, string> = {};
      for (const [who, org] of [
        ['a', w.orgA.id],
        ['b', w.orgB.id],
      ] as const) {
        const res = await w[who].owner.post(`/api/v1/organizations/${org}/webhooks`, {
          url: `http://127.0.0.1:9/${who}`,
          events: ['incident.reported', 'notice.sent'],
        });
        expect(res.status, res.body).toBe(201);
        hooks[res.json.id as string] = who;
      }
      const inc = (await report({}, own)).json;
      const deliveries = async (type: string) =>
        (await listOutbox(h.ctx.db, 'webhook'))
          .map(
            (r) =>
              JSON.parse(r.payload) as {
                webhookId: string;
                body: { type: string; data: { incidentId: string } };
              },
          )
          .filter((p) => p.body.type === type && p.body.data.incidentId === inc.id && p.webhookId in hooks)
          .map((p) => hooks[p.webhookId])
          .sort();
      expect(await deliveries('incident.reported')).toEqual(['b']);
      await notify(inc.id);
      expect(await deliveries('notice.sent')).toEqual(['a', 'b']);
    });
  });
});
