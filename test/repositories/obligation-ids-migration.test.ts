import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { obligationId } from '../../src/domain/obligation/engine.js';
import { opaqueId, rekeyObligationIds } from '../../src/persistence/migrations/0004-obligation-registry.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld } from '../support/fixtures.js';

describe('migration 0004: opaque obligation ids', () => {
  it('its frozen copy of the id function gives the engine’s ids', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.constantFrom('3.1', '3.3', '3.2(6)'),
        fc.string(),
        fc.constantFrom('A', 'B'),
        (i, c, src, p) => {
          expect(opaqueId(i, c, src, p)).toBe(obligationId(i, c, src, p));
        },
      ),
      { numRuns: 300 },
    );
  });
});

forEachDialect('migration 0004 re-keys stored obligation ids', (h) => {
  it('old-format ids in the clocks and waivers become the engine’s ids, with the index columns filled', async () => {
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
        discoveredAt: '2026-11-27T10:00:00Z',
      })
    ).json;
    await w.b.responder.post(`/api/v1/incidents/${inc.id}/notices`, { items: FIRST_ITEMS });
    const req = (await w.a.legal.post(`/api/v1/incidents/${inc.id}/item-requests`, { question: '件数は？' }))
      .json;
    const items = (await w.a.legal.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items as Array<{
      id: string;
      clause: string;
      owedBy: string;
    }>;
    const of = (clause: string) => items.find((o) => o.clause === clause && o.owedBy === 'B')?.id as string;
    const r = await w.a.legal.post(`/api/v1/obligations/${of('3.2(6)')}/waiver`, { reason: '不要' });
    expect(r.status, r.body).toBe(200);

    // Put the ids back into the 0.2 format, as a database from before the registry holds them.
    const suffix = inc.id.slice(4);
    const old: Record<string, string> = {
      [of('3.1')]: `obl_${suffix}_3-1`,
      [of('3.3')]: `obl_${suffix}_3-3`,
      [of('3.2(6)')]: `obl_${suffix}_3-2-6_${(req.id as string).slice(4)}`,
    };
    const k = h.db.kysely;
    for (const [now, was] of Object.entries(old)) {
      await k
        .updateTable('obligation_clocks')
        .set({
          obligation_id: was,
          clause: null,
          source_type: null,
          source_id: null,
          owed_by: null,
          owed_to: null,
        })
        .where('obligation_id', '=', now)
        .execute();
      await k
        .updateTable('obligation_waivers')
        .set({ obligation_id: was })
        .where('obligation_id', '=', now)
        .execute();
    }
    await rekeyObligationIds(k);

    const clocks = await k
      .selectFrom('obligation_clocks')
      .selectAll()
      .where('incident_id', '=', inc.id)
      .execute();
    for (const [now] of Object.entries(old)) {
      const row = clocks.find((c) => c.obligation_id === now);
      expect(row, now).toBeDefined();
      expect(row?.owed_by).toBe('B');
      expect(row?.clause).toMatch(/^3\./);
    }
    const waivers = await k
      .selectFrom('obligation_waivers')
      .select('obligation_id')
      .where('incident_id', '=', inc.id)
      .execute();
    expect(waivers.map((x) => x.obligation_id)).toEqual([of('3.2(6)')]);
    // The waiver still applies to the obligation the engine derives.
    const after = (await w.a.legal.get(`/api/v1/incidents/${inc.id}/obligations`)).json.items as Array<{
      id: string;
      state: string;
    }>;
    expect(after.find((o) => o.id === of('3.2(6)'))?.state).toBe('waived');
  });
});
