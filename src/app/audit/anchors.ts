import type { KeyObject } from 'node:crypto';
import {
  CHAIN_BREAK_MESSAGES,
  INSTANCE_CHAIN,
  type ChainBreak,
  type ChainVerifier,
} from '../../domain/audit/chain.js';
import { signHead, verifySignedHead, type HeadSigner, type SignedHead } from '../../domain/audit/signing.js';
import { AppError } from '../../domain/shared/errors.js';
import { todayIn } from '../../domain/shared/time.js';
import { inTransaction, type Db, type Tx } from '../../persistence/db.js';
import { findAgreement } from '../../persistence/repositories/agreements.js';
import {
  findAuditEventHash,
  findAuditHead,
  findLastVerificationRun,
  insertAuditReceipt,
  insertVerificationRun,
  lastReceiptSeqs,
  listAuditEvents,
  listAuditReceipts,
  listSignedPositions,
  registerAuditSigner,
  saveCheckpoint,
  verifyChainFrom,
  verifyChains,
  type VerificationRunRecord,
} from '../../persistence/repositories/audit.js';
import { listHiddenIncidentIds } from '../../persistence/repositories/incidents.js';
import { sideOf } from '../access.js';
import { loadAgreementFor } from '../agreements/agreement-view.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { emitWebhook } from '../incidents/notify.js';
import { incidentOfAuditEvent, partyOnlyAuditEvent } from './incident-of.js';
import { loadAuditSigner } from './signing-key.js';
import { checkTimestamps, timestampIndex } from './timestamps.js';

/**
 * Anchors of the audit chains outside the database (issue 7, findings 4 and 9): signed heads,
 * signed checkpoints, receipts handed to the parties, full verification runs.
 */

/** Loads the signing key (made on first use) and lets appends on `ctx.db` sign chain heads. */
export function enableAuditSigning(ctx: AppContext): HeadSigner {
  const signer = loadAuditSigner(ctx.config);
  registerAuditSigner(ctx.db, signer);
  return signer;
}

export function auditPublicKey(ctx: AppContext): {
  algorithm: 'Ed25519';
  publicKeyPem: string;
  fingerprint: string;
} {
  const s = loadAuditSigner(ctx.config);
  return { algorithm: 'Ed25519', publicKeyPem: s.publicKeyPem, fingerprint: s.fingerprint };
}

/** A signed position (signed head or checkpoint) against the chain: its signature, then its event's hash. */
async function checkPosition(tx: Tx, publicKey: KeyObject, h: SignedHead): Promise<ChainBreak | null> {
  if (!verifySignedHead(publicKey, h)) {
    return { chain: h.chain, eventId: null, seq: h.seq, reason: 'signature_invalid' };
  }
  const stored = await findAuditEventHash(tx, h.chain, h.seq);
  if (!stored || stored.hash !== h.hash) {
    return { chain: h.chain, eventId: stored?.id ?? null, seq: h.seq, reason: 'signed_head_mismatch' };
  }
  return null;
}

/**
 * Checks each chain's signed head and checkpoint (one chain or all), skipping chains in `skip`
 * (already broken); at most one break per chain. Point reads only: no chain is recomputed.
 */
export async function checkAnchors(
  tx: Tx,
  publicKey: KeyObject,
  options: { chain?: string; skip?: ReadonlySet<string> } = {},
): Promise<ChainBreak[]> {
  const broken = new Set(options.skip);
  const breaks: ChainBreak[] = [];
  for (const table of ['audit_signed_heads', 'audit_checkpoints'] as const) {
    for (const h of await listSignedPositions(tx, table, options.chain)) {
      if (broken.has(h.chain)) continue;
      const b = await checkPosition(tx, publicKey, h);
      if (b) {
        breaks.push(b);
        broken.add(h.chain);
      }
    }
  }
  return breaks;
}

export interface FullVerification {
  run: VerificationRunRecord;
  breaks: ChainBreak[];
  /** False when no signing key was available (the CLI without DATA_DIR/keys): signatures unchecked. */
  signaturesChecked: boolean;
}

