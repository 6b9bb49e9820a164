import { beforeAll, describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, snapshot, type Client, type World } from '../support/fixtures.js';

/**
 * The access matrix of every agreement endpoint: no session → 401; a role that may not → 403;
 * a user of a company that is not a party → 404 (the agreement is never revealed). Every refused
 * write leaves the database exactly as it was.
 */
forEachDialect('agreement endpoints access', (h) => {
  let w: World;
  let draftId: string;
  let activeId: string;

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    draftId = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json.id;
    activeId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
  });

  type Call = (c: Client) => Promise<{ status: number; json: { code?: string } }>;
  interface Endpoint {
    name: string;
    call: Call;
    write: boolean;
    /** Roles of a party that are refused with 403. */
    forbiddenRoles: Array<'owner' | 'legal' | 'responder' | 'viewer'>;
  }

  const endpoints: Endpoint[] = [
    { name: 'GET /agreements', call: (c) => c.get('/api/v1/agreements'), write: false, forbiddenRoles: [] },
    {
      name: 'POST /agreements',
      call: (c) => c.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id }),
      write: true,
      forbiddenRoles: ['legal', 'responder', 'viewer'],
    },
    {
      name: 'GET /agreements/{id}',
      call: (c) => c.get(`/api/v1/agreements/${activeId}`),
      write: false,
      forbiddenRoles: [],
    },
    {
      name: 'PATCH /agreements/{id}',
      call: (c) => c.patch(`/api/v1/agreements/${draftId}`, { dateStyle: 'japanese' }, { 'if-match': '"1"' }),
      write: true,
      forbiddenRoles: ['responder', 'viewer'],
    },
    {
      name: 'POST /agreements/{id}/sign',
      call: (c) => c.post(`/api/v1/agreements/${draftId}/sign`, { signedOn: '2026-04-01' }),
      write: true,
      forbiddenRoles: ['responder', 'viewer'],
    },
    {
      name: 'POST /agreements/{id}/termination-notices',
      call: (c) =>
        c.post(`/api/v1/agreements/${activeId}/termination-notices`, {
          byParty: 'A',
          receivedOn: '2026-11-05',
        }),
      write: true,
      forbiddenRoles: ['responder', 'viewer'],
    },
    {
      name: 'GET /agreements/{id}/document',
      call: (c) => c.get(`/api/v1/agreements/${activeId}/document?format=html`),
      write: false,
      forbiddenRoles: [],
    },
    {
      name: 'GET /agreements/{id}/audit-events',
      call: (c) => c.get(`/api/v1/agreements/${activeId}/audit-events`),
      write: false,
      forbiddenRoles: [],
    },
  ];

  for (const ep of endpoints) {
    describe(ep.name, () => {
      it('answers 401 without a session, and changes nothing', async () => {
        const before = await snapshot(h.ctx);
        const res = await ep.call(w.anon);
        expect(res.status).toBe(401);
        expect(res.json.code).toBe('UNAUTHENTICATED');
        expect(await snapshot(h.ctx)).toBe(before);
      });

      if (ep.forbiddenRoles.length > 0) {
        it(`answers 403 to ${ep.forbiddenRoles.join(', ')} of either party, and changes nothing`, async () => {
          const before = await snapshot(h.ctx);
          for (const role of ep.forbiddenRoles) {
            for (const side of [w.a, w.b]) {
              const res = await ep.call(side[role]);
              expect(res.status, role).toBe(403);
              expect(res.json.code).toBe('FORBIDDEN');
            }
          }
          expect(await snapshot(h.ctx)).toBe(before);
        });
      }

      if (ep.name !== 'GET /agreements') {
        it('refuses a user of a company that is not a party (404/403), and changes nothing', async () => {
          const before = await snapshot(h.ctx);
          for (const role of ['owner', 'legal', 'responder', 'viewer'] as const) {
            const res = await ep.call(w.c[role]);
            expect([403, 404], `${role} → ${res.status}`).toContain(res.status);
            if (ep.name !== 'POST /agreements') expect(res.json.code).toBe('AGREEMENT_NOT_FOUND');
          }
          expect(await snapshot(h.ctx)).toBe(before);
        });
      }
    });
  }

  it('a non-party never sees the agreement in its list', async () => {
    for (const role of ['owner', 'legal', 'responder', 'viewer'] as const) {
      const res = await w.c[role].get('/api/v1/agreements');
      expect(res.status).toBe(200);
      const ids = (res.json.items as Array<{ id: string }>).map((i) => i.id);
      expect(ids).not.toContain(activeId);
      expect(ids).not.toContain(draftId);
    }
  });

  it('a party’s permitted roles succeed (the matrix is not refusing everyone)', async () => {
    expect((await w.b.viewer.get(`/api/v1/agreements/${activeId}`)).status).toBe(200);
    expect((await w.b.responder.get(`/api/v1/agreements/${activeId}/audit-events`)).status).toBe(200);
    expect((await w.a.legal.get(`/api/v1/agreements/${activeId}/document?format=html`)).status).toBe(200);
    const created = await w.b.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id });
    expect(created.status).toBe(201);
    const signed = await w.b.legal.post(`/api/v1/agreements/${created.json.id}/sign`, {
      signedOn: '2026-05-01',
    });
    expect(signed.status).toBe(200);
    // In force once the other party has signed too (issue 7: both companies).
    const accepted = await w.a.owner.post(`/api/v1/agreements/${created.json.id}/sign`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.json.status).toBe('active');
    const notice = await w.a.legal.post(`/api/v1/agreements/${created.json.id}/termination-notices`, {
      byParty: 'A',
      receivedOn: '2026-11-15',
    });
    expect(notice.status).toBe(201);
  });
});
