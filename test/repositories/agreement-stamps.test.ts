import { beforeAll, expect, it } from 'vitest';
import {
  findAgreementAuditStamp,
  listAgreements,
  listAgreementsWithAuditStamp,
} from '../../src/persistence/repositories/agreements.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, type World } from '../support/fixtures.js';

/** listAgreementsWithAuditStamp: the work queue's one query for an organisation's agreements and their cache stamps. */
forEachDialect('agreements with audit stamps', (h) => {
  let w: World;
  let ab: string;
  let cb: string;

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    const agreement = async (partyA: string) =>
      (await w.admin.post('/api/v1/agreements', { partyA, partyB: w.orgB.id, signedOn: '2026-04-01' })).json
        .id as string;
    ab = await agreement(w.orgA.id);
    cb = await agreement(w.orgC.id);
  });

  const expected = async (orgId: string) =>
    Promise.all(
      (await listAgreements(h.db, orgId)).map(async (agreement) => ({
        agreement,
        stamp: (await findAgreementAuditStamp(h.db, agreement.id))?.stamp,
      })),
    );

  it('lists exactly listAgreements’ records, in its order, each with findAgreementAuditStamp’s stamp', async () => {
    for (const org of [w.orgA, w.orgB, w.orgC]) {
      const got = await listAgreementsWithAuditStamp(h.db, org.id);
      expect(got).toEqual(await expected(org.id));
    }
    expect((await listAgreementsWithAuditStamp(h.db, w.orgB.id)).map((x) => x.agreement.id).sort()).toEqual(
      [ab, cb].sort(),
    );
    expect((await listAgreementsWithAuditStamp(h.db, w.orgA.id)).map((x) => x.agreement.id)).toEqual([ab]);
    expect(await listAgreementsWithAuditStamp(h.db, 'org_00000000000000000000000000')).toEqual([]);
  });

  it('a record under one agreement moves its stamp only', async () => {
    const before = new Map(
      (await listAgreementsWithAuditStamp(h.db, w.orgB.id)).map((x) => [x.agreement.id, x.stamp]),
    );
    const res = await w.b.responder.post(`/api/v1/agreements/${cb}/incidents`, {
      reportingParty: 'B',
      title: 'スタンプ確認',
      suspected: true,
      discoveredAt: '2026-11-27T20:00:00Z',
    });
    expect(res.status, res.body).toBe(201);
    const after = await listAgreementsWithAuditStamp(h.db, w.orgB.id);
    expect(after).toEqual(await expected(w.orgB.id));
    const stamp = new Map(after.map((x) => [x.agreement.id, x.stamp]));
    expect(stamp.get(cb)).not.toBe(before.get(cb));
    expect(stamp.get(ab)).toBe(before.get(ab));
  });
});
