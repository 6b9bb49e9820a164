import { beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { createApiToken } from '../../src/app/auth/sessions.js';
import { client, FIRST_ITEMS, seedWorld, type Client, type World } from '../support/fixtures.js';

type Row = {
  id: string;
  clause: string;
  owedBy: string;
  dueAt: string;
  state: string;
  secondsLeft: number;
  incident: { id: string };
  agreement: { id: string };
};

const T0 = '2026-11-28T01:00:00.000Z';

/**
 * The work queue's fast path (one query for the agreements and their stamps; records cached per
 * stamp; derived obligations reused while no due time is crossed) must answer exactly what deriving
 * everything afresh answers: at any instant, after any change, and with the visibility rule applied
 * per caller even though both parties' reads share one cache.
 */
forEachDialect('work queue: cached derivation', (h) => {
  let w: World;
  let ab: string;
  let cb: string;
  // Bearer tokens, not sessions: the clock moves days here and a session would expire (12 h).
  let as: Record<'a' | 'b' | 'c' | 'bResponder', Client>;

  beforeAll(async () => {
    h.clock.set(T0);
    w = await seedWorld(h.ctx, h.app);
    const bearer = async (email: string | undefined) =>
      client(h.app, { bearer: (await createApiToken(h.ctx, email as string, 'work-queue-cache')).token });
    as = {
      a: await bearer(w.emails['a.viewer']),
      b: await bearer(w.emails['b.viewer']),
      c: await bearer(w.emails['c.viewer']),
      bResponder: await bearer(w.emails['b.responder']),
    };
    const agreement = async (partyA: string) =>
      (await w.admin.post('/api/v1/agreements', { partyA, partyB: w.orgB.id, signedOn: '2026-04-01' })).json
        .id as string;
    ab = await agreement(w.orgA.id);
    cb = await agreement(w.orgC.id);
  });

  const report = async (on: string, discoveredAt: string, title: string) => {
    const res = await as.bResponder.post(`/api/v1/agreements/${on}/incidents`, {
      reportingParty: 'B',
      title,
      suspected: true,
      discoveredAt,
    });
    expect(res.status, res.body).toBe(201);
    return res.json.id as string;
  };
  const queue = async (who: 'a' | 'b' | 'c', query = '') => {
    const res = await as[who].get(`/api/v1/obligations${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json.items as Row[];
  };
  const of = (rows: Row[], incidentId: string) =>
    rows
      .filter((r) => r.incident.id === incidentId)
      .map((r) => [r.clause, r.owedBy, r.state])
      .sort();

  it('the counterparty sees nothing before the first notice, even when the reporting party’s read filled the cache', async () => {
    h.clock.set(T0);
    const hidden = await report(ab, '2026-11-27T22:00:00Z', '未通知の事故（キャッシュ共有）');
    // 乙 reads first: the agreement's records and derived duties are now cached for both parties.
    expect(of(await queue('b'), hidden)).toEqual([
      ['3.1', 'B', 'open'],
      ['3.3', 'B', 'open'],
    ]);
    expect(of(await queue('a'), hidden)).toEqual([]);
    expect(of(await queue('a', `?agreementId=${ab}&state=all`), hidden)).toEqual([]);
    expect(of(await queue('c'), hidden)).toEqual([]); // not a party at all
    // The first notice opens it to 甲, with 甲's own Art 3.3 duty from the notice on.
    const sent = await as.bResponder.post(`/api/v1/incidents/${hidden}/notices`, { items: FIRST_ITEMS });
    expect(sent.status, sent.body).toBe(201);
    expect(of(await queue('a'), hidden)).toEqual([
      ['3.3', 'A', 'open'],
      ['3.3', 'B', 'open'],
    ]);
    expect(of(await queue('a', '?state=met'), hidden)).toEqual([['3.1', 'B', 'met']]);
  });

  it('a duty turns breached one millisecond after its due instant, and open again if the clock goes back', async () => {
    h.clock.set(T0);
    const id = await report(cb, '2026-11-28T00:00:00Z', '期限をまたぐ事故');
    const notice = async () =>
      (await queue('b', '?clause=3.1&state=all')).find((r) => r.incident.id === id) as Row;
    const row = await notice();
    expect(row.state).toBe('open');
    expect(row.dueAt).toBe('2026-11-29T00:00:00.000Z'); // discovery + 24 h (Art 3.1, noticeTargetHours)
    h.clock.set(row.dueAt);
    expect(await notice()).toMatchObject({ state: 'open', secondsLeft: 0 });
    h.clock.set('2026-11-29T00:00:00.001Z');
    expect(await notice()).toMatchObject({ state: 'breached', secondsLeft: 0 });
    expect((await queue('b', '?clause=3.1&state=open')).map((r) => r.incident.id)).not.toContain(id);
    h.clock.set('2026-11-28T12:00:00.000Z');
    expect(await notice()).toMatchObject({ state: 'open', secondsLeft: 12 * 3600 });
    expect((await queue('b', '?clause=3.1&state=breached')).map((r) => r.incident.id)).not.toContain(id);
    h.clock.set(T0);
  });

  it('answers what each agreement’s own obligation list derives afresh, at every instant tried and after changes', async () => {
    h.clock.set(T0);
    const other = await report(cb, '2026-11-27T23:30:00Z', '封じ込め前の事故');
    const compare = async () => {
      for (const agreementId of [ab, cb]) {
        const fresh = await as.b.get(`/api/v1/agreements/${agreementId}/obligations?state=all`);
        expect(fresh.status, fresh.body).toBe(200);
        const want = (fresh.json.items as Row[]).map((r) => `${r.id}|${r.state}|${r.secondsLeft}`).sort();
        const got = (await queue('b', `?agreementId=${agreementId}&state=all`))
          .map((r) => `${r.id}|${r.state}|${r.secondsLeft}`)
          .sort();
        expect(got).toEqual(want);
        expect(got.length).toBeGreaterThan(0);
      }
    };
    for (const at of [
      T0,
      '2026-11-28T23:30:00.000Z',
      '2026-11-28T23:30:00.001Z',
      '2026-12-03T00:00:00.000Z',
      T0,
    ]) {
      h.clock.set(at);
      await compare();
    }
    // A change under one agreement shows in the next read: 乙's containment meets its Art 3.3 duty.
    h.clock.set('2026-11-28T02:00:00.000Z');
    expect(of(await queue('b', '?clause=3.3'), other)).toEqual([['3.3', 'B', 'open']]);
    const contained = await as.bResponder.post(`/api/v1/incidents/${other}/containment-actions`, {
      kind: 'access_cutoff',
      description: 'VPN 停止',
    });
    expect(contained.status, contained.body).toBe(201);
    expect(of(await queue('b', '?clause=3.3'), other)).toEqual([]);
    expect(of(await queue('b', '?clause=3.3&state=met'), other)).toEqual([['3.3', 'B', 'met']]);
    await compare();
    h.clock.set(T0);
  });
});
