import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { obligationId } from '../../src/domain/obligation/engine.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, snapshot, type Client, type World } from '../support/fixtures.js';

/**
 * The access matrix of every incident, notice, item-request, containment and obligation endpoint:
 * no session → 401; a party's role or side that may not → 403; a user of a company that is not a
 * party → 404 (the record is never revealed); the instance administrator → 403 on incident
 * content. Every refused write leaves every table exactly as it was.
 */

const ROLES = ['owner', 'legal', 'responder', 'viewer'] as const;
type Role = (typeof ROLES)[number];
type Who = `${'a' | 'b'}.${Role}`;

const ITEMS = {
  occurredOn: '2026-11-27',
  summary: '再委託先の端末がマルウェアに感染',
  informationScope: null,
  expectedImpact: null,
  measures: null,
  otherMatters: null,
};

/** `snapshot` plus the incident tables, so a refused write that touched them is caught too. */
async function fullSnapshot(ctx: AppContext): Promise<string> {
  const base = await snapshot(ctx);
  const tables = ['incidents', 'notices', 'item_requests', 'containment_actions', 'webhooks'] as const;
  const out: Record<string, unknown> = { base };
  for (const t of tables) out[t] = await ctx.db.kysely.selectFrom(t).selectAll().orderBy('id').execute();
  out.obligation_waivers = await ctx.db.kysely
    .selectFrom('obligation_waivers')
    .selectAll()
    .orderBy('obligation_id')
    .execute();
  out.obligation_clocks = await ctx.db.kysely
    .selectFrom('obligation_clocks')
    .selectAll()
    .orderBy('obligation_id')
    .execute();
  return JSON.stringify(out);
}

