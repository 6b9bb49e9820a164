/**
 * Art 11.3 survival through the API: after the agreement ended — expired, or ended by mutual
 * consent — only the articles in its survivingArticles still apply. New announcements (Art 6) and
 * incidents discovered after the end (Art 3) are refused with 409 AGREEMENT_NOT_ACTIVE naming the
 * article; disclosures (Art 5, surviving by default) keep working on past incidents; all driven by
 * survivingArticles. Both dialects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

const ANNOUNCEMENT = { channel: 'website', title: '不正アクセスに関するお知らせ', body: '調査中です。' };
const DISCLOSURE = {
  recipient: '損害保険会社',
  purpose: 'サイバー保険の請求',
  scope: '事故の概要と被害範囲',
  basis: 'consent',
};

forEachDialect('survival after the end (Art 11.3)', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app); // the test clock stands at 2026-11-28 10:00 in Tokyo
  });

  async function state(): Promise<string> {
    const own: unknown[] = [];
    for (const t of ['announcements', 'announcement_versions', 'disclosures', 'incidents'] as const) {
      own.push(await h.ctx.db.kysely.selectFrom(t).selectAll().orderBy('id').execute());
    }
    return (await snapshot(h.ctx)) + JSON.stringify(own);
  }

  async function refused(call: () => Promise<Response>, article: number, status: string): Promise<void> {
    const before = await state();
    const res = await call();
    expect(res.status, res.body).toBe(409);
    expect(res.json).toMatchObject({ code: 'AGREEMENT_NOT_ACTIVE', article, agreementStatus: status });
    expect(res.json.messageJa).toContain(`第${article}条`);
    expect(res.json.messageEn).toContain(`Art ${article}`);
    expect(await state()).toBe(before);
    expect((await verifyAudit(h.db)).ok).toBe(true);
  }

  /** An agreement with an incident discovered and notified during its term. */
  async function withIncident(signedOn: string, discoveredAt: string, parameters?: object) {
    const agreement = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn,
      ...(parameters ? { parameters } : {}),
    });
    expect(agreement.status, agreement.body).toBe(201);
    const incident = await w.b.responder.post(`/api/v1/agreements/${agreement.json.id}/incidents`, {
      reportingParty: 'B',
      title: '委託先サーバへの不正アクセス',
      suspected: true,
      discoveredAt,
    });
    expect(incident.status, incident.body).toBe(201);
    const notice = await w.b.responder.post(`/api/v1/incidents/${incident.json.id}/notices`, {
      items: FIRST_ITEMS,
    });
    expect(notice.status, notice.body).toBe(201);
    return { agreementId: agreement.json.id as string, incidentId: incident.json.id as string };
  }

  /** Ends the agreement by mutual consent from today (2026-11-28). */
  async function endByConsent(agreementId: string) {
    expect(
      (
        await w.a.owner.post(`/api/v1/agreements/${agreementId}/mutual-termination`, {
          effectiveOn: '2026-11-28',
        })
      ).status,
    ).toBe(201);
    expect(
      (await w.b.owner.post(`/api/v1/agreements/${agreementId}/mutual-termination/confirmation`)).status,
    ).toBe(200);
  }

  describe('ended by mutual consent (default survivingArticles [5, 8, 9])', () => {
    it('Art 6 does not survive: new announcements 409; Art 5 survives: disclosures on the past incident work', async () => {
      const { agreementId, incidentId } = await withIncident('2026-04-01', '2026-11-27T09:00:00+09:00');
      // A draft made while the agreement was in force.
      const draft = await w.a.responder.post(`/api/v1/incidents/${incidentId}/announcements`, ANNOUNCEMENT);
      expect(draft.status).toBe(201);
      await endByConsent(agreementId);
      expect((await w.a.viewer.get(`/api/v1/agreements/${agreementId}`)).json.status).toBe('terminated');
      await refused(
        () => w.a.responder.post(`/api/v1/incidents/${incidentId}/announcements`, ANNOUNCEMENT),
        6,
        'terminated',
      );
      const disclosure = await w.b.responder.post(`/api/v1/incidents/${incidentId}/disclosures`, DISCLOSURE);
      expect(disclosure.status, disclosure.body).toBe(201);
      // Art 3: an incident discovered during the term can still be registered, one after cannot.
      const before = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '期間中に発見された事故',
        suspected: true,
        discoveredAt: '2026-11-27T22:00:00+09:00',
      });
      expect(before.status, before.body).toBe(201);
      await refused(
        () =>
          w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
            reportingParty: 'B',
            title: '終了後に発見された事故',
            suspected: true,
            discoveredAt: '2026-11-28T08:00:00+09:00',
          }),
        3,
        'terminated',
      );
    });

    it('driven by survivingArticles: parties that made Art 6 survive keep announcing; dropping Art 5 refuses disclosures', async () => {
      const keeps6 = await withIncident('2026-04-01', '2026-11-27T09:00:00+09:00', {
        survivingArticles: [5, 6, 8, 9],
      });
      await endByConsent(keeps6.agreementId);
      const ok = await w.a.responder.post(
        `/api/v1/incidents/${keeps6.incidentId}/announcements`,
        ANNOUNCEMENT,
      );
      expect(ok.status, ok.body).toBe(201);

      const drops5 = await withIncident('2026-04-01', '2026-11-27T09:00:00+09:00', {
        survivingArticles: [8, 9],
      });
      await endByConsent(drops5.agreementId);
      await refused(
        () => w.b.responder.post(`/api/v1/incidents/${drops5.incidentId}/disclosures`, DISCLOSURE),
        5,
        'terminated',
      );
    });
  });

  describe('expired (no renewal)', () => {
    it('an incident of the term is registered after the end, but no announcement can be started under it', async () => {
      // Signed 2025-01-10 without renewal: in force to the end of 2026-01-10, expired since.
      const { incidentId } = await withIncident('2025-01-10', '2025-12-20T10:00:00+09:00', {
        renewalMonths: 0,
      });
      await refused(
        () => w.a.legal.post(`/api/v1/incidents/${incidentId}/announcements`, ANNOUNCEMENT),
        6,
        'expired',
      );
      const disclosure = await w.b.legal.post(`/api/v1/incidents/${incidentId}/disclosures`, DISCLOSURE);
      expect(disclosure.status, disclosure.body).toBe(201);
    });
  });

  describe('before it takes effect', () => {
    it('a draft agreement applies no article: incidents are refused with its status', async () => {
      const draft = (await w.a.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id }))
        .json.id;
      await refused(
        () =>
          w.b.owner.post(`/api/v1/agreements/${draft}/incidents`, {
            reportingParty: 'B',
            title: 'x',
            suspected: true,
            discoveredAt: '2026-11-27T10:00:00Z',
          }),
        3,
        'draft',
      );
    });
  });
});
