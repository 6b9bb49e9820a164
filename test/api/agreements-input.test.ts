import { sql } from 'kysely';
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

forEachDialect('agreements: bad input, conflicts, idempotency, audit chain', (h) => {
  let w: World;
  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
  });

  /** Runs `call`, expects the problem, and checks data and audit chain are exactly as before. */
  async function rejected(call: () => Promise<Response>, status: number, code: string): Promise<Response> {
    const before = await snapshot(h.ctx);
    const res = await call();
    expectProblem(res, status, code);
    expect(await snapshot(h.ctx)).toBe(before);
    expect((await verifyAudit(h.db)).ok).toBe(true);
    return res;
  }

  describe('bad input changes nothing', () => {
    it('rejects an impossible date (2026-02-30)', async () => {
      const res = await rejected(
        () =>
          w.admin.post('/api/v1/agreements', {
            partyA: w.orgA.id,
            partyB: w.orgB.id,
            signedOn: '2026-02-30',
          }),
        400,
        'INVALID_DATE',
      );
      expect(res.json.errors).toEqual([expect.objectContaining({ path: 'signedOn', code: 'INVALID_DATE' })]);
    });

    it('rejects the same company on both sides', async () => {
      await rejected(
        () => w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgA.id }),
        400,
        'SAME_PARTY',
      );
    });

    it('rejects an unknown organisation', async () => {
      const res = await rejected(
        () =>
          w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: 'org_doesnotexist0000000000000' }),
        400,
        'UNKNOWN_ORGANIZATION',
      );
      expect(res.json.errors[0].path).toBe('partyB');
    });

    it('rejects malformed JSON', async () => {
      await rejected(() => w.admin.post('/api/v1/agreements', '{"partyA": '), 400, 'MALFORMED_JSON');
    });

    it('rejects unknown fields, naming them', async () => {
      const res = await rejected(
        () =>
          w.admin.post('/api/v1/agreements', {
            partyA: w.orgA.id,
            partyB: w.orgB.id,
            colour: 'red',
            parameters: { foo: 1 },
          }),
        400,
        'VALIDATION_FAILED',
      );
      const paths = (res.json.errors as Array<{ path: string }>).map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['colour', 'parameters.foo']));
    });

    it('rejects wrong types and out-of-range parameters', async () => {
      const res = await rejected(
        () =>
          w.admin.post('/api/v1/agreements', {
            partyA: 42,
            partyB: w.orgB.id,
            parameters: { termMonths: 'twelve', noticeTargetHours: 0, countSigningDay: 'yes' },
          }),
        400,
        'VALIDATION_FAILED',
      );
      const byPath = Object.fromEntries(
        (res.json.errors as Array<{ path: string; code: string; messageEn: string }>).map((e) => [e.path, e]),
      );
      // A field that was sent with the wrong type is INVALID_TYPE (not "required"), naming both types.
      expect(byPath.partyA).toMatchObject({
        code: 'INVALID_TYPE',
        messageEn: 'Wrong type (expected string, got number).',
      });
      expect(byPath['parameters.termMonths']).toMatchObject({ code: 'INVALID_TYPE' });
      expect(byPath['parameters.countSigningDay']).toMatchObject({ code: 'INVALID_TYPE' });
      expect(byPath['parameters.noticeTargetHours']).toMatchObject({ code: 'TOO_SMALL' });
    });

    it('names a missing field REQUIRED, also for a closed list (enum)', async () => {
      const res = await rejected(
        () => w.admin.post('/api/v1/agreements', { partyB: w.orgB.id }),
        400,
        'VALIDATION_FAILED',
      );
      expect(res.json.errors).toEqual([expect.objectContaining({ path: 'partyA', code: 'REQUIRED' })]);
      const term = await rejected(
        () =>
          w.admin.post(`/api/v1/agreements/${'agr_00000000000000000000000000'}/termination-notices`, {
            receivedOn: '2026-01-05',
          }),
        400,
        'VALIDATION_FAILED',
      );
      expect(term.json.errors).toEqual([expect.objectContaining({ path: 'byParty', code: 'REQUIRED' })]);
    });

    it('an empty body with a JSON content type is "no body": required fields are named, nothing breaks', async () => {
      const res = await rejected(
        () => w.admin.post('/api/v1/agreements', '', { 'content-type': 'application/json' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(res.json.errors[0]).toMatchObject({ code: 'REQUIRED' });
    });

    it('errors raised before routing are problem+json too (over-long id → 404, malformed URL → 400)', async () => {
      await rejected(() => w.admin.get(`/api/v1/agreements/agr_${'a'.repeat(300)}`), 404, 'NOT_FOUND');
      await rejected(() => w.admin.get('/api/v1/agreements/%E0%A4%A'), 400, 'VALIDATION_FAILED');
      // Unknown API paths (also /api itself) are problem+json 404s, never the web app's page.
      for (const url of ['/api', '/api?x=1', '/api/v1/nothing-here', '/api/v2/agreements'])
        await rejected(() => w.admin.get(url), 404, 'NOT_FOUND');
    });

    it('a JSON body sent as text/plain is not parsed (415)', async () => {
      await rejected(
        () =>
          w.admin.post('/api/v1/agreements', JSON.stringify({ partyA: w.orgA.id, partyB: w.orgB.id }), {
            'content-type': 'text/plain',
          }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });

    it('rejects a bad ?on= date and a bad document format listing the allowed values', async () => {
      const id = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json.id;
      await rejected(() => w.admin.get(`/api/v1/agreements/${id}?on=2027-13-01`), 400, 'INVALID_DATE');
      const res = await rejected(
        () => w.admin.get(`/api/v1/agreements/${id}/document?format=pdf`),
        400,
        'VALIDATION_FAILED',
      );
      expect(res.json.errors[0].messageEn).toContain('docx');
    });

    it('rejects a non-JSON content type', async () => {
      await rejected(
        () =>
          w.admin.post('/api/v1/agreements', 'partyA=x', {
            'content-type': 'application/x-www-form-urlencoded',
          }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });
  });

  describe('state conflicts change nothing', () => {
    it('signing an active agreement → 409', async () => {
      const id = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id;
      await rejected(
        () => w.a.owner.post(`/api/v1/agreements/${id}/sign`, { signedOn: '2026-05-01' }),
        409,
        'AGREEMENT_ALREADY_SIGNED',
      );
    });

    it('a termination notice on a draft → 409', async () => {
      const id = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json.id;
      await rejected(
        () =>
          w.a.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
            byParty: 'A',
            receivedOn: '2026-12-01',
          }),
        409,
        'AGREEMENT_NOT_SIGNED',
      );
    });

    it('a stale version → 409; a missing If-Match on PATCH → 428', async () => {
      const id = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json.id;
      expect(
        (await w.a.owner.patch(`/api/v1/agreements/${id}`, { dateStyle: 'japanese' }, { 'if-match': '"1"' }))
          .status,
      ).toBe(200);
      await rejected(
        () =>
          w.b.owner.patch(
            `/api/v1/agreements/${id}`,
            { parameters: { noticeTargetHours: 6 } },
            { 'if-match': '"1"' },
          ),
        409,
        'VERSION_CONFLICT',
      );
      await rejected(
        () => w.b.owner.patch(`/api/v1/agreements/${id}`, { dateStyle: 'western' }),
        428,
        'VERSION_REQUIRED',
      );
      await rejected(
        () =>
          w.b.owner.post(`/api/v1/agreements/${id}/sign`, { signedOn: '2026-04-01' }, { 'if-match': '"1"' }),
        409,
        'VERSION_CONFLICT',
      );
    });

    it('a notice received before the signing date → 400', async () => {
      const id = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id;
      await rejected(
        () =>
          w.a.owner.post(`/api/v1/agreements/${id}/termination-notices`, {
            byParty: 'A',
            receivedOn: '2026-03-31',
          }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('two concurrent signatures of one party: exactly one wins', async () => {
      const id = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json.id;
      const results = await Promise.all([
        w.a.owner.post(`/api/v1/agreements/${id}/sign`, { signedOn: '2026-04-01' }),
        w.a.legal.post(`/api/v1/agreements/${id}/sign`, { signedOn: '2026-04-03' }),
      ]);
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(1);
      const events = await w.a.viewer.get(`/api/v1/agreements/${id}/audit-events`);
      expect(
        (events.json.items as Array<{ action: string }>).filter((e) => e.action === 'agreement.signed'),
      ).toHaveLength(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('a retried POST returns the first result and creates nothing twice', async () => {
      const body = { partyA: w.orgA.id, partyB: w.orgB.id, signedOn: '2026-04-01' };
      const first = await w.a.owner.post('/api/v1/agreements', body, { 'idempotency-key': 'create-1' });
      expect(first.status).toBe(201);
      const before = await snapshot(h.ctx);
      const retry = await w.a.owner.post('/api/v1/agreements', body, { 'idempotency-key': 'create-1' });
      expect(retry.status).toBe(201);
      expect(retry.json.id).toBe(first.json.id);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await snapshot(h.ctx)).toBe(before);
    });

    it('the same key with another body is refused; keys are per user', async () => {
      await w.a.owner.post(
        '/api/v1/agreements',
        { partyA: w.orgA.id, partyB: w.orgB.id },
        { 'idempotency-key': 'k-2' },
      );
      await rejected(
        () =>
          w.a.owner.post(
            '/api/v1/agreements',
            { partyA: w.orgA.id, partyB: w.orgC.id },
            { 'idempotency-key': 'k-2' },
          ),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      const other = await w.b.owner.post(
        '/api/v1/agreements',
        { partyA: w.orgA.id, partyB: w.orgB.id },
        { 'idempotency-key': 'k-2' },
      );
      expect(other.status).toBe(201);
    });

    it('replays a refusal too, and a termination notice is recorded once', async () => {
      const id = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id;
      const send = () =>
        w.b.legal.post(
          `/api/v1/agreements/${id}/termination-notices`,
          { byParty: 'B', receivedOn: '2026-11-02' }, // not after today (the test clock: 2026-11-28)
          { 'idempotency-key': 'tn-1' },
        );
      const a = await send();
      const b = await send();
      expect(a.status).toBe(201);
      expect(b.json).toEqual(a.json);
      const got = await w.admin.get(`/api/v1/agreements/${id}`);
      expect(got.json.terminationNotices).toHaveLength(1);
    });
  });

  describe('audit chain', () => {
    it('writes one event per change, in order, chained by SHA-256', async () => {
      const id = (await w.a.owner.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json
        .id;
      await w.a.owner.patch(
        `/api/v1/agreements/${id}`,
        { parameters: { noticeTargetHours: 12 } },
        { 'if-match': '"1"' },
      );
      await w.b.owner.post(`/api/v1/agreements/${id}/sign`, { signedOn: '2026-04-01' });
      await w.a.legal.post(`/api/v1/agreements/${id}/sign`, {});
      await w.b.legal.post(`/api/v1/agreements/${id}/termination-notices`, {
        byParty: 'B',
        receivedOn: '2026-11-02',
      });
      const res = await w.a.viewer.get(`/api/v1/agreements/${id}/audit-events`);
      expect(res.status).toBe(200);
      const items = res.json.items as Array<{
        seq: number;
        action: string;
        prevHash: string;
        hash: string;
        actor: { organizationId: string };
      }>;
      expect(items.map((e) => e.action)).toEqual([
        'agreement.created',
        'agreement.updated',
        'agreement.signed',
        'agreement.signed',
        'termination_notice.recorded',
      ]);
      expect(items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(items[0]?.prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < items.length; i++) expect(items[i]?.prevHash).toBe(items[i - 1]?.hash);
      expect(items[2]?.actor.organizationId).toBe(w.orgB.id);
      expect(items[3]?.actor.organizationId).toBe(w.orgA.id);
      expect(res.json.verification).toMatchObject({ ok: true, checked: 5, firstBrokenEventId: null });
    });

    it('detects a row altered with plain SQL and names the first broken event', async () => {
      const id = (await w.admin.post('/api/v1/agreements', { partyA: w.orgA.id, partyB: w.orgB.id })).json.id;
      await w.a.owner.post(`/api/v1/agreements/${id}/sign`, { signedOn: '2026-04-01' });
      const events = (await w.a.owner.get(`/api/v1/agreements/${id}/audit-events`)).json.items as Array<{
        id: string;
      }>;
      const victim = events[0]?.id as string;
      await sql`update audit_events set payload = ${'{"after":{"signedOn":"2020-01-01"}}'} where id = ${victim}`.execute(
        h.db.kysely,
      );
      const res = await w.admin.get(`/api/v1/agreements/${id}/audit-events`);
      expect(res.json.verification).toMatchObject({
        ok: false,
        firstBrokenEventId: victim,
        reason: 'hash_mismatch',
      });
      expect(res.json.verification.reasonJa).toContain('改ざん');
      // The administrator sees where the chain breaks, but no events.
      expect(res.json.summary).toMatchObject({ verified: false, firstBrokenSeq: 1 });
      expect(res.json.items).toEqual([]);
      const all = await verifyAudit(h.db);
      expect(all.ok).toBe(false);
      expect(all.firstBrokenEventId).toBe(victim);
      // Repair the row so the other tests of this database see an intact trail again.
      await sql`delete from audit_events where chain = ${id}`.execute(h.db.kysely);
      await sql`delete from audit_heads where chain = ${id}`.execute(h.db.kysely);
      expect((await verifyAudit(h.db)).ok).toBe(true);
    });
  });
});