/**
 * Recomputes every chain, checks every signed head and checkpoint, moves the checkpoints of the
 * intact chains to what was verified, and records the run (scheduled, on demand or from the CLI).
 */
export async function runFullVerification(
  ctx: AppContext,
  kind: VerificationRunRecord['kind'],
  options: { signer?: HeadSigner | null; onProgress?: (checked: number) => void } = {},
): Promise<FullVerification> {
  const signer = options.signer === undefined ? loadAuditSigner(ctx.config) : options.signer;
  const startedAt = nowIso(ctx);
  const v: ChainVerifier = await verifyChains(
    ctx.db,
    options.onProgress ? { onProgress: options.onProgress } : {},
  );
  const broken = new Set(v.breaks.map((b) => b.chain));
  const anchorBreaks = signer ? await checkAnchors(ctx.db, signer.publicKey, { skip: broken }) : [];
  for (const b of anchorBreaks) broken.add(b.chain);
  // RFC 3161 time-stamped heads (finding 4c): each must still match the chain.
  const timestampBreaks = await checkTimestamps(ctx.db, { skip: broken });
  for (const b of timestampBreaks) broken.add(b.chain);
  const breaks = [...v.breaks, ...anchorBreaks, ...timestampBreaks];
  const finishedAt = nowIso(ctx);
  const run = await inTransaction(ctx.db, async (tx) => {
    if (signer) {
      for (const [chain, last] of v.lastSeen) {
        if (!broken.has(chain))
          await saveCheckpoint(tx, signHead(signer, { chain, ...last, at: finishedAt }));
      }
    }
    return insertVerificationRun(tx, {
      kind,
      startedAt,
      finishedAt,
      ok: breaks.length === 0,
      checked: v.checked,
      chains: v.lastSeen.size,
      breaks,
    });
  });
  return { run, breaks, signaturesChecked: signer !== null };
}

/** Chains up to this many events are recomputed whole on every page (a few ms); longer ones from their checkpoint. */
export const PAGE_FULL_VERIFY_BELOW = 10_000;

export interface PageVerification {
  ok: boolean;
  checked: number;
  breaks: ChainBreak[];
  mode: 'full' | 'incremental';
  /** The verified position the page started after (incremental), else null. */
  checkpointSeq: number | null;
  lastFull: { run: VerificationRunRecord; breaks: ChainBreak[] } | null;
}

/**
 * What a page of a chain's events verifies (finding 9): the events after the chain's signed
 * checkpoint (after checking the checkpoint's signature and that its event still has its hash)
 * and the signed head; the whole chain when it is short. An intact result moves the checkpoint
 * to the head. A break found by the last full verification stays reported until the next one.
 */
export async function verifyChainForPage(
  ctx: AppContext,
  chain: string,
  options: { fullBelow?: number } = {},
): Promise<PageVerification> {
  const signer = enableAuditSigning(ctx);
  const head = await findAuditHead(ctx.db, chain);
  const anchorBreaks = await checkAnchors(ctx.db, signer.publicKey, { chain });
  const [cp] = await listSignedPositions(ctx.db, 'audit_checkpoints', chain);
  const long = (head?.seq ?? 0) >= (options.fullBelow ?? PAGE_FULL_VERIFY_BELOW);
  const from = long && cp && anchorBreaks.length === 0 ? { seq: cp.seq, hash: cp.hash } : null;
  const v = await verifyChainFrom(ctx.db, chain, from);
  const breaks = [...v.breaks, ...(v.breaks.length ? [] : anchorBreaks)];
  if (breaks.length === 0 && head && head.seq > 0 && head.seq > (cp?.seq ?? 0)) {
    await saveCheckpoint(
      ctx.db,
      signHead(signer, { chain, seq: head.seq, hash: head.hash, at: nowIso(ctx) }),
    );
  }
  const lastRun = await findLastVerificationRun(ctx.db);
  const lastFull = lastRun ? { run: lastRun, breaks: lastRun.breaks.filter((b) => b.chain === chain) } : null;
  // Only a full recomputation sees a row altered before the checkpoint: until the next one, its
  // finding stands (a recomputation on this page supersedes it).
  if (from && breaks.length === 0 && lastFull?.breaks[0]) breaks.push(lastFull.breaks[0]);
  return {
    ok: breaks.length === 0,
    checked: v.checked,
    breaks,
    mode: from ? 'incremental' : 'full',
    checkpointSeq: from?.seq ?? null,
    lastFull,
  };
}

