import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { client, seedWorld, snapshot, type World } from '../support/fixtures.js';

const NOW = '2026-11-28T01:00:00Z'; // the harness clock: 10:00 in Tokyo

export const FIRST_ITEMS = {
  occurredOn: '2026-11-27',
  summary: '再委託先の作業端末がマルウェアに感染し、顧客リストへの不正アクセスのおそれ',
  informationScope: null,
  expectedImpact: null,
  measures: '当該端末をネットワークから遮断',
  otherMatters: '続報は24時間以内',
};

forEachDialect('incidents and Article 3', (h) => {
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
    ).json.id;
  });

  const report = (body: Record<string, unknown> = {}) =>
    w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '再委託先でのマルウェア感染',
      suspected: true,
      discoveredAt: '2026-11-27T23:40:00+09:00',
      causeEntity: 'subcontractor',
      infoCategories: ['personal', 'customer'],
      kinds: ['cyber_attack'],
      ...body,
    });

  describe('reporting', () => {
    it('opens a suspected incident with the Art 3.1 and 3.3 clocks running from discovery', async () => {
      const res = await report();
      expect(res.status).toBe(201);
      const inc = res.json;
      expect(inc.id).toMatch(/^inc_/);
      expect(inc).toMatchObject({
        state: 'suspected',
        reportingParty: 'B',
        discoveredAt: '2026-11-27T14:40:00.000Z',
        myParty: 'B',
      });
      expect(inc.causeEntityLabel.ja).toBe('再委託先');
      const byClause = Object.fromEntries(inc.obligations.map((o: { clause: string }) => [o.clause, o]));
      expect(byClause['3.1']).toMatchObject({
        owedBy: 'B',
        owedTo: 'A',
        dueAt: '2026-11-28T14:40:00.000Z',
        state: 'open',
        metBy: null,
      });
      expect(byClause['3.3']).toMatchObject({
        owedBy: 'B',
        dueAt: '2026-11-28T14:40:00.000Z',
        state: 'open',
      });
      const got = await w.a.viewer.get(`/api/v1/incidents/${inc.id}`);
      expect(got.status).toBe(200);
      expect(got.json.myParty).toBe('A');
    });

    it('rejects bad input and changes nothing', async () => {
      const before = await snapshot(h.ctx);
      const future = await report({ discoveredAt: '2026-12-01T00:00:00Z' });
      expect(future.status).toBe(400);
      const order = await report({
        occurredAt: '2026-11-28T00:00:00Z',
        discoveredAt: '2026-11-27T00:00:00Z',
      });
      expect(order.status).toBe(400);
      const kind = await report({ kinds: ['meteor'] });
      expect(kind.status).toBe(400);
      expect(kind.json.errors[0].messageEn).toContain('cyber_attack');
      const cat = await report({ infoCategories: ['gossip'] });
      expect(cat.status).toBe(400);
      expect(cat.json.errors[0].messageJa).toContain('personal');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('only an active agreement accepts incidents (409 AGREEMENT_NOT_ACTIVE)', async () => {
      const draft = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json
        .id;
      const res = await w.b.owner.post(`/api/v1/agreements/${draft}/incidents`, {
        reportingParty: 'B',
        title: 'x',
        suspected: true,
        discoveredAt: '2026-11-27T10:00:00Z',
      });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('AGREEMENT_NOT_ACTIVE');
    });

    it('refuses viewers (403), non-parties (404), the administrator (403) and no session (401)', async () => {
      const body = { reportingParty: 'B', title: 'x', suspected: true, discoveredAt: '2026-11-27T10:00:00Z' };
      const url = `/api/v1/agreements/${agreementId}/incidents`;
      expect((await w.b.viewer.post(url, body)).status).toBe(403);
      expect((await w.c.owner.post(url, body)).status).toBe(404);
      expect((await w.admin.post(url, body)).status).toBe(403);
      expect((await w.anon.post(url, body)).status).toBe(401);
      expect((await w.a.owner.post(url, body)).status).toBe(403); // 甲 cannot report on 乙's side
    });
  });

  describe('notices (Art 3.1-3.2)', () => {
    it('sends a 第一報 with items 調査中, then a 続報 with a diff; the counterparty acknowledges once', async () => {
      const inc = (await report()).json;
      const first = await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ number: 1, kind: 'first', fromParty: 'B', acknowledgedAt: null });
      expect(first.json.label.ja).toBe('第一報');
      expect(first.json.pendingItems).toEqual(['informationScope', 'expectedImpact']);

      const obligations = await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`);
      const o31 = obligations.json.items.find((o: { clause: string }) => o.clause === '3.1');
      expect(o31).toMatchObject({ state: 'met', metBy: { type: 'notice', id: first.json.id } });

      h.clock.advance({ hours: 2 });
      const second = await w.b.legal.post(`/api/v1/incidents/${inc.id}/notices`, {
        items: {
          ...FIRST_ITEMS,
          informationScope: '顧客氏名・電話番号 約1,200件',
          measures: '全端末のパスワード変更を実施',
        },
      });
      h.clock.set(NOW);
      expect(second.json).toMatchObject({ number: 2, kind: 'follow_up' });
      expect(second.json.label.ja).toBe('続報（第2報）');
      const changes = Object.fromEntries(
        second.json.diff.map((d: { item: string; change: string }) => [d.item, d.change]),
      );
      expect(changes).toMatchObject({
        informationScope: 'added',
        measures: 'changed',
        summary: 'unchanged',
        expectedImpact: 'unchanged',
      });

      // The sender's side cannot acknowledge its own notice.
      const own = await w.b.owner.post(`/api/v1/notices/${first.json.id}/acknowledgement`);
      expect(own.status).toBe(403);
      const ack = await w.a.responder.post(`/api/v1/notices/${first.json.id}/acknowledgement`);
      expect(ack.status).toBe(201);
      expect(ack.json.acknowledgedBy.name).toBe('A responder');
      const again = await w.a.owner.post(`/api/v1/notices/${first.json.id}/acknowledgement`);
      expect(again.status).toBe(200);
      expect(again.json.acknowledgedAt).toBe(ack.json.acknowledgedAt);
      expect(again.json.acknowledgedBy.id).toBe(ack.json.acknowledgedBy.id);
    });

    it('a missing item answers 400 NOTICE_ITEMS_MISSING naming the items', async () => {
      const inc = (await report()).json;
      const before = await snapshot(h.ctx);
      const { expectedImpact: _e, otherMatters: _o, ...partial } = FIRST_ITEMS;
      const res = await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: partial });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('NOTICE_ITEMS_MISSING');
      expect(res.json.missing).toEqual(['expectedImpact', 'otherMatters']);
      expect(res.json.messageJa).toContain('想定される影響');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('a notice on a dismissed incident → 409', async () => {
      const inc = (await report()).json;
      const dismissed = await w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, {
        to: 'dismissed',
        reason: '誤検知',
      });
      expect(dismissed.status).toBe(200);
      expect(dismissed.json.state).toBe('dismissed');
      const res = await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('INCIDENT_NOT_OPEN');
    });

    it('the counterparty asks for further items; the answer meets the new obligation', async () => {
      const inc = (await report()).json;
      const req = await w.a.legal.post(`/api/v1/incidents/${inc.id}/item-requests`, {
        question: '影響を受ける本人の件数の見込みを教えてください',
        dueAt: '2026-11-29T09:00:00+09:00',
      });
      expect(req.status).toBe(201);
      const obl = (await w.b.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items.find(
        (o: { clause: string }) => o.clause === '3.2(6)',
      );
      expect(obl).toMatchObject({ owedBy: 'B', dueAt: '2026-11-29T00:00:00.000Z', state: 'open' });
      expect(
        (await w.b.responder.post(`/api/v1/item-requests/${req.json.id}/answer`, { answer: '約1,200名' }))
          .status,
      ).toBe(200);
      expect(
        (await w.b.responder.post(`/api/v1/item-requests/${req.json.id}/answer`, { answer: 'again' })).status,
      ).toBe(409);
      const after = (await w.b.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items.find(
        (o: { clause: string }) => o.clause === '3.2(6)',
      );
      expect(after.state).toBe('met');
    });
  });

  describe('containment and obligations', () => {
    it('a containment action meets Art 3.3; late notices are met_late; unmet past due is breached', async () => {
      const inc = (await report({ discoveredAt: '2026-11-26T00:00:00Z' })).json;
      const c = await w.b.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
        kind: 'access_cutoff',
        description: 'VPN アカウントを停止',
        takenAt: '2026-11-26T03:00:00Z',
        result: '不正通信の停止を確認',
      });
      expect(c.status).toBe(201);
      const before = (await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items;
      expect(before.find((o: { clause: string }) => o.clause === '3.3').state).toBe('met');
      expect(before.find((o: { clause: string }) => o.clause === '3.1').state).toBe('breached');
      await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
      const after = (await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items;
      expect(after.find((o: { clause: string }) => o.clause === '3.1').state).toBe('met_late');
    });

    it('lists an agreement’s open obligations soonest first; the party owed can waive one', async () => {
      const inc = (await report({ discoveredAt: '2026-11-28T00:30:00Z' })).json;
      const list = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/obligations`);
      expect(list.status).toBe(200);
      const dues = list.json.items.map((o: { dueAt: string }) => o.dueAt);
      expect(dues).toEqual([...dues].sort());
      expect(list.json.items.every((o: { state: string }) => o.state === 'open')).toBe(true);
      const target = list.json.items.find(
        (o: { incidentId: string; clause: string }) => o.incidentId === inc.id && o.clause === '3.3',
      );
      expect((await w.b.owner.post(`/api/v1/obligations/${target.id}/waiver`, { reason: 'x' })).status).toBe(
        403,
      );
      const waived = await w.a.legal.post(`/api/v1/obligations/${target.id}/waiver`, {
        reason: '甲が直接対応済み',
      });
      expect(waived.status).toBe(200);
      expect(waived.json.state).toBe('waived');
      expect(
        (await w.a.legal.post(`/api/v1/obligations/${target.id}/waiver`, { reason: 'again' })).status,
      ).toBe(409);
    });
  });

  describe('state machine', () => {
    it('moves suspected → confirmed → contained → recovering → closed and refuses skips', async () => {
      const inc = (await report()).json;
      const to = (s: string) => w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, { to: s });
      expect((await to('contained')).status).toBe(409);
      for (const s of ['confirmed', 'contained', 'recovering', 'closed'])
        expect((await to(s)).json.state).toBe(s);
      const events = (await w.a.viewer.get(`/api/v1/agreements/${agreementId}/audit-events`)).json;
      expect(events.verification.ok).toBe(true);
      expect(
        events.items
          .filter((e: { action: string; recordId: string }) => e.recordId === inc.id)
          .map((e: { action: string }) => e.action),
      ).toEqual([
        'incident.reported',
        'incident.state_changed',
        'incident.state_changed',
        'incident.state_changed',
        'incident.state_changed',
      ]);
      const admin = (await w.admin.get(`/api/v1/agreements/${agreementId}/audit-events`)).json;
      expect(admin.items.find((e: { recordId: string }) => e.recordId === inc.id).payload).toEqual({
        redacted: true,
      });
    });

    it('concurrent transitions: exactly one wins', async () => {
      const inc = (await report()).json;
      const results = await Promise.all([
        w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'confirmed' }),
        w.b.legal.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'confirmed' }),
        w.b.responder.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'confirmed' }),
      ]);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    });
  });
});

