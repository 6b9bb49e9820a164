/**
 * Art 11.2 termination notices (非更新の意思表示): not in the future, how the writing was given,
 * the system's reading of a late notice and the choice to record it as not effective; and the
 * weekend/holiday notes on the term's dates (民法第142条 not applied). Both dialects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { forEachDialect } from '../support/dialects.js';
import { seedWorld, snapshot, type Response, type World } from '../support/fixtures.js';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json.code).toBe(code);
  expect(res.json.messageJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(res.json.messageEn).toMatch(/[a-z]/);
}

forEachDialect('termination notices (Art 11.2) and term date notes', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app); // the test clock stands at 2026-11-28 10:00 in Tokyo
  });

  async function active(signedOn = '2025-04-01', parameters?: object): Promise<string> {
    const res = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn,
      ...(parameters ? { parameters } : {}),
    });
    expect(res.status).toBe(201);
    return res.json.id as string;
  }

  async function rejected(call: () => Promise<Response>, status: number, code: string): Promise<Response> {
    const before = await snapshot(h.ctx);
    const res = await call();
    expectProblem(res, status, code);
    expect(await snapshot(h.ctx)).toBe(before);
    expect((await verifyAudit(h.db)).ok).toBe(true);
    return res;
  }

  const url = (id: string) => `/api/v1/agreements/${id}/termination-notices`;

  describe('the date received', () => {
    it('a notice dated after today (Asia/Tokyo) is refused with 400 and changes nothing', async () => {
      const id = await active();
      const res = await rejected(
        () => w.a.owner.post(url(id), { byParty: 'A', receivedOn: '2026-11-29' }),
        400,
        'TERMINATION_NOTICE_IN_FUTURE',
      );
      expect(res.json.messageJa).toContain('未来');
      expect(res.json.errors).toEqual([expect.objectContaining({ path: 'receivedOn' })]);
      const got = await w.a.viewer.get(`/api/v1/agreements/${id}`);
      expect(got.json.terminationNotices).toEqual([]);
      expect(got.json.version).toBe(1);
    });

    it('today counts as received (the Tokyo date, not UTC)', async () => {
      h.clock.set('2026-11-27T15:30:00Z'); // 2026-11-28 00:30 in Tokyo, still 11-27 in UTC
      try {
        const id = await active();
        const res = await w.a.owner.post(url(id), { byParty: 'A', receivedOn: '2026-11-28' });
        expect(res.status).toBe(201);
      } finally {
        h.clock.set('2026-11-28T01:00:00Z');
      }
    });
  });

  describe('how the written notice was given (第11条第2項「書面による」)', () => {
    it('is stored and returned; absent means not stated', async () => {
      const id = await active();
      const res = await w.b.legal.post(url(id), {
        byParty: 'B',
        receivedOn: '2026-11-10',
        method: 'pdf_email',
      });
      expect(res.status).toBe(201);
      expect(res.json.notice).toMatchObject({ method: 'pdf_email', receivedOn: '2026-11-10' });
      const got = await w.a.viewer.get(`/api/v1/agreements/${id}`);
      expect(got.json.terminationNotices[0]).toMatchObject({ method: 'pdf_email' });

      const other = await active();
      const plain = await w.a.owner.post(url(other), { byParty: 'A', receivedOn: '2026-11-10' });
      expect(plain.json.notice.method).toBeNull();
      expect(
        (await w.a.viewer.get(`/api/v1/agreements/${other}`)).json.terminationNotices[0].method,
      ).toBeNull();
    });

    it('an unknown method is refused', async () => {
      const id = await active();
      await rejected(
        () => w.a.owner.post(url(id), { byParty: 'A', receivedOn: '2026-11-10', method: 'fax' }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('a late notice', () => {
    // signed 2025-04-01: term 1 ends 2026-04-01 (deadline 2026-03-01), term 2 runs 2026-04-02 …
    // 2027-04-01 (deadline 2027-03-01), term 3 runs 2027-04-02 … 2028-04-01 (deadline 2028-03-01).
    it('by default is read by the system as ending the agreement at the next term end, and says so', async () => {
      const id = await active();
      const res = await w.a.owner.post(url(id), { byParty: 'A', receivedOn: '2026-03-02', method: 'letter' });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        onTime: false,
        effectiveEnd: '2027-04-01',
        lateReading: { effect: 'next_term', nextTermEnd: '2027-04-01' },
      });
      expect(res.json.lateReading.rule.ja).toContain(
        '期限後の意思表示のため、本システムでは次の期間満了時に終了するものと解釈しています',
      );
      expect(res.json.lateReading.rule.en).toContain('reads it');
      expect(res.json.messageJa).toContain('本システムでは次の期間満了時に終了するものと解釈しています');
      const got = await w.b.viewer.get(`/api/v1/agreements/${id}`);
      expect(got.json.term).toMatchObject({ endsOn: '2027-04-01', endReason: 'termination_notice' });
      expect(got.json.terminationNotices[0]).toMatchObject({
        onTime: false,
        effectiveEnd: '2027-04-01',
        method: 'letter',
        lateReading: { effect: 'next_term', nextTermEnd: '2027-04-01' },
      });
      const rule = (got.json.term.rules as Array<{ field: string; ja: string }>).find(
        (r) => r.field === 'endsOn',
      );
      expect(rule?.ja).toContain('本システムでは');
    });

    it('recorded as not effective stays on record but ends nothing: the agreement keeps renewing', async () => {
      const id = await active();
      const res = await w.a.owner.post(url(id), {
        byParty: 'A',
        receivedOn: '2026-03-02',
        lateNoticeEffect: 'not_effective',
      });
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        onTime: false,
        effectiveEnd: null,
        lateReading: { effect: 'not_effective', nextTermEnd: '2027-04-01' },
      });
      expect(res.json.messageJa).toContain('効力がないもの');
      const got = await w.b.viewer.get(`/api/v1/agreements/${id}?on=2027-05-01`);
      expect(got.json.term).toMatchObject({
        status: 'active',
        endsOn: null,
        endReason: null,
        currentTermNumber: 3,
        terminationNoticeDeadline: '2028-03-01',
      });
      expect(got.json.terminationNotices).toHaveLength(1);
      expect(got.json.terminationNotices[0]).toMatchObject({
        effectiveEnd: null,
        lateReading: { effect: 'not_effective' },
      });
      const audit = await w.a.viewer.get(`/api/v1/agreements/${id}/audit-events`);
      const event = (
        audit.json.items as Array<{ action: string; payload: { after: { lateEffect: string } } }>
      ).find((e) => e.action === 'termination_notice.recorded');
      expect(event?.payload.after.lateEffect).toBe('not_effective');

      // a later notice is still accepted and ends the agreement
      const next = await w.b.owner.post(url(id), { byParty: 'B', receivedOn: '2026-11-20' });
      expect(next.status).toBe(201);
      expect(next.json).toMatchObject({ onTime: true, effectiveEnd: '2027-04-01' });
    });

    it('"not effective" is refused for a notice on time, and nothing is recorded', async () => {
      const id = await active();
      const res = await rejected(
        () =>
          w.a.owner.post(url(id), {
            byParty: 'A',
            receivedOn: '2026-11-10',
            lateNoticeEffect: 'not_effective',
          }),
        400,
        'VALIDATION_FAILED',
      );
      expect(res.json.errors).toEqual([expect.objectContaining({ path: 'lateNoticeEffect' })]);
    });

    it('an unknown lateNoticeEffect is refused', async () => {
      const id = await active();
      await rejected(
        () => w.a.owner.post(url(id), { byParty: 'A', receivedOn: '2026-03-02', lateNoticeEffect: 'later' }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('term dates on a weekend or holiday (民法第142条 not applied)', () => {
    it('notes a start on 元日 and the dates on Saturdays; the dates are not moved', async () => {
      // signed 2026-12-31: the term starts 2027-01-01 (元日) and ends 2027-12-31 (Friday);
      // the notice deadline 2027-11-30 is a Tuesday.
      const id = await active('2026-12-31');
      const got = await w.a.viewer.get(`/api/v1/agreements/${id}?on=2027-02-01`);
      expect(got.json.term.start).toBe('2027-01-01');
      expect(got.json.term.dateNotes).toEqual({
        start: {
          date: '2027-01-01',
          weekend: null,
          holiday: { kind: 'national', ja: '元日', en: "New Year's Day" },
          labels: [{ ja: '祝日（元日）', en: "Holiday (New Year's Day)" }],
        },
        currentTermStart: expect.objectContaining({ date: '2027-01-01' }),
      });

      // signed 2026-04-03: start Saturday 2026-04-04, end Saturday 2027-04-03, deadline 2027-03-03 (Wed)
      const sat = await active('2026-04-03');
      const term = (await w.a.viewer.get(`/api/v1/agreements/${sat}?on=2026-06-01`)).json.term;
      expect(term.initialEnd).toBe('2027-04-03');
      expect(term.terminationNoticeDeadline).toBe('2027-03-03');
      expect(Object.keys(term.dateNotes).sort()).toEqual([
        'currentTermEnd',
        'currentTermStart',
        'initialEnd',
        'start',
      ]);
      expect(term.dateNotes.initialEnd.labels).toEqual([{ ja: '土曜日', en: 'Saturday' }]);
    });

    it('is empty for a draft and for dates on weekdays', async () => {
      const draft = await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id });
      expect(draft.json.term.dateNotes).toEqual({});
      const id = await active('2026-04-01'); // 2026-04-02 Thu, 2027-04-01 Thu, 2027-03-01 Mon
      expect((await w.a.viewer.get(`/api/v1/agreements/${id}?on=2026-06-01`)).json.term.dateNotes).toEqual(
        {},
      );
    });
  });
});