export function breakMessage(b: ChainBreak | null | undefined) {
  return b ? CHAIN_BREAK_MESSAGES[b.reason] : null;
}

/** A receipt as handed to a party: a signed head. */
export type AuditReceipt = SignedHead;

const receiptOf = (h: SignedHead): AuditReceipt => ({
  chain: h.chain,
  seq: h.seq,
  hash: h.hash,
  at: h.at,
  signature: h.signature,
});

/**
 * Issues receipts of the agreement chains' signed heads to both parties (finding 4b): `event`
 * for each chain that took an incident event both parties may see since its last receipt (an
 * incident not yet notified to the counterparty does not trigger one, Art 3.1), `daily` for
 * every chain once a day. Each receipt is recorded (for the download) and sent by webhook
 * (`audit.receipt`) once; a forged signed head is never handed out. Returns how many were issued.
 */
export async function issueReceipts(ctx: AppContext, reason: 'event' | 'daily'): Promise<number> {
  const signer = enableAuditSigning(ctx);
  const now = nowIso(ctx);
  const today = todayIn(ctx.clock.now()).toString();
  const last = await lastReceiptSeqs(ctx.db);
  let issued = 0;
  for (const h of await listSignedPositions(ctx.db, 'audit_signed_heads')) {
    if (h.chain === INSTANCE_CHAIN || !verifySignedHead(signer.publicKey, h)) continue;
    const agreement = await findAgreement(ctx.db, h.chain);
    if (!agreement) continue;
    if (reason === 'event') {
      const prev = last.get(h.chain) ?? 0;
      if (h.seq <= prev) continue;
      const events = await listAuditEvents(ctx.db, h.chain, { afterSeq: Math.max(prev, h.seq - 1000) });
      const hidden = new Set([
        ...(await listHiddenIncidentIds(ctx.db, h.chain, 'A')),
        ...(await listHiddenIncidentIds(ctx.db, h.chain, 'B')),
      ]);
      const shared = events.some((e) => {
        const incident = incidentOfAuditEvent(e);
        // A party-internal note is no event both parties may see (a receipt would tell of it).
        return incident !== null && !hidden.has(incident) && partyOnlyAuditEvent(e) === null;
      });
      if (!shared) continue;
    }
    const dedupe = reason === 'event' ? `event:${h.chain}:${h.seq}` : `daily:${h.chain}:${today}`;
    const done = await inTransaction(ctx.db, async (tx) => {
      if (!(await insertAuditReceipt(tx, dedupe, { ...h, reason, issuedAt: now }))) return false;
      await emitWebhook(
        ctx,
        tx,
        agreement,
        'audit.receipt',
        `audit-receipt:${dedupe}`,
        { receipt: receiptOf(h), reason, publicKeyFingerprint: signer.fingerprint },
        now,
        'both',
      );
      return true;
    });
    if (done) issued++;
  }
  return issued;
}

export interface ReceiptFile {
  agreementId: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
  fingerprint: string;
  /** Each receipt with its RFC 3161 time-stamp (finding 4c), if the head has one. */
  receipts: Array<AuditReceipt & { timestamp: { genTime: string; tsa: string } | null }>;
}

