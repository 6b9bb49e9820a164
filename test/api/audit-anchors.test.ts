import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import {
  issueReceipts,
  runFullVerification,
  verifyChainForPage,
  verifyReceiptsAgainst,
} from '../../src/app/audit/anchors.js';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import { AuditRunner } from '../../src/jobs/audit-runner.js';
import { auditKeyFile, loadAuditSigner } from '../../src/app/audit/signing-key.js';
import { auditBody, chainHash } from '../../src/domain/audit/chain.js';
import { inTransaction, type Db } from '../../src/persistence/db.js';
import {
  appendAuditEvent,
  listAuditEvents,
  findLastVerificationRun,
  listSignedPositions,
  type NewAuditEvent,
} from '../../src/persistence/repositories/audit.js';
import { listOutbox } from '../../src/persistence/repositories/outbox.js';
import { forEachDialect } from '../support/dialects.js';
import { FIRST_ITEMS, seedWorld, type World } from '../support/fixtures.js';

function event(chain: string, i: number): NewAuditEvent {
  return {
    chain,
    occurredAt: `2026-11-28T01:00:${String(i % 60).padStart(2, '0')}.000Z`,
    actorUserId: null,
    actorOrgId: null,
    action: 'test.appended',
    recordType: 'test',
    recordId: `rec_${i}`,
    payload: { i },
  };
}

/**
 * The attack of issue 7, finding 4: change one event's payload, recompute its hash and every
 * later event's prev_hash and hash, and move the head row to the new last hash. The chain alone
 * (hashes and head row) verifies again afterwards.
 */
async function rewriteChain(db: Db, chain: string, seq: number, payload: string): Promise<string> {
  const events = await listAuditEvents(db, chain);
  let prev = events.find((e) => e.seq === seq - 1)?.hash ?? '0'.repeat(64);
  for (const e of events.filter((x) => x.seq >= seq)) {
    const changed = { ...e, payload: e.seq === seq ? payload : e.payload, prevHash: prev };
    const hash = chainHash(prev, auditBody(changed));
    await db.kysely
      .updateTable('audit_events')
      .set({ payload: changed.payload, prev_hash: prev, hash })
      .where('id', '=', e.id)
      .execute();
    prev = hash;
  }
  const last = events.at(-1)!;
  await db.kysely.updateTable('audit_heads').set({ hash: prev }).where('chain', '=', chain).execute();
  expect(last.seq).toBeGreaterThanOrEqual(seq);
  return prev;
}

let counter = 0;
const chainName = () => `anchor_${Date.now().toString(36)}_${counter++}`;

