/**
 * 合意解約 (mutual termination): one party's owner/legal proposes effectiveOn, the other party's
 * confirms; from effectiveOn the term is terminated (basis 合意解約) and only the articles
 * surviving under Art 11.3 apply. Dates, sides, withdrawal, mails, audit, the agreement view cache,
 * access. Both dialects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { login } from '../../src/app/auth/sessions.js';
import {
  client,
  PASSWORD,
  seedWorld,
  snapshot,
  type Client,
  type Response,
  type World,
} from '../support/fixtures.js';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json.code).toBe(code);
  expect(res.json.messageJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(res.json.messageEn).toMatch(/[a-z]/);
}

forEachDialect('mutual termination (合意解約)', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app); // the test clock stands at 2026-11-28 10:00 in Tokyo
  });

  async function active(signedOn = '2026-04-01', parameters?: object): Promise<string> {
    const res = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn,
      ...(parameters ? { parameters } : {}),
    });
    expect(res.status).toBe(201);
    return res.json.id as string;
  }

  /** Every table a mutual termination touches, plus the shared snapshot. */
  async function state(): Promise<string> {
    const own = await h.ctx.db.kysely.selectFrom('mutual_terminations').selectAll().orderBy('id').execute();
    return (await snapshot(h.ctx)) + JSON.stringify(own);
  }

  async function rejected(call: () => Promise<Response>, status: number, code: string): Promise<Response> {
    const before = await state();
    const res = await call();
    expectProblem(res, status, code);
    expect(await state()).toBe(before);
    expect((await verifyAudit(h.db)).ok).toBe(true);
    return res;
  }

  const propose = (c: Client, id: string, effectiveOn: string) =>
    c.post(`/api/v1/agreements/${id}/mutual-termination`, { effectiveOn });
  const confirm = (c: Client, id: string) =>
    c.post(`/api/v1/agreements/${id}/mutual-termination/confirmation`);
  const withdraw = (c: Client, id: string) =>
    c.post(`/api/v1/agreements/${id}/mutual-termination/withdrawal`);
  const view = async (id: string, on?: string) =>
    (await w.a.viewer.get(`/api/v1/agreements/${id}${on ? `?on=${on}` : ''}`)).json;
  const report = (id: string, discoveredAt: string) =>
    w.b.responder.post(`/api/v1/agreements/${id}/incidents`, {
      reportingParty: 'B',
      title: '委託終了後のログ調査で判明した不正アクセス',
      suspected: true,
      discoveredAt,
    });
  const mailsOf = async (prefix: string) =>
    (await listOutbox(h.ctx.db, 'mail'))
      .filter((m) => m.dedupe_key.startsWith(prefix))
      .map((m) => JSON.parse(m.payload) as { to: string; subject: string; text: string });

  it('proposed by one party, confirmed by the other: terminated from effectiveOn, basis 合意解約', async () => {
    const id = await active();
    const before = await view(id);
    const res = await propose(w.a.owner, id, '2026-12-15');
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({
      agreementId: id,
      state: 'pending',
      effectiveOn: '2026-12-15',
      proposedByParty: 'A',
      proposedBy: { name: 'A owner' },
      decidedBy: null,
      decidedAt: null,
    });
    expect(res.json.id).toMatch(/^mtr_/);
    const pending = await view(id);
    expect(pending.version).toBe(before.version + 1);
    expect(pending.status).toBe('active');
    expect(pending.mutualTermination).toMatchObject({ id: res.json.id, state: 'pending' });
    expect(pending.term.endsOn).toBeNull();

    const ok = await confirm(w.b.legal, id);
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toMatchObject({
      id: res.json.id,
      state: 'confirmed',
      decidedBy: { name: 'B legal' },
      proposedBy: { name: 'A owner' },
    });
    // Still in force until the end of 12-14; terminated from 12-15.
    const dayBefore = await view(id, '2026-12-14');
    expect(dayBefore.term).toMatchObject({
      status: 'active',
      endsOn: '2026-12-14',
      endReason: 'mutual_termination',
    });
    const onTheDay = await view(id, '2026-12-15');
    expect(onTheDay.status).toBe('terminated');
    expect(onTheDay.term).toMatchObject({
      status: 'terminated',
      endsOn: '2026-12-14',
      endReason: 'mutual_termination',
    });
    const rule = onTheDay.term.rules.find((r: { field: string }) => r.field === 'endsOn');
    expect(rule).toMatchObject({ ruleId: 'mutual-termination' });
    expect(rule.ja).toContain('合意解約');
    expect(onTheDay.mutualTermination).toMatchObject({ state: 'confirmed', effectiveOn: '2026-12-15' });

    // Audit events on the agreement's chain, and the chain verifies.
    const audit = await w.a.viewer.get(`/api/v1/agreements/${id}/audit-events`);
    const actions = audit.json.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['mutual_termination.proposed', 'mutual_termination.confirmed']),
    );
    expect(audit.json.verification.ok).toBe(true);

    // Both parties' owners and legal are mailed, each time.
    const addressed = (m: Array<{ to: string }>) => m.map((x) => x.to).sort();
    const both = ['a.owner', 'a.legal', 'b.owner', 'b.legal'].map((k) => w.emails[k]).sort();
    const proposed = await mailsOf(`mutual_termination.proposed:${res.json.id}`);
    expect(addressed(proposed)).toEqual(both);
    expect(proposed.find((m) => m.to === w.emails['b.legal'])?.text).toContain('2026年12月15日');
    const confirmed = await mailsOf(`mutual_termination.confirmed:${res.json.id}`);
    expect(addressed(confirmed)).toEqual(both);
    expect(confirmed[0]?.text).toContain('第5条、第8条及び第9条');
  });

  it('the own party cannot confirm (403); a second confirmation is 409; nothing changes', async () => {
    const id = await active();
    expect((await propose(w.b.legal, id, '2027-01-10')).status).toBe(201);
    await rejected(() => confirm(w.b.owner, id), 403, 'FORBIDDEN');
    expect((await confirm(w.a.legal, id)).status).toBe(200);
    await rejected(() => confirm(w.a.owner, id), 409, 'MUTUAL_TERMINATION_DECIDED');
    // Already agreed: no new proposal.
    await rejected(() => propose(w.a.owner, id, '2027-01-05'), 409, 'MUTUAL_TERMINATION_DECIDED');
  });

  it('today is allowed: terminated at once, the cached view is refreshed, new incidents refused, earlier ones kept', async () => {
    const id = await active();
    expect((await view(id)).status).toBe('active'); // warms the agreement view cache
    expect((await report(id, '2026-11-27T09:00:00+09:00')).status).toBe(201);
    expect((await propose(w.b.owner, id, '2026-11-28')).status).toBe(201);
    expect((await confirm(w.a.owner, id)).status).toBe(200);
    const now = await view(id);
    expect(now).toMatchObject({
      status: 'terminated',
      term: { endsOn: '2026-11-27', endReason: 'mutual_termination' },
    });
    // Art 11.3: an incident discovered after the end cannot be registered; one discovered before can.
    const after = await report(id, '2026-11-28T09:00:00+09:00');
    expectProblem(after, 409, 'AGREEMENT_NOT_ACTIVE');
    expect(after.json).toMatchObject({ article: 3, agreementStatus: 'terminated' });
    expect((await report(id, '2026-11-27T20:00:00+09:00')).status).toBe(201);
    // Ended: no termination notice and no new proposal.
    await rejected(
      () =>
        w.a.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
          byParty: 'A',
          receivedOn: '2026-11-28',
        }),
      409,
      'AGREEMENT_ENDED',
    );
    await rejected(() => propose(w.a.owner, id, '2026-11-30'), 409, 'AGREEMENT_ENDED');
  });

  describe('the date', () => {
    it('a past date is 400 and changes nothing', async () => {
      const id = await active();
      const res = await rejected(() => propose(w.a.owner, id, '2026-11-27'), 400, 'VALIDATION_FAILED');
      expect(res.json.errors).toEqual([expect.objectContaining({ path: 'effectiveOn' })]);
      expect(res.json.messageJa).toContain('過去');
    });

    it('a date in the next renewal term is allowed while the agreement renews', async () => {
      const id = await active('2026-04-01'); // current term ends 2027-04-01
      const res = await propose(w.a.legal, id, '2027-06-01');
      expect(res.status, res.body).toBe(201);
      expect((await confirm(w.b.owner, id)).status).toBe(200);
      expect((await view(id, '2027-05-31')).term).toMatchObject({ status: 'active', currentTermNumber: 2 });
      expect((await view(id, '2027-06-01')).term).toMatchObject({
        status: 'terminated',
        endsOn: '2027-05-31',
      });
    });

    it('a date after the end Art 11 already set is 400 (it would not end anything)', async () => {
      const id = await active('2026-04-01');
      // A notice on time ends the agreement at the end of 2027-04-01.
      expect(
        (
          await w.b.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
            byParty: 'B',
            receivedOn: '2026-11-20',
          })
        ).status,
      ).toBe(201);
      const res = await rejected(() => propose(w.a.owner, id, '2027-04-03'), 400, 'VALIDATION_FAILED');
      expect(res.json.endsOn).toBe('2027-04-01');
      // The day after the last day would change nothing either; the last day itself ends it a day early.
      await rejected(() => propose(w.a.owner, id, '2027-04-02'), 400, 'VALIDATION_FAILED');
      expect((await propose(w.a.owner, id, '2027-04-01')).status).toBe(201);
      expect((await confirm(w.b.owner, id)).status).toBe(200);
      expect((await view(id, '2027-04-01')).term).toMatchObject({
        status: 'terminated',
        endsOn: '2027-03-31',
        endReason: 'mutual_termination',
      });
    });

    it('bad input: missing, malformed or impossible dates and unknown fields are 400', async () => {
      const id = await active();
      const url = `/api/v1/agreements/${id}/mutual-termination`;
      await rejected(() => w.a.owner.post(url, {}), 400, 'VALIDATION_FAILED');
      await rejected(() => w.a.owner.post(url, { effectiveOn: '2026-13-01' }), 400, 'INVALID_DATE');
      await rejected(() => w.a.owner.post(url, { effectiveOn: '15/12/2026' }), 400, 'VALIDATION_FAILED');
      await rejected(
        () => w.a.owner.post(url, { effectiveOn: '2026-12-15', extra: 1 }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('a proposal whose date has passed cannot be confirmed (409): no retroactive end', async () => {
      const id = await active();
      expect((await propose(w.a.owner, id, '2026-11-28')).status).toBe(201);
      h.clock.set('2026-11-28T15:30:00Z'); // 2026-11-29 00:30 in Tokyo: the proposed day has passed
      try {
        // A fresh session: the seeded ones have expired by the moved clock.
        const bOwner = client(h.app, { session: (await login(h.ctx, w.emails['b.owner']!, PASSWORD)).token });
        await rejected(() => confirm(bOwner, id), 409, 'MUTUAL_TERMINATION_LAPSED');
      } finally {
        h.clock.set('2026-11-28T01:00:00Z');
        // Logging in at the moved clock purged the seeded sessions as expired: seed fresh users.
        w = await seedWorld(h.ctx, h.app);
      }
    });

    it('an agreement that already expired cannot be ended by consent (409)', async () => {
      const id = await active('2025-01-10', { renewalMonths: 0 }); // expired after 2026-01-10
      await rejected(() => propose(w.a.owner, id, '2026-12-01'), 409, 'AGREEMENT_ENDED');
    });
  });

  describe('pending proposals', () => {
    it('one at a time (409); the proposer withdraws it; the other party cannot (403)', async () => {
      const id = await active();
      const first = await propose(w.a.owner, id, '2026-12-20');
      expect(first.status).toBe(201);
      await rejected(() => propose(w.b.owner, id, '2026-12-21'), 409, 'MUTUAL_TERMINATION_PENDING');
      await rejected(() => withdraw(w.b.owner, id), 403, 'FORBIDDEN');
      const gone = await withdraw(w.a.legal, id); // any owner/legal of the proposing party
      expect(gone.status, gone.body).toBe(200);
      expect(gone.json).toMatchObject({ state: 'withdrawn', decidedBy: { name: 'A legal' } });
      expect((await view(id)).mutualTermination).toBeNull();
      await rejected(() => confirm(w.b.owner, id), 409, 'MUTUAL_TERMINATION_DECIDED');
      await rejected(() => withdraw(w.a.owner, id), 409, 'MUTUAL_TERMINATION_DECIDED');
      expect((await mailsOf(`mutual_termination.withdrawn:${first.json.id}`)).length).toBe(4);
      // A new proposal is possible after the withdrawal.
      expect((await propose(w.b.owner, id, '2026-12-21')).status).toBe(201);
    });

    it('nothing to confirm or withdraw: 404', async () => {
      const id = await active();
      await rejected(() => confirm(w.b.owner, id), 404, 'MUTUAL_TERMINATION_NOT_FOUND');
      await rejected(() => withdraw(w.a.owner, id), 404, 'MUTUAL_TERMINATION_NOT_FOUND');
    });

    it('a draft cannot be ended by consent (409 AGREEMENT_NOT_SIGNED)', async () => {
      const draft = (await w.a.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id }))
        .json.id;
      await rejected(() => propose(w.a.owner, draft, '2026-12-15'), 409, 'AGREEMENT_NOT_SIGNED');
    });
  });

  describe('access', () => {
    it('no session 401, responder/viewer 403, another company 404, administrator 403 — on every endpoint', async () => {
      const id = await active();
      const calls: Array<(c: Client) => Promise<Response>> = [
        (c) => propose(c, id, '2026-12-15'),
        (c) => confirm(c, id),
        (c) => withdraw(c, id),
      ];
      for (const call of calls) {
        await rejected(() => call(w.anon), 401, 'UNAUTHENTICATED');
        await rejected(() => call(w.a.responder), 403, 'FORBIDDEN');
        await rejected(() => call(w.b.viewer), 403, 'FORBIDDEN');
        await rejected(() => call(w.c.owner), 404, 'AGREEMENT_NOT_FOUND');
        await rejected(() => call(w.admin), 403, 'FORBIDDEN');
      }
    });
  });
});