forEachDialect('incident endpoints access', (h) => {
  let w: World;
  let agreementId: string;
  let otherAgreementId: string; // between A and C: B is not party to it
  let incidentId: string; // reported by B (乙)
  let noticeId: string;
  let itemRequestId: string;
  let otherIncidentId: string; // under the A–C agreement, reported by C
  let otherNoticeId: string;

  const whoClient = (who: Who): Client => {
    const [side, role] = who.split('.') as ['a' | 'b', Role];
    return w[side][role];
  };
  const everyone: Who[] = (['a', 'b'] as const).flatMap((s) => ROLES.map((r) => `${s}.${r}` as Who));
  const acting = (side: 'a' | 'b'): Who[] => [`${side}.owner`, `${side}.legal`, `${side}.responder`];

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    otherAgreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgC.id,
        signedOn: '2026-04-01',
      })
    ).json.id;
    const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
      reportingParty: 'B',
      title: '乙の事故',
      suspected: true,
      discoveredAt: '2026-11-28T00:00:00Z',
    });
    expect(inc.status).toBe(201);
    incidentId = inc.json.id;
    const ntc = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, { items: ITEMS });
    expect(ntc.status).toBe(201);
    noticeId = ntc.json.id;
    const irq = await w.a.legal.post(`/api/v1/incidents/${incidentId}/item-requests`, {
      question: '件数の見込みは？',
    });
    expect(irq.status).toBe(201);
    itemRequestId = irq.json.id;

    const other = await w.c.responder.post(`/api/v1/agreements/${otherAgreementId}/incidents`, {
      reportingParty: 'B',
      title: '丙の秘密の事故',
      suspected: false,
      discoveredAt: '2026-11-28T00:10:00Z',
    });
    expect(other.status).toBe(201);
    otherIncidentId = other.json.id;
    otherNoticeId = (
      await w.c.responder.post(`/api/v1/incidents/${otherIncidentId}/notices`, { items: ITEMS })
    ).json.id;
  });

  type Call = (c: Client) => Promise<{ status: number; json: { code?: string } }>;
  interface Endpoint {
    name: string;
    call: Call;
    write: boolean;
    /** Users of the two parties who may do this; every other party user gets 403. */
    allowed: () => Who[];
  }

  const endpoints: Endpoint[] = [
    {
      name: 'POST /agreements/{id}/incidents',
      call: (c) =>
        c.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: 'x',
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        }),
      write: true,
      allowed: () => acting('b'), // 甲 cannot report on 乙's side; viewers never
    },
    {
      name: 'GET /agreements/{id}/incidents',
      call: (c) => c.get(`/api/v1/agreements/${agreementId}/incidents`),
      write: false,
      allowed: () => everyone,
    },
    {
      name: 'GET /incidents/{id}',
      call: (c) => c.get(`/api/v1/incidents/${incidentId}`),
      write: false,
      allowed: () => everyone,
    },
    {
      name: 'PATCH /incidents/{id}',
      call: (c) => c.patch(`/api/v1/incidents/${incidentId}`, { summary: 'changed' }, { 'if-match': '"1"' }),
      write: true,
      allowed: () => acting('b'),
    },
    {
      name: 'POST /incidents/{id}/transitions',
      call: (c) => c.post(`/api/v1/incidents/${incidentId}/transitions`, { to: 'confirmed' }),
      write: true,
      allowed: () => acting('b'),
    },
    {
      name: 'POST /incidents/{id}/notices',
      call: (c) => c.post(`/api/v1/incidents/${incidentId}/notices`, { items: ITEMS }),
      write: true,
      allowed: () => acting('b'), // the counterparty never sends the reporting party's notice
    },
    {
      name: 'GET /incidents/{id}/notices',
      call: (c) => c.get(`/api/v1/incidents/${incidentId}/notices`),
      write: false,
      allowed: () => everyone,
    },
    {
      name: 'GET /notices/{id}',
      call: (c) => c.get(`/api/v1/notices/${noticeId}`),
      write: false,
      allowed: () => everyone,
    },
    {
      name: 'POST /notices/{id}/acknowledgement',
      call: (c) => c.post(`/api/v1/notices/${noticeId}/acknowledgement`),
      write: true,
      allowed: () => acting('a'), // the reporting side never acknowledges its own notice
    },
    {
      name: 'POST /incidents/{id}/item-requests',
      call: (c) => c.post(`/api/v1/incidents/${incidentId}/item-requests`, { question: 'もっと教えて' }),
      write: true,
      allowed: () => acting('a'),
    },
    {
      name: 'POST /item-requests/{id}/answer',
      call: (c) => c.post(`/api/v1/item-requests/${itemRequestId}/answer`, { answer: '約1,200名' }),
      write: true,
      allowed: () => acting('b'),
    },
    {
      name: 'POST /incidents/{id}/containment-actions',
      call: (c) =>
        c.post(`/api/v1/incidents/${incidentId}/containment-actions`, {
          kind: 'access_cutoff',
          description: 'VPN 停止',
        }),
      write: true,
      allowed: () => [...acting('a'), ...acting('b')],
    },
    {
      name: 'GET /incidents/{id}/obligations',
      call: (c) => c.get(`/api/v1/incidents/${incidentId}/obligations`),
      write: false,
      allowed: () => everyone,
    },
    {
      name: 'GET /agreements/{id}/obligations',
      call: (c) => c.get(`/api/v1/agreements/${agreementId}/obligations?state=all`),
      write: false,
      allowed: () => everyone,
    },
    {
      name: 'POST /obligations/{id}/waiver',
      call: (c) =>
        c.post(`/api/v1/obligations/${obligationId(incidentId, '3.3', incidentId, 'B')}/waiver`, {
          reason: '不要',
        }),
      write: true,
      allowed: () => ['a.owner', 'a.legal'], // only the party owed; the reporting side never waives
    },
    {
      // Art 3.3 binds both parties: 甲's own containment duty (from the first notice) is owed to 乙.
      name: 'POST /obligations/{id}/waiver (甲’s Art 3.3 duty, owed to 乙)',
      call: (c) =>
        c.post(`/api/v1/obligations/${obligationId(incidentId, '3.3', noticeId, 'A')}/waiver`, {
          reason: '不要',
        }),
      write: true,
      allowed: () => ['b.owner', 'b.legal'], // the party owed is 乙 here; 甲 never waives its own duty
    },
  ];

  for (const ep of endpoints) {
    describe(ep.name, () => {
      it('answers 401 without a session, and changes nothing', async () => {
        const before = await fullSnapshot(h.ctx);
        const res = await ep.call(w.anon);
        expect(res.status).toBe(401);
        expect(res.json.code).toBe('UNAUTHENTICATED');
        expect(await fullSnapshot(h.ctx)).toBe(before);
      });

      const refused = () => everyone.filter((who) => !ep.allowed().includes(who));
      if (ep.write) {
        it('answers 403 to every party user whose role or side may not, and changes nothing', async () => {
          expect(refused().length).toBeGreaterThan(0);
          const before = await fullSnapshot(h.ctx);
          for (const who of refused()) {
            const res = await ep.call(whoClient(who));
            expect(res.status, who).toBe(403);
            expect(res.json.code, who).toBe('FORBIDDEN');
          }
          expect(await fullSnapshot(h.ctx)).toBe(before);
        });
      } else {
        it('is open to every role of both parties', async () => {
          for (const who of everyone) expect((await ep.call(whoClient(who))).status, who).toBe(200);
        });
      }

      it('answers 404 to every user of a company that is not party, and changes nothing', async () => {
        const before = await fullSnapshot(h.ctx);
        for (const role of ROLES) {
          const res = await ep.call(w.c[role]);
          expect(res.status, role).toBe(404);
          expect(res.json.code ?? '', role).toMatch(/_NOT_FOUND$/);
        }
        expect(await fullSnapshot(h.ctx)).toBe(before);
      });

      it('answers 403 to the instance administrator (no incident content), and changes nothing', async () => {
        const before = await fullSnapshot(h.ctx);
        const res = await ep.call(w.admin);
        expect(res.status).toBe(403);
        expect(res.json.code).toBe('FORBIDDEN');
        expect(await fullSnapshot(h.ctx)).toBe(before);
      });
    });
  }

  describe('unknown ids and the wrong agreement', () => {
    it('unknown ids answer 404 to a party user', async () => {
      const c = w.b.owner;
      const ghost = 'inc_0000000000aaaaaaaaaaaaaaaa';
      expect((await c.get(`/api/v1/incidents/${ghost}`)).status).toBe(404);
      expect((await c.get(`/api/v1/notices/ntc_0000000000aaaaaaaaaaaaaaaa`)).status).toBe(404);
      expect(
        (await c.post(`/api/v1/item-requests/irq_0000000000aaaaaaaaaaaaaaaa/answer`, { answer: 'x' })).status,
      ).toBe(404);
      expect(
        (
          await w.a.owner.post(`/api/v1/obligations/${obligationId(ghost, '3.1', ghost, 'B')}/waiver`, {
            reason: 'x',
          })
        ).status,
      ).toBe(404);
      expect(
        (await w.a.owner.post(`/api/v1/obligations/not-an-obligation/waiver`, { reason: 'x' })).status,
      ).toBe(404);
    });

    it('a party of one agreement cannot reach another agreement’s incidents (404), and changes nothing', async () => {
      const before = await fullSnapshot(h.ctx);
      for (const role of ROLES) {
        const c = w.b[role];
        expect((await c.get(`/api/v1/incidents/${otherIncidentId}`)).status, role).toBe(404);
        expect((await c.get(`/api/v1/notices/${otherNoticeId}`)).status, role).toBe(404);
        expect((await c.get(`/api/v1/agreements/${otherAgreementId}/incidents`)).status, role).toBe(404);
        expect((await c.get(`/api/v1/agreements/${otherAgreementId}/obligations`)).status, role).toBe(404);
        expect((await c.get(`/api/v1/incidents/${otherIncidentId}/obligations`)).status, role).toBe(404);
        expect((await c.post(`/api/v1/notices/${otherNoticeId}/acknowledgement`)).status, role).toBe(404);
        expect(
          (
            await c.post(`/api/v1/agreements/${otherAgreementId}/incidents`, {
              reportingParty: 'B',
              title: 'x',
              suspected: true,
              discoveredAt: '2026-11-28T00:00:00Z',
            })
          ).status,
          role,
        ).toBe(404);
        expect(
          (await c.post(`/api/v1/incidents/${otherIncidentId}/notices`, { items: ITEMS })).status,
          role,
        ).toBe(404);
        expect(
          (
            await c.post(
              `/api/v1/obligations/${obligationId(otherIncidentId, '3.1', otherIncidentId, 'B')}/waiver`,
              {
                reason: 'x',
              },
            )
          ).status,
          role,
        ).toBe(404);
      }
      expect(await fullSnapshot(h.ctx)).toBe(before);
    });

    it('list endpoints never show another agreement’s incidents, to a non-party or to a party of both', async () => {
      for (const who of everyone) {
        const c = whoClient(who);
        const list = await c.get(`/api/v1/agreements/${agreementId}/incidents`);
        expect(list.status).toBe(200);
        const ids = (list.json.items as Array<{ id: string; agreementId: string }>).map((i) => i.id);
        expect(ids, who).toContain(incidentId);
        expect(ids, who).not.toContain(otherIncidentId);
        expect(
          (list.json.items as Array<{ agreementId: string }>).every((i) => i.agreementId === agreementId),
        ).toBe(true);
        const obl = await c.get(`/api/v1/agreements/${agreementId}/obligations?state=all`);
        expect(obl.status).toBe(200);
        const oblIncidents = new Set(
          (obl.json.items as Array<{ incidentId: string }>).map((o) => o.incidentId),
        );
        expect(oblIncidents.has(otherIncidentId), who).toBe(false);
        expect(oblIncidents.has(incidentId), who).toBe(true);
      }
      // The outsider C sees its own agreement's incident there, and never B's.
      const cList = await w.c.viewer.get(`/api/v1/agreements/${otherAgreementId}/incidents`);
      expect(cList.status).toBe(200);
      expect(cList.json.items.map((i: { id: string }) => i.id)).toEqual([otherIncidentId]);
      const cObl = await w.c.viewer.get(`/api/v1/agreements/${otherAgreementId}/obligations?state=all`);
      expect(cObl.json.items.every((o: { incidentId: string }) => o.incidentId === otherIncidentId)).toBe(
        true,
      );
    });
  });

  describe('before its first notice an incident is the reporting party’s own (Art 3.1)', () => {
    it('the counterparty gets 404 and finds it in no list until the reporting party sends the first notice', async () => {
      const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '未通知の事故',
        suspected: true,
        discoveredAt: '2026-11-28T00:00:00Z',
      });
      expect(inc.status).toBe(201);
      const id = inc.json.id as string;
      const seen = async (who: Who) => {
        const c = whoClient(who);
        const one = await c.get(`/api/v1/incidents/${id}`);
        const list = await c.get(`/api/v1/agreements/${agreementId}/incidents`);
        const obl = await c.get(`/api/v1/agreements/${agreementId}/obligations?state=all`);
        expect(list.status, who).toBe(200);
        expect(obl.status, who).toBe(200);
        const listed = (list.json.items as Array<{ id: string }>).some((i) => i.id === id);
        const owed = (obl.json.items as Array<{ incidentId: string }>).some((o) => o.incidentId === id);
        expect(listed, who).toBe(one.status === 200);
        expect(owed, who).toBe(one.status === 200);
        if (one.status !== 200) expect(one.json.code, who).toBe('INCIDENT_NOT_FOUND');
        return one.status;
      };
      for (const role of ROLES) {
        expect(await seen(`b.${role}`), role).toBe(200);
        expect(await seen(`a.${role}`), role).toBe(404);
        expect((await w.a[role].get(`/api/v1/incidents/${id}/obligations`)).status, role).toBe(404);
        expect((await w.a[role].get(`/api/v1/incidents/${id}/notices`)).status, role).toBe(404);
      }
      expect((await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS })).status).toBe(
        201,
      );
      for (const who of everyone) expect(await seen(who), who).toBe(200);
    });
  });

  describe('a notice with missing items: access and state come first', () => {
    const noticesUrl = (id: string) => `/api/v1/incidents/${id}/notices`;

    it('a viewer or the counterparty → 403, an outsider → 404, the administrator → 403; nothing changes', async () => {
      const before = await fullSnapshot(h.ctx);
      for (const body of [{ items: {} }, {}, { items: { summary: 'x' } }]) {
        for (const who of ['b.viewer', 'a.viewer', 'a.owner', 'a.legal', 'a.responder'] as Who[]) {
          const res = await whoClient(who).post(noticesUrl(incidentId), body);
          expect(res.status, who).toBe(403);
          expect(res.json.code, who).toBe('FORBIDDEN');
        }
        for (const role of ROLES) {
          const res = await w.c[role].post(noticesUrl(incidentId), body);
          expect(res.status, role).toBe(404);
          expect(res.json.code, role).toBe('INCIDENT_NOT_FOUND');
        }
        const admin = await w.admin.post(noticesUrl(incidentId), body);
        expect(admin.status).toBe(403);
        expect((await w.anon.post(noticesUrl(incidentId), body)).status).toBe(401);
      }
      expect(await fullSnapshot(h.ctx)).toBe(before);
    });

    it('a closed incident or a dismissed one after its first notice → 409; an authorised sender on an open one, or on a dismissed one before its first notice → 400 NOTICE_ITEMS_MISSING', async () => {
      const mk = async () => {
        const res = await w.b.owner.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: 'missing items',
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        });
        expect(res.status).toBe(201);
        return res.json.id as string;
      };
      const dismiss = async (id: string) =>
        expect(
          (
            await w.b.owner.post(`/api/v1/incidents/${id}/transitions`, {
              to: 'dismissed',
              reason: '誤検知',
            })
          ).status,
        ).toBe(200);
      const closed = await mk();
      // Settle Art 3.1 and 3.3 first, so closing is allowed.
      expect((await w.b.responder.post(noticesUrl(closed), { items: ITEMS })).status).toBe(201);
      expect(
        (
          await w.b.responder.post(`/api/v1/incidents/${closed}/containment-actions`, {
            kind: 'access_cutoff',
            description: 'VPN 停止',
          })
        ).status,
      ).toBe(201);
      for (const to of ['confirmed', 'contained', 'recovering', 'closed']) {
        expect((await w.b.owner.post(`/api/v1/incidents/${closed}/transitions`, { to })).status, to).toBe(
          200,
        );
      }
      // Dismissed after its first notice: Art 3.1 is met, nothing more is taken.
      const dismissedNotified = await mk();
      expect((await w.b.responder.post(noticesUrl(dismissedNotified), { items: ITEMS })).status).toBe(201);
      await dismiss(dismissedNotified);
      // Dismissed before any notice: Art 3.1 is still owed, so it takes its first notice.
      const dismissedFirst = await mk();
      await dismiss(dismissedFirst);
      const open = await mk();

      const before = await fullSnapshot(h.ctx);
      for (const id of [closed, dismissedNotified]) {
        for (const body of [{ items: {} }, {}]) {
          const res = await w.b.responder.post(noticesUrl(id), body);
          expect(res.status).toBe(409);
          expect(res.json.code).toBe('INCIDENT_NOT_OPEN');
        }
        // A viewer is still refused first.
        expect((await w.b.viewer.post(noticesUrl(id), { items: {} })).status).toBe(403);
      }
      expect((await w.b.viewer.post(noticesUrl(dismissedFirst), { items: {} })).status).toBe(403);
      for (const who of acting('b')) {
        for (const id of [open, dismissedFirst]) {
          const res = await whoClient(who).post(noticesUrl(id), { items: {} });
          expect(res.status, who).toBe(400);
          expect(res.json.code, who).toBe('NOTICE_ITEMS_MISSING');
        }
        const res = await whoClient(who).post(noticesUrl(open), { items: {} });
        expect(res.status, who).toBe(400);
        expect(res.headers['content-type'], who).toContain('application/problem+json');
        expect(res.json.code, who).toBe('NOTICE_ITEMS_MISSING');
        expect((res.json as { missing?: string[] }).missing, who).toEqual([
          'occurredOn',
          'summary',
          'informationScope',
          'expectedImpact',
          'measures',
          'otherMatters',
        ]);
      }
      const { measures: _m, ...partial } = ITEMS;
      const one = await w.b.responder.post(noticesUrl(open), { items: partial });
      expect(one.status).toBe(400);
      const body = one.json as {
        code?: string;
        missing?: string[];
        errors?: Array<{ path: string }>;
        missingLabels?: Array<{ ja: string }>;
        messageJa?: string;
      };
      expect(body.code).toBe('NOTICE_ITEMS_MISSING');
      expect(body.missing).toEqual(['measures']);
      expect(body.errors?.map((e) => e.path)).toEqual(['items.measures']);
      expect(body.missingLabels?.map((l) => l.ja)).toEqual(['実施済み又は予定している対策']);
      expect(body.messageJa).toContain('実施済み又は予定している対策');
      expect(await fullSnapshot(h.ctx)).toBe(before);

      // The dismissed incident takes its first notice (saying it was not an incident), then no second.
      expect((await w.b.responder.post(noticesUrl(dismissedFirst), { items: ITEMS })).status).toBe(201);
      const second = await w.b.responder.post(noticesUrl(dismissedFirst), { items: ITEMS });
      expect(second.status).toBe(409);
      expect(second.json.code).toBe('INCIDENT_NOT_OPEN');
    });
  });

  describe('the matrix is not refusing everyone', () => {
    it('each permitted role succeeds at each write', async () => {
      // Fresh records for each permitted actor, so one success does not hide another.
      for (const who of acting('b')) {
        const c = whoClient(who);
        const inc = await c.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: `by ${who}`,
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        });
        expect(inc.status, who).toBe(201);
        const id = inc.json.id as string;
        expect(
          (await c.patch(`/api/v1/incidents/${id}`, { summary: 's' }, { 'if-match': '"1"' })).status,
          who,
        ).toBe(200);
        expect((await c.post(`/api/v1/incidents/${id}/transitions`, { to: 'confirmed' })).status, who).toBe(
          200,
        );
        const n = await c.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS });
        expect(n.status, who).toBe(201);
        expect(
          (await c.post(`/api/v1/incidents/${id}/containment-actions`, { kind: 'other', description: 'x' }))
            .status,
          who,
        ).toBe(201);
      }
      for (const who of acting('a')) {
        const c = whoClient(who);
        const inc = await w.b.owner.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: `for ${who}`,
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        });
        const id = inc.json.id as string;
        const n = await w.b.owner.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS });
        expect((await c.post(`/api/v1/notices/${n.json.id}/acknowledgement`)).status, who).toBe(201);
        const r = await c.post(`/api/v1/incidents/${id}/item-requests`, { question: 'q' });
        expect(r.status, who).toBe(201);
        expect(
          (await w.b.responder.post(`/api/v1/item-requests/${r.json.id}/answer`, { answer: 'a' })).status,
        ).toBe(200);
        expect(
          (await c.post(`/api/v1/incidents/${id}/containment-actions`, { kind: 'other', description: 'x' }))
            .status,
          who,
        ).toBe(201);
        if (who !== 'a.responder') {
          const waived = await c.post(`/api/v1/obligations/${obligationId(id, '3.3', id, 'B')}/waiver`, {
            reason: '不要',
          });
          expect(waived.status, who).toBe(200);
          expect(waived.json.state).toBe('waived');
        }
      }
      // 乙's owner and legal waive 甲's Art 3.3 duty, which is owed to 乙.
      for (const who of ['b.owner', 'b.legal'] as const) {
        const c = whoClient(who);
        const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'B',
          title: `waived by ${who}`,
          suspected: true,
          discoveredAt: '2026-11-28T00:00:00Z',
        });
        const id = inc.json.id as string;
        expect((await w.b.responder.post(`/api/v1/incidents/${id}/notices`, { items: ITEMS })).status).toBe(
          201,
        );
        const list = await c.get(`/api/v1/incidents/${id}/obligations`);
        const ofA = (
          list.json.items as Array<{ id: string; clause: string; owedBy: string; owedTo: string }>
        ).find((o) => o.clause === '3.3' && o.owedBy === 'A');
        expect(ofA?.owedTo, who).toBe('B');
        const waived = await c.post(`/api/v1/obligations/${ofA?.id}/waiver`, { reason: '不要' });
        expect(waived.status, who).toBe(200);
        expect(waived.json).toMatchObject({ id: ofA?.id, state: 'waived', owedBy: 'A' });
      }
    });
  });
});