forEachDialect('incident audit events and names', (h) => {
  it('lists the incident’s own events, names requesters and shows party names', async () => {
    const w = await seedWorld(h.ctx, h.app);
    const agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    const mk = () =>
      w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: 't',
        suspected: false,
        discoveredAt: '2026-11-27T10:00:00Z',
      });
    const one = (await mk()).json;
    const other = (await mk()).json;
    await w.b.responder.post(`/api/v1/incidents/${one.id}/notices`, { items: FIRST_ITEMS });
    await w.a.legal.post(`/api/v1/incidents/${one.id}/item-requests`, { question: '件数は？' });
    await w.b.responder.post(`/api/v1/incidents/${other.id}/containment-actions`, {
      kind: 'other',
      description: 'x',
    });
    const res = await w.a.viewer.get(`/api/v1/incidents/${one.id}/audit-events`);
    expect(res.status).toBe(200);
    expect(res.json.items.map((e: { action: string }) => e.action)).toEqual([
      'incident.reported',
      'notice.sent',
      'item_request.created',
    ]);
    expect(res.json.verification.ok).toBe(true);
    expect((await w.c.owner.get(`/api/v1/incidents/${one.id}/audit-events`)).status).toBe(404);
    expect((await w.admin.get(`/api/v1/incidents/${one.id}/audit-events`)).status).toBe(403);
    expect((await w.anon.get(`/api/v1/incidents/${one.id}/audit-events`)).status).toBe(401);
    const view = (await w.b.owner.get(`/api/v1/incidents/${one.id}`)).json;
    expect(view.parties).toEqual({
      A: { id: w.orgA.id, name: '甲商事株式会社' },
      B: { id: w.orgB.id, name: '乙システム株式会社' },
    });
    expect(view.itemRequests[0].requestedByName).toBe('A legal');
  });
});