// The receipt webhook is only queued here (never delivered): a loopback URL is allowed for it.
forEachDialect(
  'audit anchors (issue 7, findings 4 and 9)',
  { env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } },
  (h) => {
    let w: World;
    let agreementId: string;

    beforeAll(async () => {
      w = await seedWorld(h.ctx, h.app);
      agreementId = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id as string;
    });

    it('4a: the signing key is made under DATA_DIR/keys with mode 0600, outside the database and the repository', () => {
      const file = auditKeyFile(h.config.dataDir);
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(path.relative(path.resolve(import.meta.dirname, '../..'), file).startsWith('..')).toBe(true);
    });

    it('4a: each append signs the chain head; a rewrite that recomputes the later hashes and the head is detected by the signed head', async () => {
      const chain = chainName();
      for (let i = 1; i <= 5; i++) await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, i)));
      const [signed] = await listSignedPositions(h.db, 'audit_signed_heads', chain);
      expect(signed).toMatchObject({ chain, seq: 5 });
      expect((await runFullVerification(h.ctx, 'manual')).breaks.filter((b) => b.chain === chain)).toEqual(
        [],
      );

      const newHead = await rewriteChain(h.db, chain, 2, '{"i":999}');
      // The hole: the hashes and the head row alone verify again.
      expect((await verifyAudit(h.db, { chain })).ok).toBe(true);
      // The recorded head signature names the old hash: the rewrite shows, on a full run and on a page.
      const full = await runFullVerification(h.ctx, 'manual');
      expect(full.run.ok).toBe(false);
      expect(full.breaks.find((b) => b.chain === chain)).toMatchObject({
        seq: 5,
        reason: 'signed_head_mismatch',
      });
      expect((await verifyChainForPage(h.ctx, chain)).breaks[0]).toMatchObject({
        reason: 'signed_head_mismatch',
      });
      // A later append does not sign over the rewritten head: the stale signature keeps showing it.
      await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, 6)));
      expect((await listSignedPositions(h.db, 'audit_signed_heads', chain))[0]).toMatchObject({
        seq: 5,
        hash: signed!.hash,
      });
      expect((await verifyChainForPage(h.ctx, chain)).ok).toBe(false);

      // Moving the signed head (and checkpoint) rows to the new hash too: their signatures no longer verify.
      for (const t of ['audit_signed_heads', 'audit_checkpoints'] as const) {
        await h.db.kysely.updateTable(t).set({ hash: newHead, seq: 5 }).where('chain', '=', chain).execute();
      }
      const again = await runFullVerification(h.ctx, 'manual');
      expect(again.breaks.find((b) => b.chain === chain)).toMatchObject({ reason: 'signature_invalid' });
      await h.db.kysely.deleteFrom('audit_events').where('chain', '=', chain).execute();
      for (const t of ['audit_heads', 'audit_signed_heads', 'audit_checkpoints'] as const) {
        await h.db.kysely.deleteFrom(t).where('chain', '=', chain).execute();
      }
    });

    it('4b: a receipt issued before the rewrite no longer matches (library, API and first mismatch named)', async () => {
      // An incident event both parties see (after its first notice) triggers a receipt.
      const inc = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '再委託先でのマルウェア感染',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
        causeEntity: 'subcontractor',
        infoCategories: ['personal'],
        kinds: ['cyber_attack'],
      });
      expect(inc.status).toBe(201);
      // Before the first notice the counterparty must not learn of the incident: no receipt yet.
      expect(await issueReceipts(h.ctx, 'event')).toBe(0);
      const hooks = await w.a.owner.post(`/api/v1/organizations/${w.orgA.id}/webhooks`, {
        url: 'http://127.0.0.1:9/hook',
        events: ['audit.receipt'],
      });
      expect(hooks.status, JSON.stringify(hooks.json)).toBe(201);
      expect(
        (await w.b.responder.post(`/api/v1/incidents/${inc.json.id}/notices`, { items: FIRST_ITEMS })).status,
      ).toBe(201);
      expect(await issueReceipts(h.ctx, 'event')).toBe(1);
      expect(await issueReceipts(h.ctx, 'event')).toBe(0); // once per head
      const sent = (await listOutbox(h.db, 'webhook')).filter((r) => r.payload.includes('audit.receipt'));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.payload).toContain(agreementId);

      // Both parties download the receipts; an outsider cannot; the administrator keeps none.
      const file = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/audit-receipts?download=true`);
      expect(file.status).toBe(200);
      expect(file.headers['content-disposition']).toContain('attachment');
      expect((await w.b.viewer.get(`/api/v1/agreements/${agreementId}/audit-receipts`)).status).toBe(200);
      expect((await w.c.owner.get(`/api/v1/agreements/${agreementId}/audit-receipts`)).status).toBe(404);
      expect((await w.admin.get(`/api/v1/agreements/${agreementId}/audit-receipts`)).status).toBe(403);
      const receipts = file.json.receipts as Array<{ chain: string; seq: number; hash: string }>;
      expect(receipts.length).toBeGreaterThanOrEqual(1);
      const key = await w.anon.get('/api/v1/audit/public-key');
      expect(key.json.publicKeyPem).toBe(file.json.publicKeyPem);

      const ok = await w.b.owner.post('/api/v1/audit/receipts/verification', file.json);
      expect(ok.json).toEqual({ ok: true, checked: receipts.length, firstMismatch: null });

      await rewriteChain(h.db, agreementId, 1, '{"after":{"signedOn":"2020-01-01"}}');
      const bad = await w.b.owner.post('/api/v1/audit/receipts/verification', file.json);
      expect(bad.status).toBe(200);
      expect(bad.json).toMatchObject({
        ok: false,
        checked: 0,
        firstMismatch: { index: 0, chain: agreementId, seq: receipts[0]!.seq, reason: 'hash_mismatch' },
      });
      const lib = await verifyReceiptsAgainst(h.db, loadAuditSigner(h.config).publicKey, file.json.receipts);
      expect(lib.firstMismatch?.reason).toBe('hash_mismatch');
      // A forged receipt (hash changed to match the rewrite) fails on its signature.
      const head = (await listAuditEvents(h.db, agreementId)).find((e) => e.seq === receipts[0]!.seq)!;
      const forged = { receipts: [{ ...file.json.receipts[0], hash: head.hash }] };
      expect(
        (await w.b.owner.post('/api/v1/audit/receipts/verification', forged)).json.firstMismatch,
      ).toMatchObject({
        reason: 'signature_invalid',
      });
      // An outsider cannot probe another agreement's chain.
      expect((await w.c.owner.post('/api/v1/audit/receipts/verification', file.json)).status).toBe(404);
    });

    it('9: a page of a long chain verifies only the events after its signed checkpoint; a short one is recomputed whole', async () => {
      const chain = chainName();
      for (let i = 1; i <= 10; i++) await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, i)));
      const first = await verifyChainForPage(h.ctx, chain, { fullBelow: 5 });
      expect(first).toMatchObject({ ok: true, checked: 10, mode: 'full', checkpointSeq: null });
      expect((await listSignedPositions(h.db, 'audit_checkpoints', chain))[0]).toMatchObject({ seq: 10 });
      for (let i = 11; i <= 13; i++) await inTransaction(h.db, (tx) => appendAuditEvent(tx, event(chain, i)));
      const next = await verifyChainForPage(h.ctx, chain, { fullBelow: 5 });
      expect(next).toMatchObject({ ok: true, checked: 3, mode: 'incremental', checkpointSeq: 10 });
      expect(await verifyChainForPage(h.ctx, chain, { fullBelow: 5 })).toMatchObject({
        checked: 0,
        checkpointSeq: 13,
      });
      // Below the threshold (the default, 10 000 events) every page recomputes the whole chain.
      expect(await verifyChainForPage(h.ctx, chain)).toMatchObject({ ok: true, checked: 13, mode: 'full' });
      // A forged checkpoint (moved past a rewrite) fails on its signature; the page then recomputes all.
      await h.db.kysely
        .updateTable('audit_checkpoints')
        .set({ hash: 'f'.repeat(64) })
        .where('chain', '=', chain)
        .execute();
      const forged = await verifyChainForPage(h.ctx, chain, { fullBelow: 5 });
      expect(forged).toMatchObject({ ok: false, mode: 'full', checked: 13 });
      expect(forged.breaks[0]).toMatchObject({ reason: 'signature_invalid' });
      await h.db.kysely.deleteFrom('audit_checkpoints').where('chain', '=', chain).execute();
      await verifyChainForPage(h.ctx, chain, { fullBelow: 5 });

      // A row altered before the checkpoint (hash left as it was) is invisible to an incremental
      // page; the full verification (on demand here) finds it, and every page shows it until a clean run.
      const victim = (await listAuditEvents(h.db, chain))[1]!;
      await h.db.kysely
        .updateTable('audit_events')
        .set({ payload: '{"i":-2}' })
        .where('id', '=', victim.id)
        .execute();
      expect((await verifyChainForPage(h.ctx, chain, { fullBelow: 5 })).mode).toBe('incremental');
      expect((await w.a.owner.post('/api/v1/audit/verifications')).status).toBe(403);
      const run = await w.admin.post('/api/v1/audit/verifications');
      expect(run.status).toBe(201);
      expect(run.json).toMatchObject({ kind: 'manual', ok: false });
      expect(run.json.breaks).toContainEqual({
        chain,
        seq: 2,
        eventId: victim.id,
        reason: 'hash_mismatch',
      });
      const page = await verifyChainForPage(h.ctx, chain, { fullBelow: 5 });
      expect(page).toMatchObject({ ok: false, mode: 'incremental' });
      expect(page.breaks[0]).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
      expect(page.lastFull?.breaks[0]).toMatchObject({ seq: 2 });
      await h.db.kysely
        .updateTable('audit_events')
        .set({ payload: victim.payload })
        .where('id', '=', victim.id)
        .execute();
    });

    it('9: the audit-events reply says how it verified and when the last full verification ran and what it found', async () => {
      const res = await w.b.viewer.get(`/api/v1/agreements/${agreementId}/audit-events`);
      expect(res.status).toBe(200);
      expect(res.json.verification).toMatchObject({
        mode: 'full',
        lastFullVerification: { kind: 'manual', finishedAt: expect.any(String) },
      });
      // 4b's rewrite of this chain was found by the last full run: it says so for this chain.
      expect(res.json.verification.lastFullVerification.ok).toBe(false);
    });

    it('9: the runner runs a full verification when the last one is older than a day, and only then', async () => {
      const logs: string[] = [];
      const logger = {
        info: (_o: object, m: string) => logs.push(m),
        warn: (_o: object, m: string) => logs.push(m),
      };
      const runner = new AuditRunner(h.ctx, logger, { fullEveryMs: 24 * 3600_000 });
      h.clock.advance({ hours: 25 });
      await runner.runOnce();
      const first = await findLastVerificationRun(h.db);
      expect(first?.kind).toBe('scheduled');
      await runner.runOnce();
      expect((await findLastVerificationRun(h.db))?.id).toBe(first?.id);
      h.clock.advance({ hours: 25 });
      await runner.runOnce();
      expect((await findLastVerificationRun(h.db))?.id).not.toBe(first?.id);
    });
  },
);
