import { beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

type Row = { clause: string; dueAt: string; owedByUs: boolean; incident: { id: string } };

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json.code).toBe(code);
  expect(res.json.messageJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(res.json.messageEn).toMatch(/[a-z]/);
}

/**
 * GET /api/v1/obligations/summary — the navigation's count of our own duties overdue and due within
 * 24 hours — and the work queue's clause filter checked against the clause registry.
 * The test clock stands at 2026-11-28T01:00:00Z (10:00 JST).
 */
forEachDialect('work queue summary and clause filter', (h) => {
  let w: World;
  let ab: string; // 甲–乙
  let cb: string; // 丙–乙
  let late: string; // 乙's incident under 甲–乙, discovered 29 h ago: its 3.1 and 3.3 are overdue
  let soon: string; // 乙's incident under 丙–乙, discovered 15 h ago: its 3.1 and 3.3 fall due in 9 h

  beforeAll(async () => {
    h.clock.set('2026-11-28T01:00:00Z');
    w = await seedWorld(h.ctx, h.app);
    const agreement = async (partyA: string) =>
      (await w.admin.post('/api/v1/agreements', { partyA, partyB: w.orgB.id, signedOn: '2026-04-01' })).json
        .id as string;
    ab = await agreement(w.orgA.id);
    cb = await agreement(w.orgC.id);
    const report = async (on: string, discoveredAt: string, title: string) => {
      const res = await w.b.responder.post(`/api/v1/agreements/${on}/incidents`, {
        reportingParty: 'B',
        title,
        suspected: true,
        discoveredAt,
      });
      expect(res.status, res.body).toBe(201);
      return res.json.id as string;
    };
    late = await report(ab, '2026-11-26T20:00:00Z', '甲向けシステムの不審ログイン');
    soon = await report(cb, '2026-11-27T10:00:00Z', '丙向け配送データの誤送信');
  });

  const summary = async (who: 'a' | 'b' | 'c', role: 'owner' | 'legal' | 'responder' | 'viewer', q = '') => {
    const res = await w[who][role].get(`/api/v1/obligations/summary${q}`);
    expect(res.status, res.body).toBe(200);
    return res.json as { overdue: number; dueWithin24h: number };
  };
  const queue = async (who: 'a' | 'b' | 'c', q = '') => {
    const res = await w[who].viewer.get(`/api/v1/obligations${q}`);
    expect(res.status, res.body).toBe(200);
    return res.json.items as Row[];
  };
  /** The same counts taken from the work queue itself, grouped as the page groups them. */
  const fromQueue = async (who: 'a' | 'b' | 'c') => {
    const now = Date.parse('2026-11-28T01:00:00Z');
    const rows = await queue(who, '?owedBy=us');
    return {
      overdue: rows.filter((r) => Date.parse(r.dueAt) < now).length,
      dueWithin24h: rows.filter((r) => {
        const left = Date.parse(r.dueAt) - now;
        return left >= 0 && left <= 24 * 3_600_000;
      }).length,
    };
  };

  it('counts 乙’s own duties: two overdue (late’s 3.1 and 3.3), two due within 24 hours (soon’s) — for every role', async () => {
    for (const role of ['owner', 'legal', 'responder', 'viewer'] as const) {
      expect(await summary('b', role)).toEqual({ overdue: 2, dueWithin24h: 2 });
    }
    expect(await fromQueue('b')).toEqual({ overdue: 2, dueWithin24h: 2 });
    // One agreement only.
    expect(await summary('b', 'viewer', `?agreementId=${cb}`)).toEqual({ overdue: 0, dueWithin24h: 2 });
    expect(await summary('b', 'viewer', `?agreementId=${ab}`)).toEqual({ overdue: 2, dueWithin24h: 0 });
    // 甲 sees nothing of an incident not yet notified to it; 丙 likewise.
    expect(await summary('a', 'owner')).toEqual({ overdue: 0, dueWithin24h: 0 });
    expect(await summary('c', 'owner')).toEqual({ overdue: 0, dueWithin24h: 0 });
  });

  it('moves with the duties: a late 第一報 settles 3.1, binds 甲 to its own 3.3, and time turns due into overdue', async () => {
    const sent = await w.b.responder.post(`/api/v1/incidents/${late}/notices`, { items: FIRST_ITEMS });
    expect(sent.status, sent.body).toBe(201);
    // 乙: late's 3.1 is met (late), its 3.3 still overdue; soon's two still due within 24 h.
    expect(await summary('b', 'owner')).toEqual({ overdue: 1, dueWithin24h: 2 });
    // 甲 owes its own Art 3.3 decision from the notice on; it counts only what 甲 owes.
    const a = await summary('a', 'responder');
    expect(a).toEqual(await fromQueue('a'));
    expect(a.overdue).toBe(0);
    expect((await queue('a', '?owedBy=us')).map((r) => [r.incident.id, r.clause])).toEqual([[late, '3.3']]);
    h.clock.advance({ hours: 10 }); // past soon's due time (2026-11-28T10:00Z)
    try {
      expect(await summary('b', 'viewer')).toEqual({ overdue: 3, dueWithin24h: 0 });
    } finally {
      h.clock.set('2026-11-28T01:00:00Z');
    }
  });

  it('the work queue filters by a clause of the registry, and refuses a clause it does not know', async () => {
    // Since late's 第一報, 甲 owes its own 3.3 decision too: 乙 sees it as the other party's.
    const art33 = await queue('b', '?clause=3.3');
    expect(art33.every((r) => r.clause === '3.3')).toBe(true);
    expect(art33.map((r) => [r.incident.id, r.owedByUs]).sort()).toEqual(
      [
        [late, true],
        [late, false],
        [soon, true],
      ].sort(),
    );
    expect((await queue('b', '?clause=3.1')).map((r) => r.incident.id)).toEqual([soon]);
    expect(await queue('b', `?clause=${encodeURIComponent('3.2(6)')}`)).toEqual([]);
    const before = await snapshot(h.ctx);
    const bad = await w.b.viewer.get('/api/v1/obligations?clause=9.9');
    expectProblem(bad, 400, 'VALIDATION_FAILED');
    expect(bad.json.errors).toEqual([
      expect.objectContaining({ path: 'querystring.clause', code: 'NOT_ALLOWED' }),
    ]);
    expect(bad.json.errors[0].messageJa).toContain('3.1');
    expect(bad.json.errors[0].messageEn).toContain('3.2(6)');
    expect(await snapshot(h.ctx)).toBe(before);
  });

  it('refuses no session (401), the administrator (403), another company’s agreement (404), bad input (400); changes nothing', async () => {
    const before = await snapshot(h.ctx);
    expectProblem(await w.anon.get('/api/v1/obligations/summary'), 401, 'UNAUTHENTICATED');
    expectProblem(await w.admin.get('/api/v1/obligations/summary'), 403, 'FORBIDDEN');
    expectProblem(
      await w.a.owner.get(`/api/v1/obligations/summary?agreementId=${cb}`),
      404,
      'AGREEMENT_NOT_FOUND',
    );
    expectProblem(
      await w.a.viewer.get('/api/v1/obligations/summary?agreementId=agr_nonexistent'),
      404,
      'AGREEMENT_NOT_FOUND',
    );
    const unknown = await w.b.owner.get('/api/v1/obligations/summary?owedBy=them');
    expectProblem(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.json.errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD' })]);
    expect(await snapshot(h.ctx)).toBe(before);
  });
});
