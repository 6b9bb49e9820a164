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
import { auditKeyFile, loadAuditSigner } from '../../src/app/audit/signing-key.js';
import { auditBody, chainHash } from '../../src/domain/audit/chain.js';
import { inTransaction, type Db } from '../../src/persistence/db.js';
import {
  appendAuditEvent,
  listAuditEvents,
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
  },
);
