import { beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, snapshot, type World } from '../support/fixtures.js';

type Row = {
  id: string;
  clause: string;
  owedBy: string;
  owedByUs: boolean;
  dueAt: string;
  state: string;
  basis: { article: string };
  incident: { id: string; title: string };
  agreement: { id: string; myParty: string; parties: { A: { name: string }; B: { name: string } } };
};

/** GET /api/v1/obligations — the work queue across every agreement of the caller's organisation. */
forEachDialect('work queue', (h) => {
  let w: World;
  let ab: string;
  let cb: string;
  let seen: string; // 乙's incident under 甲-乙, notified
  let own: string; // 乙's incident under C-乙, not notified yet

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    const agreement = async (partyA: string) =>
      (await w.admin.post('/api/v1/agreements', { partyA, partyB: w.orgB.id, signedOn: '2026-04-01' })).json
        .id as string;
    ab = await agreement(w.orgA.id);
    cb = await agreement(w.orgC.id);
    const report = async (on: string, discoveredAt: string, title: string) =>
      (
        await w.b.responder.post(`/api/v1/agreements/${on}/incidents`, {
          reportingParty: 'B',
          title,
          suspected: true,
          discoveredAt,
        })
      ).json.id as string;
    seen = await report(ab, '2026-11-27T20:00:00Z', '甲向けシステムの不審ログイン');
    own = await report(cb, '2026-11-27T10:00:00Z', 'C向け配送データの誤送信');
    await w.b.responder.post(`/api/v1/incidents/${seen}/notices`, { items: FIRST_ITEMS });
  });

  const rows = async (who: keyof World & ('a' | 'b' | 'c'), query = '') => {
    const res = await w[who].viewer.get(`/api/v1/obligations${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json.items as Row[];
  };

  it('乙 sees its own duties across both agreements, soonest first, with incident, agreement and basis', async () => {
    const mine = await rows('b', '?owedBy=us');
    // own's 3.1 and 3.3 fall due at the same instant (ties are ordered by the opaque id).
    expect(
      mine
        .map((r) => [r.incident.id, r.clause])
        .slice(0, 2)
        .sort(),
    ).toEqual([
      [own, '3.1'],
      [own, '3.3'],
    ]);
    expect(mine.slice(2).map((r) => [r.incident.id, r.clause])).toEqual([[seen, '3.3']]);
    const dues = mine.map((r) => r.dueAt);
    expect(dues).toEqual([...dues].sort());
    expect(mine.every((r) => r.owedByUs && r.agreement.myParty === 'B')).toBe(true);
    const first = mine.find((r) => r.clause === '3.1') as Row;
    expect(first.incident.title).toBe('C向け配送データの誤送信');
    expect(first.agreement).toMatchObject({ id: cb, parties: { B: { name: '乙システム株式会社' } } });
    expect(first.basis.article).toBe('第3条第1項');
    // owedBy=them: 甲's own Art 3.3 duty since the notice.
    expect((await rows('b', '?owedBy=them')).map((r) => [r.incident.id, r.clause, r.owedBy])).toEqual([
      [seen, '3.3', 'A'],
    ]);
  });

  it('甲 sees only what the memorandum entitles it to: nothing of C–乙, nothing not yet notified', async () => {
    const all = await rows('a');
    expect(new Set(all.map((r) => r.agreement.id))).toEqual(new Set([ab]));
    expect(all.map((r) => [r.clause, r.owedBy, r.owedByUs]).sort()).toEqual([
      ['3.3', 'A', true],
      ['3.3', 'B', false],
    ]);
    expect((await rows('c')).map((r) => r.incident.id)).toEqual([]); // own is not notified yet
  });

  it('filters: state, agreementId, dueBefore, clause', async () => {
    expect((await rows('b', `?agreementId=${cb}`)).every((r) => r.agreement.id === cb)).toBe(true);
    expect((await rows('b', '?clause=3.1')).map((r) => r.incident.id)).toEqual([own]);
    expect((await rows('b', '?state=met')).map((r) => [r.incident.id, r.clause])).toEqual([[seen, '3.1']]);
    const soon = await rows('b', '?dueBefore=2026-11-28T12:00:00Z');
    expect(soon.every((r) => r.dueAt <= '2026-11-28T12:00:00.000Z')).toBe(true);
    expect(soon.map((r) => r.incident.id)).toEqual([own, own]);
  });

  it('refuses no session (401), the administrator (403), another company’s agreement (404), bad filters (400); changes nothing', async () => {
    const before = await snapshot(h.ctx);
    expect((await w.anon.get('/api/v1/obligations')).status).toBe(401);
    expect((await w.admin.get('/api/v1/obligations')).status).toBe(403);
    expect((await w.a.owner.get(`/api/v1/obligations?agreementId=${cb}`)).status).toBe(404);
    const bad = await w.b.owner.get('/api/v1/obligations?owedBy=everyone');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await w.b.owner.get('/api/v1/obligations?state=late')).status).toBe(400);
    expect((await w.b.owner.get('/api/v1/obligations?dueBefore=tomorrow')).status).toBe(400);
    expect(await snapshot(h.ctx)).toBe(before);
  });
});
