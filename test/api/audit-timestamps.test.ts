import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFullVerification } from '../../src/app/audit/anchors.js';
import { auditBody, chainHash } from '../../src/domain/audit/chain.js';
import { headImprint, parseTimeStampToken } from '../../src/domain/audit/tsp.js';
import { loadConfig } from '../../src/config/config.js';
import { AuditRunner } from '../../src/jobs/audit-runner.js';
import { inTransaction, type Db } from '../../src/persistence/db.js';
import {
  appendAuditEvent,
  listAuditEvents,
  listSignedPositions,
  type NewAuditEvent,
} from '../../src/persistence/repositories/audit.js';
import { listAuditTimestamps } from '../../src/persistence/repositories/audit-timestamps.js';
import { forEachDialect, type DialectHarness } from '../support/dialects.js';
import { seedWorld, type World } from '../support/fixtures.js';
import { startLocalTsa, type TsaMode } from '../support/local-tsa.js';

// One local TSA (127.0.0.1) for the whole file; its answers are switched per test.
const tsa = await startLocalTsa();
afterAll(() => tsa.close());

let counter = 0;
const chainName = () => `ts_${Date.now().toString(36)}_${counter++}`;

function event(chain: string, i: number): NewAuditEvent {
  return {
    chain,
    occurredAt: `2026-11-28T02:00:${String(i % 60).padStart(2, '0')}.000Z`,
    actorUserId: null,
    actorOrgId: null,
    action: 'test.appended',
    recordType: 'test',
    recordId: `rec_${i}`,
    payload: { i },
  };
}

async function appendEvents(db: Db, chain: string, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) await inTransaction(db, (tx) => appendAuditEvent(tx, event(chain, i)));
}

function runnerWithLog(h: DialectHarness) {
  const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const logger = {
    info: () => undefined,
    warn: (obj: object, msg: string) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
  };
  return { runner: new AuditRunner(h.ctx, logger, { tsaTimeoutMs: 400 }), warnings };
}

describe('AUDIT_TSA_URL (issue 7, finding 4c)', () => {
  it('is optional; a value that is not an http(s) URL stops start-up naming the variable', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/x' }).auditTsaUrl).toBeNull();
    expect(loadConfig({ DATA_DIR: '/tmp/x', AUDIT_TSA_URL: 'https://tsa.example/ts' }).auditTsaUrl).toBe(
      'https://tsa.example/ts',
    );
    for (const bad of ['ftp://tsa.example/', 'tsa.example', 'http://']) {
      expect(() => loadConfig({ DATA_DIR: '/tmp/x', AUDIT_TSA_URL: bad })).toThrow(/AUDIT_TSA_URL/);
    }
  });
});

