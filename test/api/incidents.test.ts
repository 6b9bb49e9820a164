import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { client, FIRST_ITEMS, seedWorld, snapshot, type World } from '../support/fixtures.js';

const NOW = '2026-11-28T01:00:00Z'; // the harness clock: 10:00 in Tokyo

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

  /** The reporting party's first notice: from then on the counterparty sees the incident (Art 3.1). */
  const notify = (incidentId: string) =>
    w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: FIRST_ITEMS });
  const mine = (list: Array<{ clause: string; owedBy: string }>, clause: string, owedBy = 'B') =>
    list.find((o) => o.clause === clause && o.owedBy === owedBy) as unknown as Record<string, unknown> & {
      id: string;
      state: string;
    };

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
      expect(byClause['3.1'].basis).toMatchObject({
        article: '第3条第1項',
        parameter: 'noticeTargetHours',
        value: 24,
      });
      expect(byClause['3.1'].basis.rule.ja).toBe('発覚日時から24時間（第3条第1項「速やかに」の運用目安）');
      // Until its first notice the incident is the reporting party's own (Art 3.1).
      expect((await w.a.viewer.get(`/api/v1/incidents/${inc.id}`)).status).toBe(404);
      expect((await notify(inc.id)).status).toBe(201);
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
      expect(first.json).toMatchObject({
        number: 1,
        version: 1,
        kind: 'first',
        fromParty: 'B',
        acknowledgedAt: null,
      });
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
      expect(second.json).toMatchObject({ number: 2, version: 2, kind: 'follow_up' });
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
      expect(ack.json.version).toBe(1);

      // Every place a notice is shown carries `version` (the 続報's version number) beside `number`.
      const view = (await w.a.viewer.get(`/api/v1/incidents/${inc.id}`)).json;
      expect(view.notices.map((n: { number: number; version: number }) => [n.number, n.version])).toEqual([
        [1, 1],
        [2, 2],
      ]);
      const listed = (await w.a.viewer.get(`/api/v1/incidents/${inc.id}/notices`)).json.items;
      expect(listed.map((n: { version: number }) => n.version)).toEqual([1, 2]);
      const one = await w.a.viewer.get(`/api/v1/notices/${second.json.id}`);
      expect(one.json).toMatchObject({ number: 2, version: 2 });
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

    it('a dismissed incident still takes its first notice (Art 3.1 survives dismissal); a second → 409', async () => {
      const inc = (await report()).json;
      const dismissed = await w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, {
        to: 'dismissed',
        reason: '誤検知',
      });
      expect(dismissed.status).toBe(200);
      expect(dismissed.json.state).toBe('dismissed');
      expect(mine(dismissed.json.obligations, '3.1').state).toBe('open');
      expect(mine(dismissed.json.obligations, '3.3').state).toBe('waived');
      const first = await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, {
        items: {
          ...FIRST_ITEMS,
          summary: '調査の結果、情報漏えい事故に当たらないことが判明しました（誤検知）',
        },
      });
      expect(first.status).toBe(201);
      const obligations = (await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items;
      expect(mine(obligations, '3.1').state).toBe('met');
      const res = await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('INCIDENT_NOT_OPEN');
    });

    it('the counterparty asks for further items; the answer meets the new obligation', async () => {
      const inc = (await report()).json;
      await notify(inc.id);
      const req = await w.a.legal.post(`/api/v1/incidents/${inc.id}/item-requests`, {
        question: '影響を受ける本人の件数の見込みを教えてください',
        dueAt: '2026-11-29T11:00:00+09:00',
      });
      expect(req.status).toBe(201);
      // The POST names the asker as GET /incidents/{id} does.
      expect(req.json).toMatchObject({ requestedByName: 'A legal', answeredByName: null });
      const obl = (await w.b.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items.find(
        (o: { clause: string }) => o.clause === '3.2(6)',
      );
      expect(obl).toMatchObject({ owedBy: 'B', dueAt: '2026-11-29T02:00:00.000Z', state: 'open' });
      const answered = await w.b.responder.post(`/api/v1/item-requests/${req.json.id}/answer`, {
        answer: '約1,200名',
      });
      expect(answered.status).toBe(200);
      expect(answered.json).toMatchObject({
        answer: '約1,200名',
        requestedByName: 'A legal',
        answeredByName: 'B responder',
      });
      const viewed = (await w.a.viewer.get(`/api/v1/incidents/${inc.id}`)).json.itemRequests.find(
        (r: { id: string }) => r.id === req.json.id,
      );
      expect(viewed).toMatchObject({ requestedByName: 'A legal', answeredByName: 'B responder' });
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
      const before = (await w.b.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items;
      // Recorded now, 2 days after discovery: Art 3.3 is judged on the recording, takenAt shown beside it.
      expect(mine(before, '3.3')).toMatchObject({
        state: 'met_late',
        metBy: { type: 'containment', takenAt: '2026-11-26T03:00:00.000Z', at: '2026-11-28T01:00:00.000Z' },
      });
      expect(mine(before, '3.1').state).toBe('breached');
      await notify(inc.id);
      const after = (await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items;
      expect(mine(after, '3.1').state).toBe('met_late');
    });

    it('none_needed takes the Art 3.3 reason as `reason` (or `description`) and meets Art 3.3', async () => {
      const inc = (await report()).json;
      await notify(inc.id);
      const url = `/api/v1/incidents/${inc.id}/containment-actions`;
      const none = await w.b.responder.post(url, {
        kind: 'none_needed',
        reason: '対象端末は既に廃棄済みで、外部との通信経路が存在しないため',
      });
      expect(none.status).toBe(201);
      expect(none.json).toMatchObject({
        kind: 'none_needed',
        description: '対象端末は既に廃棄済みで、外部との通信経路が存在しないため',
        reason: '対象端末は既に廃棄済みで、外部との通信経路が存在しないため',
      });
      const o33 = mine((await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items, '3.3');
      expect(o33).toMatchObject({ state: 'met', metBy: { id: none.json.id } });
      // Both given: the description is kept. 甲's own decision meets 甲's own Art 3.3 duty (甲及び乙).
      const both = await w.a.owner.post(url, { kind: 'none_needed', description: '説明', reason: '理由' });
      expect(both.status).toBe(201);
      const o33a = mine(
        (await w.a.owner.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items,
        '3.3',
        'A',
      );
      expect(o33a).toMatchObject({ state: 'met', owedTo: 'B', metBy: { id: both.json.id } });
      expect(both.json).toMatchObject({ description: '説明', reason: '説明' });
      // A measure has no reason; `description` alone still works as before.
      const cut = await w.b.responder.post(url, { kind: 'access_cutoff', description: 'VPN 停止' });
      expect(cut.status).toBe(201);
      expect(cut.json).toMatchObject({ description: 'VPN 停止', reason: null });
      const view = (await w.a.viewer.get(`/api/v1/incidents/${inc.id}`)).json;
      expect(
        view.containmentActions.map((c: { kind: string; description: string; reason: string | null }) => [
          c.kind,
          c.description,
          c.reason,
        ]),
      ).toEqual([
        ['none_needed', none.json.description, none.json.description],
        ['none_needed', '説明', '説明'],
        ['access_cutoff', 'VPN 停止', null],
      ]);
    });

    it('containment without description or reason → 400 naming description, and changes nothing', async () => {
      const inc = (await report()).json;
      const url = `/api/v1/incidents/${inc.id}/containment-actions`;
      const before = await snapshot(h.ctx);
      const missing = await w.b.responder.post(url, { kind: 'none_needed' });
      expect(missing.status).toBe(400);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.json.code).toBe('VALIDATION_FAILED');
      expect(missing.json.errors.map((e: { path: string }) => e.path)).toEqual(['description']);
      const measure = await w.b.responder.post(url, { kind: 'other' });
      expect(measure.status).toBe(400);
      expect(measure.json.errors.map((e: { path: string }) => e.path)).toEqual(['description']);
      const blank = await w.b.responder.post(url, { kind: 'none_needed', reason: '   ' });
      expect(blank.status).toBe(400);
      expect(blank.json.code).toBe('VALIDATION_FAILED');
      const wrongType = await w.b.responder.post(url, { kind: 'none_needed', reason: 42 });
      expect(wrongType.status).toBe(400);
      const unknown = await w.b.responder.post(url, { kind: 'none_needed', reason: 'x', why: 'y' });
      expect(unknown.status).toBe(400);
      expect(unknown.json.errors[0].code).toBe('UNKNOWN_FIELD');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('lists an agreement’s open obligations soonest first; the party owed can waive one', async () => {
      const inc = (await report({ discoveredAt: '2026-11-28T00:30:00Z' })).json;
      const hidden = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/obligations`);
      expect(hidden.json.items.some((o: { incidentId: string }) => o.incidentId === inc.id)).toBe(false);
      await notify(inc.id);
      const list = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/obligations`);
      expect(list.status).toBe(200);
      const dues = list.json.items.map((o: { dueAt: string }) => o.dueAt);
      expect(dues).toEqual([...dues].sort());
      expect(list.json.items.every((o: { state: string }) => o.state === 'open')).toBe(true);
      const target = list.json.items.find(
        (o: { incidentId: string; clause: string; owedBy: string }) =>
          o.incidentId === inc.id && o.clause === '3.3' && o.owedBy === 'B',
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

  describe('listing', () => {
    it('filters by state/states, kind/kinds and infoCategory/infoCategories alike', async () => {
      const listAgreement = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id as string;
      const mk = async (body: Record<string, unknown>) =>
        (
          await w.b.responder.post(`/api/v1/agreements/${listAgreement}/incidents`, {
            reportingParty: 'B',
            title: 't',
            suspected: true,
            discoveredAt: '2026-11-27T23:40:00+09:00',
            ...body,
          })
        ).json.id as string;
      const cyber = await mk({ kinds: ['cyber_attack'], infoCategories: ['personal'] });
      const human = await mk({ kinds: ['human_error'], infoCategories: ['trade_secret'] });
      const confirmed = await mk({ kinds: ['human_error'], infoCategories: ['personal'] });
      expect(
        (await w.b.owner.post(`/api/v1/incidents/${confirmed}/transitions`, { to: 'confirmed' })).status,
      ).toBe(200);
      const ids = async (query: string) => {
        const res = await w.b.viewer.get(`/api/v1/agreements/${listAgreement}/incidents?${query}`);
        expect(res.status, query).toBe(200);
        return (res.json.items as Array<{ id: string }>).map((i) => i.id).sort();
      };
      const sorted = (...xs: string[]) => [...xs].sort();
      for (const [singular, plural, value, expected] of [
        ['kind', 'kinds', 'human_error', sorted(human, confirmed)],
        ['infoCategory', 'infoCategories', 'personal', sorted(cyber, confirmed)],
        ['state', 'states', 'suspected', sorted(cyber, human)],
        ['state', 'states', 'confirmed,closed', [confirmed]],
      ] as const) {
        expect(await ids(`${singular}=${value}`)).toEqual(expected);
        expect(await ids(`${plural}=${value}`)).toEqual(expected);
        expect(await ids(`${singular}=${value}&${plural}=${value}`)).toEqual(expected);
      }
      expect(await ids('kinds=human_error&infoCategories=personal&states=confirmed')).toEqual([confirmed]);
    });

    it('bad or conflicting list filters → 400 problem+json', async () => {
      const url = `/api/v1/agreements/${agreementId}/incidents`;
      const bad = async (query: string, path: string, code?: string) => {
        const res = await w.a.viewer.get(`${url}?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.headers['content-type'], query).toContain('application/problem+json');
        expect(res.json.code, query).toBe('VALIDATION_FAILED');
        expect(res.json.errors[0].path, query).toBe(`querystring.${path}`);
        if (code) expect(res.json.errors[0].code, query).toBe(code);
      };
      await bad('kinds=meteor', 'kinds', 'NOT_ALLOWED');
      await bad('infoCategories=gossip', 'infoCategories', 'NOT_ALLOWED');
      await bad('state=suspected,sleeping', 'state.1', 'NOT_ALLOWED');
      await bad('states=suspected,sleeping', 'states.1', 'NOT_ALLOWED');
      await bad('kind=cyber_attack&kinds=human_error', 'kinds');
      await bad('state=suspected&states=confirmed', 'states');
      await bad('infoCategory=personal&infoCategories=customer', 'infoCategories');
      await bad('kindz=cyber_attack', 'kindz', 'UNKNOWN_FIELD');
    });
  });

  describe('state machine', () => {
    it('moves suspected → confirmed → contained → recovering → closed and refuses skips', async () => {
      const inc = (await report()).json;
      const to = (s: string) => w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, { to: s });
      expect((await to('contained')).status).toBe(409);
      // Art 3.1 and 3.3 met, so nothing stands in the way of closing.
      await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
      await w.b.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
        kind: 'access_cutoff',
        description: 'VPN 停止',
      });
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
      // The administrator sees the chain's integrity and counts, not its events (issue 7, finding 2c).
      const admin = await w.admin.get(`/api/v1/agreements/${agreementId}/audit-events`);
      expect(admin.json.items).toEqual([]);
      expect(admin.json.summary).toMatchObject({ chain: agreementId, verified: true });
      expect(admin.body).not.toContain(inc.id);
    });

    it('closing (終結) needs the Art 3.1 notice settled (409 NOTICE_OBLIGATION_OPEN); other unmet duties stay owed (named in the audit event); nothing more is recorded after it', async () => {
      // Discovered 23 h before the harness clock: the Art 3.1 notice falls due in an hour.
      const inc = (await report({ discoveredAt: '2026-11-27T02:00:00Z' })).json;
      expect(inc.suspected).toBe(true);
      const to = (s: string) => w.b.owner.post(`/api/v1/incidents/${inc.id}/transitions`, { to: s });
      const confirmed = await to('confirmed');
      // Past the suspicion stage the flag follows the state.
      expect(confirmed.json).toMatchObject({ state: 'confirmed', suspected: false });
      expect((await to('contained')).status).toBe(200);
      expect((await to('recovering')).status).toBe(200);

      // A refusal is not replayed for the same Idempotency-Key once its cause is gone (the web
      // form retries with the key it used).
      const close = () =>
        w.b.owner.post(
          `/api/v1/incidents/${inc.id}/transitions`,
          { to: 'closed' },
          { 'idempotency-key': `close-${inc.id}` },
        );
      // After closing no notice can be sent, so a closing with 3.1 owed would make the breach certain.
      const beforeRefusal = await snapshot(h.ctx);
      const refusedClose = await close();
      expect([refusedClose.status, refusedClose.json.code]).toEqual([409, 'NOTICE_OBLIGATION_OPEN']);
      expect(refusedClose.json.clause).toBe('3.1');
      expect(await snapshot(h.ctx)).toBe(beforeRefusal);

      await notify(inc.id);
      const asked = await w.a.legal.post(`/api/v1/incidents/${inc.id}/item-requests`, {
        question: '件数は？',
      });
      expect(asked.status).toBe(201);
      // 乙's Art 3.3 decided; 甲's own Art 3.3 duty (from the notice) and the request stay unmet.
      await w.b.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
        kind: 'none_needed',
        reason: '外部送信なし',
      });
      const closed = await close();
      expect(closed.status, closed.body).toBe(200);
      expect(closed.headers['idempotent-replayed']).toBeUndefined();
      expect(closed.json.state).toBe('closed');

      const events = (await w.a.viewer.get(`/api/v1/agreements/${agreementId}/audit-events`)).json.items;
      const closing = events.findLast((e: { recordId: string }) => e.recordId === inc.id);
      expect(closing.payload.after).toEqual({ state: 'closed' });
      expect(closing.payload.unsettledObligations.map((o: { clause: string }) => o.clause).sort()).toEqual([
        '3.2(6)',
        '3.3',
      ]);

      // After closing nothing more is recorded under Art 3 (409), and nothing changes.
      const afterClose = await snapshot(h.ctx);
      const refused = [
        await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS }),
        await w.b.responder.post(`/api/v1/item-requests/${asked.json.id}/answer`, { answer: '1,200件' }),
        await w.a.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
          kind: 'other',
          description: '事後の措置',
        }),
      ];
      expect(refused.map((r) => [r.status, r.json.code])).toEqual([
        [409, 'INCIDENT_NOT_OPEN'],
        [409, 'INCIDENT_NOT_OPEN'],
        [409, 'INCIDENT_NOT_OPEN'],
      ]);
      expect(await snapshot(h.ctx)).toBe(afterClose);

      // The duties stay owed: past its due time the request is breached, closed or not; the party
      // owed can still waive it.
      const { createApiToken } = await import('../../src/app/auth/sessions.js');
      const legal = client(h.app, {
        bearer: (await createApiToken(h.ctx, w.emails['a.legal'] as string)).token,
      });
      h.clock.set('2026-11-30T03:00:00Z'); // sessions would have expired by then; tokens do not
      try {
        const got = await legal.get(`/api/v1/incidents/${inc.id}/obligations`);
        expect(got.status, got.body).toBe(200);
        expect(mine(got.json.items, '3.1').state).toBe('met');
        expect(mine(got.json.items, '3.3').state).toBe('met');
        expect(mine(got.json.items, '3.3', 'A').state).toBe('breached');
        const request = mine(got.json.items, '3.2(6)');
        expect(request.state).toBe('breached');
        const waived = await legal.post(`/api/v1/obligations/${request.id}/waiver`, {
          reason: '不要になった',
        });
        expect(waived.json.state).toBe('waived');
      } finally {
        h.clock.set(NOW);
      }
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
    // Not notified yet: 甲 sees nothing of it; 乙 sees its own duties.
    expect(await open()).toEqual([]);
    const own = async () =>
      (
        (await w.b.viewer.get(`/api/v1/agreements/${agreementId}/obligations`)).json.items as Array<{
          clause: string;
        }>
      ).map((o) => o.clause);
    expect((await own()).sort()).toEqual(['3.1', '3.3']);
    expect(await own()).toHaveLength(2); // served again, from the cache
    await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
    // 乙's 3.3 and, from the notice, 甲's own 3.3 (Art 3.3: 甲及び乙).
    expect(await open()).toEqual(['3.3', '3.3']);
    await w.b.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
      kind: 'system_stop',
      description: '停止',
    });
    await w.a.responder.post(`/api/v1/incidents/${inc.id}/containment-actions`, {
      kind: 'none_needed',
      reason: '甲側のシステムは影響なし',
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
    await w.b.responder.post(`/api/v1/incidents/${second.id}/notices`, { items: FIRST_ITEMS });
    expect((await open()).length).toBe(2);
    const { createApiToken } = await import('../../src/app/auth/sessions.js');
    const viewer = client(h.app, {
      bearer: (await createApiToken(h.ctx, w.emails['a.viewer'] as string)).token,
    });
    h.clock.advance({ hours: 25 }); // sessions would have expired by then; tokens do not
    const breached = await viewer.get(`/api/v1/agreements/${agreementId}/obligations?state=breached`);
    h.clock.set('2026-11-28T01:00:00Z');
    expect(
      breached.json.items.filter((o: { incidentId: string }) => o.incidentId === second.id),
    ).toHaveLength(2);
  });
});
