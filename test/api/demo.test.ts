import { expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { login } from '../../src/app/auth/sessions.js';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { forEachDialect } from '../support/dialects.js';
import { client } from '../support/fixtures.js';

forEachDialect('demo data', (h) => {
  it('loads two companies, a signed agreement and an incident in progress; a second load changes nothing', async () => {
    const result = await loadDemo(h.ctx, { kind: 'system', label: 'test' });
    expect(result.created).toBe(true);
    expect(result.accounts.filter((a) => a.party === 'A').length).toBeGreaterThanOrEqual(3);
    const otsu = result.accounts.find((a) => a.party === 'B' && a.role === 'responder');
    const kou = result.accounts.find((a) => a.party === 'A' && a.role === 'owner');
    const asKou = client(h.app, { session: (await login(h.ctx, kou!.email, result.password!)).token });
    const agreement = (await asKou.get(`/api/v1/agreements/${result.agreementId}`)).json;
    expect(agreement.term.status).toBe('active');
    const incident = (await asKou.get(`/api/v1/incidents/${result.incidentId}`)).json;
    expect(incident.causeEntity).toBe('subcontractor');
    expect(incident.notices.map((n: { number: number }) => n.number)).toEqual([1, 2]);
    expect(incident.notices[0].acknowledgedAt).not.toBeNull();
    expect(incident.notices[1].acknowledgedAt).toBeNull();
    expect(incident.containmentActions).toHaveLength(1);
    // By clause and debtor: Art 3.3 binds both parties (乙 from discovery, 甲 from the first notice).
    const states = Object.fromEntries(
      incident.obligations.map((o: { clause: string; owedBy: string; state: string }) => [
        `${o.clause} ${o.owedBy}`,
        o.state,
      ]),
    );
    expect(states).toEqual({ '3.1 B': 'met_late', '3.3 B': 'met', '3.3 A': 'open', '3.2(6) B': 'open' });
    expect(incident.obligations).toHaveLength(4);
    const asOtsu = client(h.app, { session: (await login(h.ctx, otsu!.email, result.password!)).token });
    expect((await asOtsu.get(`/api/v1/incidents/${result.incidentId}`)).status).toBe(200);
    expect((await verifyAudit(h.db)).ok).toBe(true);
    // The agreement's audit trail reads in time order (the story is back-dated as a whole).
    const trail = (await asKou.get(`/api/v1/agreements/${result.agreementId}/audit-events`)).json
      .items as Array<{
      occurredAt: string;
      action: string;
    }>;
    expect(trail[0]?.action).toBe('agreement.created');
    const times = trail.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort());
    const again = await loadDemo(h.ctx, { kind: 'system', label: 'test' });
    expect(again.created).toBe(false);
    // A repeat points at what is there (the password was shown once and is not repeated).
    expect(again).toMatchObject({
      agreementId: result.agreementId,
      incidentId: result.incidentId,
      password: null,
    });
    expect(again.accounts.map((x) => x.email).sort()).toEqual(result.accounts.map((x) => x.email).sort());
  });
});

forEachDialect('demo endpoint access', (h) => {
  it('POST /api/v1/demo: 401 without session, 403 for a non-administrator, 201 then 200 for the administrator', async () => {
    const { seedWorld } = await import('../support/fixtures.js');
    const w = await seedWorld(h.ctx, h.app);
    expect((await w.anon.post('/api/v1/demo')).status).toBe(401);
    for (const c of [w.a.owner, w.b.legal, w.c.viewer])
      expect((await c.post('/api/v1/demo')).status).toBe(403);
    // The web button sends an Idempotency-Key; the reply (with the demo password) is not stored,
    // and a retry with the same key loads nothing twice anyway.
    const key = { 'idempotency-key': 'demo-button-1' };
    const first = await w.admin.post('/api/v1/demo', undefined, key);
    expect(first.status).toBe(201);
    expect(first.json.accounts.length).toBeGreaterThan(0);
    expect(first.json.password).toEqual(expect.any(String));
    const stored = await h.db.kysely.selectFrom('idempotency_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(first.json.password);
    const retry = await w.admin.post('/api/v1/demo', undefined, key);
    expect(retry.status).toBe(200);
    expect(retry.json.created).toBe(false);
  });
});