forEachDialect(
  'RFC 3161 time-stamps of the audit chain heads from a local TSA (issue 7, finding 4c)',
  { env: { AUDIT_TSA_URL: tsa.url } },
  (h) => {
    let w: World;
    let agreementId: string;

    beforeAll(async () => {
      tsa.mode = 'ok';
      w = await seedWorld(h.ctx, h.app);
      agreementId = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id as string;
    });

    it("the runner obtains and stores a token for each signed head (local TSA, self-signed test certificate: imprint, nonce, genTime and the CMS signature checked, the certificate's chain of trust is not)", async () => {
      const before = tsa.requests.length;
      const { runner, warnings } = runnerWithLog(h);
      await runner.runOnce();
      expect(warnings).toEqual([]);
      const heads = await listSignedPositions(h.db, 'audit_signed_heads');
      expect(heads.map((x) => x.chain)).toContain(agreementId);
      const stamps = await listAuditTimestamps(h.db);
      for (const head of heads) {
        const t = stamps.find((s) => s.chain === head.chain && s.seq === head.seq);
        expect(t, head.chain).toMatchObject({
          hash: head.hash,
          at: head.at,
          genTime: tsa.genTime.toISOString(),
          tsa: tsa.url,
          tsaCertificate: {
            subject: 'CN=BreachPact local test TSA',
            sha256: new X509Certificate(tsa.signer.cert).fingerprint256,
          },
        });
        expect(parseTimeStampToken(Buffer.from(t!.token, 'base64')).imprint.equals(headImprint(head))).toBe(
          true,
        );
      }
      const sent = tsa.requests.slice(before);
      expect(sent).toHaveLength(heads.length);
      for (const r of sent) {
        expect(r.contentType).toBe('application/timestamp-query');
        expect(r.req).toMatchObject({ version: 1n, hashAlgorithm: '2.16.840.1.101.3.4.2.1', certReq: true });
        expect(r.req.nonce).not.toBeNull();
      }
      expect(new Set(sent.map((r) => r.req.nonce)).size).toBe(sent.length);
      // A head that has its time-stamp is not asked for again; a new head is.
      await runner.runOnce();
      expect(tsa.requests.length).toBe(before + heads.length);
      const chain = chainName();
      await appendEvents(h.db, chain, 1, 2);
      await runner.runOnce();
      expect(tsa.requests.length).toBe(before + heads.length + 1);
      expect((await listAuditTimestamps(h.db, chain)).map((t) => t.seq)).toEqual([2]);
    });

    it('the parties download the tokens and see {genTime, tsa} with their receipts; administrator 403, outsider 404, no session 401', async () => {
      const path = `/api/v1/agreements/${agreementId}/audit-timestamps`;
      const file = await w.a.viewer.get(`${path}?download=true`);
      expect(file.status).toBe(200);
      expect(file.headers['content-disposition']).toContain('attachment');
      expect(file.json).toMatchObject({
        agreementId,
        hashAlgorithm: 'SHA-256',
        imprintOf: 'chain|seq|hash|at',
      });
      const [t] = file.json.timestamps as Array<{
        chain: string;
        seq: number;
        hash: string;
        at: string;
        genTime: string;
        tsa: string;
        token: string;
      }>;
      expect(t).toMatchObject({
        chain: agreementId,
        genTime: tsa.genTime.toISOString(),
        tsa: tsa.url,
        tsaCertificate: { sha256: new X509Certificate(tsa.signer.cert).fingerprint256 },
      });
      expect(parseTimeStampToken(Buffer.from(t!.token, 'base64')).imprint.equals(headImprint(t!))).toBe(true);
      expect((await w.b.viewer.get(path)).status).toBe(200);
      expect((await w.admin.get(path)).status).toBe(403);
      expect((await w.c.owner.get(path)).status).toBe(404);
      expect((await w.anon.get(path)).status).toBe(401);

      const receipts = await w.b.viewer.get(`/api/v1/agreements/${agreementId}/audit-receipts`);
      expect(receipts.status).toBe(200);
      const stamped = (receipts.json.receipts as Array<{ seq: number; timestamp: unknown }>).find(
        (r) => r.seq === t!.seq,
      );
      expect(stamped?.timestamp).toEqual({ genTime: tsa.genTime.toISOString(), tsa: tsa.url });
      // The file as downloaded (time-stamps included) is still accepted for verification.
      expect((await w.b.owner.post('/api/v1/audit/receipts/verification', receipts.json)).json.ok).toBe(true);
    });

    const failures = {
      wrong_imprint: ['a wrong imprint', /imprint/],
      wrong_nonce: ['a wrong nonce', /nonce/],
      bad_signature: ['a token whose CMS signature does not verify', /signature does not verify/],
      unsigned: ['an unsigned token', /not signed/],
      reject: ['rejection (status 2)', /status 2/],
      hang: ['nothing in time', /timeout|abort/i],
    } satisfies Partial<Record<TsaMode, [string, RegExp]>>;
    for (const [mode, [what, error]] of Object.entries(failures) as Array<[TsaMode, [string, RegExp]]>) {
      it(`a TSA answering ${what}: nothing stored, a warning, retried next round`, async () => {
        const chain = chainName();
        await appendEvents(h.db, chain, 1, 3);
        const { runner, warnings } = runnerWithLog(h);
        tsa.mode = mode;
        try {
          await runner.runOnce();
        } finally {
          tsa.mode = 'ok';
        }
        expect(await listAuditTimestamps(h.db, chain)).toEqual([]);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.msg).toMatch(/time-stamp not obtained/);
        expect(warnings[0]!.obj).toMatchObject({ tsa: tsa.url, chain, seq: 3 });
        expect(String(warnings[0]!.obj.error)).toMatch(error);
        await runner.runOnce();
        expect((await listAuditTimestamps(h.db, chain)).map((t) => t.seq)).toEqual([3]);
        expect(warnings).toHaveLength(1);
      });
    }

    it('a rewrite after time-stamping is detected by the full verification: the time-stamped hash no longer matches the chain at that seq', async () => {
      const chain = chainName();
      await appendEvents(h.db, chain, 1, 4);
      await runnerWithLog(h).runner.runOnce();
      const [stamp] = await listAuditTimestamps(h.db, chain);
      expect(stamp).toMatchObject({ seq: 4 });
      expect((await runFullVerification(h.ctx, 'manual')).breaks.filter((b) => b.chain === chain)).toEqual(
        [],
      );

      // The attack of finding 4, and the signed head and checkpoint rows removed as well.
      const events = await listAuditEvents(h.db, chain);
      let prev = events[0]!.hash;
      for (const e of events.slice(1)) {
        const changed = { ...e, payload: e.seq === 2 ? '{"i":-2}' : e.payload, prevHash: prev };
        const hash = chainHash(prev, auditBody(changed));
        await h.db.kysely
          .updateTable('audit_events')
          .set({ payload: changed.payload, prev_hash: prev, hash })
          .where('id', '=', e.id)
          .execute();
        prev = hash;
      }
      await h.db.kysely.updateTable('audit_heads').set({ hash: prev }).where('chain', '=', chain).execute();
      for (const t of ['audit_signed_heads', 'audit_checkpoints'] as const) {
        await h.db.kysely.deleteFrom(t).where('chain', '=', chain).execute();
      }
      const full = await runFullVerification(h.ctx, 'manual');
      expect(full.breaks.filter((b) => b.chain === chain)).toEqual([
        { chain, seq: 4, eventId: events[3]!.id, reason: 'timestamp_mismatch' },
      ]);
      // Moving the time-stamp row to the new hash does not help: its token time-stamps the old head.
      await h.db.kysely
        .updateTable('audit_timestamps')
        .set({ hash: prev })
        .where('chain', '=', chain)
        .execute();
      const again = await runFullVerification(h.ctx, 'manual');
      expect(again.breaks.filter((b) => b.chain === chain)).toMatchObject([
        { seq: 4, reason: 'timestamp_mismatch' },
      ]);
      await h.db.kysely.deleteFrom('audit_timestamps').where('chain', '=', chain).execute();
      await h.db.kysely.deleteFrom('audit_events').where('chain', '=', chain).execute();
      await h.db.kysely.deleteFrom('audit_heads').where('chain', '=', chain).execute();
    });
  },
);

forEachDialect('without AUDIT_TSA_URL no time-stamp is requested (issue 7, finding 4c)', (h) => {
  it('the runner asks no TSA, stores nothing; the download is empty and receipts say timestamp null', async () => {
    const w = await seedWorld(h.ctx, h.app);
    const agreementId = (
      await w.admin.post('/api/v1/agreements', {
        partyA: w.orgA.id,
        partyB: w.orgB.id,
        signedOn: '2026-04-01',
      })
    ).json.id as string;
    const before = tsa.requests.length;
    const { runner, warnings } = runnerWithLog(h);
    await runner.runOnce();
    expect(tsa.requests.length).toBe(before);
    expect(warnings).toEqual([]);
    expect(await listAuditTimestamps(h.db)).toEqual([]);
    const file = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/audit-timestamps`);
    expect(file.json.timestamps).toEqual([]);
    const receipts = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/audit-receipts`);
    expect(receipts.json.receipts.length).toBeGreaterThan(0);
    for (const r of receipts.json.receipts as Array<{ timestamp: unknown }>) expect(r.timestamp).toBeNull();
  });
});