forEachDialect('agreement obligations stay fresh', (h) => {
  it('a change under the agreement shows in the next list (the cache is validated by the audit head)', async () => {
    const w = await seedWorld(h.ctx, h.app);
    const agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    const inc = (
      await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: 't',
        suspected: true,
        discoveredAt: '2026-11-28T00:30:00Z',
      })
    ).json;
    const open = async () =>
      (
        (await w.a.viewer.get(`/api/v1/agreements/${agreementId}/obligations`)).json.items as Array<{
          clause: string;
        }>
      ).map((o) => o.clause);
    expect((await open()).sort()).toEqual(['3.1', '3.3']);
    expect(await open()).toHaveLength(2); // served again, from the cache
    await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
    expect(await open()).toEqual(['3.3']);
    await w.b.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
      kind: 'system_stop',
      description: '停止',
    });
    expect(await open()).toEqual([]);
    // Time passing alone changes states (no write): derivation runs on every request.
    const second = (
      await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: 'u',
        suspected: true,
        discoveredAt: '2026-11-28T00:30:00Z',
      })
    ).json;
    expect((await open()).length).toBe(2);
    const { createApiToken } = await import('../../src/app/auth/sessions.js');
    const viewer = client(h.app, {
      bearer: (await createApiToken(h.ctx, w.emails['a.viewer'] as string)).token,
    });
    h.clock.advance({ hours: 24 }); // sessions would have expired by then; tokens do not
    const breached = await viewer.get(`/api/v1/agreements/${agreementId}/obligations?state=breached`);
    h.clock.set('2026-11-28T01:00:00Z');
    expect(
      breached.json.items.filter((o: { incidentId: string }) => o.incidentId === second.id),
    ).toHaveLength(2);
  });
});