/** The receipts issued for an agreement's chain, and its current signed head: the parties' download. */
export async function agreementReceipts(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
): Promise<ReceiptFile> {
  const { agreement } = await loadAgreementFor(ctx.db, actor, agreementId, 'audit.read');
  // For the parties' users: the administrator has no receipts to keep.
  if (sideOf(actor, agreement) === null) throw new AppError('FORBIDDEN');
  const signer = enableAuditSigning(ctx);
  const receipts = (await listAuditReceipts(ctx.db, agreementId)).map(receiptOf);
  const [head] = await listSignedPositions(ctx.db, 'audit_signed_heads', agreementId);
  if (
    head &&
    verifySignedHead(signer.publicKey, head) &&
    !receipts.some((r) => r.seq === head.seq && r.at === head.at)
  ) {
    receipts.push(receiptOf(head));
  }
  const stamps = await timestampIndex(ctx.db, agreementId);
  return {
    agreementId,
    algorithm: 'Ed25519',
    publicKeyPem: signer.publicKeyPem,
    fingerprint: signer.fingerprint,
    receipts: receipts.map((r) => ({ ...r, timestamp: stamps.get(`${r.seq}|${r.hash}`) ?? null })),
  };
}

export interface ReceiptMismatch {
  /** Position of the receipt in the list given. */
  index: number;
  chain: string;
  seq: number;
  reason: 'signature_invalid' | 'event_missing' | 'hash_mismatch';
}

export interface ReceiptsVerification {
  ok: boolean;
  checked: number;
  firstMismatch: ReceiptMismatch | null;
}

/**
 * Checks the database against receipts a party kept (finding 4b): each receipt's signature must
 * verify with the public key and the stored event at (chain, seq) must have the receipt's hash.
 * Stops at the first mismatch.
 */
export async function verifyReceiptsAgainst(
  db: Db,
  publicKey: KeyObject,
  receipts: readonly AuditReceipt[],
): Promise<ReceiptsVerification> {
  for (const [index, r] of receipts.entries()) {
    const at = { index, chain: r.chain, seq: r.seq };
    if (!verifySignedHead(publicKey, r))
      return { ok: false, checked: index, firstMismatch: { ...at, reason: 'signature_invalid' } };
    const stored = await findAuditEventHash(db, r.chain, r.seq);
    if (!stored) return { ok: false, checked: index, firstMismatch: { ...at, reason: 'event_missing' } };
    if (stored.hash !== r.hash)
      return { ok: false, checked: index, firstMismatch: { ...at, reason: 'hash_mismatch' } };
  }
  return { ok: true, checked: receipts.length, firstMismatch: null };
}

/** The API's check of receipts: only of chains the actor may read (else 404, nothing revealed). */
export async function verifyReceipts(
  ctx: AppContext,
  actor: Actor,
  receipts: readonly AuditReceipt[],
): Promise<ReceiptsVerification> {
  for (const chain of new Set(receipts.map((r) => r.chain))) {
    if (chain === INSTANCE_CHAIN) {
      if (actor.kind !== 'user' || !actor.isAdmin) throw new AppError('NOT_FOUND');
    } else {
      await loadAgreementFor(ctx.db, actor, chain, 'audit.read');
    }
  }
  return verifyReceiptsAgainst(ctx.db, loadAuditSigner(ctx.config).publicKey, receipts);
}

/**
 * Reads a receipts file as downloaded (`{receipts: [...], publicKeyPem?}`) or a bare list of
 * receipts; throws with the reason if it is not one.
 */
export function parseReceiptFile(text: string): { receipts: AuditReceipt[]; publicKeyPem: string | null } {
  const data = JSON.parse(text) as unknown;
  const obj = Array.isArray(data)
    ? { receipts: data }
    : (data as { receipts?: unknown; publicKeyPem?: unknown });
  if (!obj || !Array.isArray(obj.receipts))
    throw new Error('not a receipts file: expected {"receipts": [...]}');
  const receipts = obj.receipts.map((r: unknown, i: number): AuditReceipt => {
    const x = r as Partial<AuditReceipt> | null;
    if (
      !x ||
      typeof x.chain !== 'string' ||
      typeof x.seq !== 'number' ||
      typeof x.hash !== 'string' ||
      typeof x.at !== 'string' ||
      typeof x.signature !== 'string'
    ) {
      throw new Error(`receipt ${i} is not {chain, seq, hash, at, signature}`);
    }
    return receiptOf(x as AuditReceipt);
  });
  return { receipts, publicKeyPem: typeof obj.publicKeyPem === 'string' ? obj.publicKeyPem : null };
}
