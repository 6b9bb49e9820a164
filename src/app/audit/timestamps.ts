import type { ChainBreak } from '../../domain/audit/chain.js';
import { verifyTokenSignature } from '../../domain/audit/cms.js';
import { verifySignedHead, type SignedHead } from '../../domain/audit/signing.js';
import {
  buildTimeStampReq,
  checkTimeStampResp,
  headImprint,
  parseTimeStampToken,
  randomNonce,
} from '../../domain/audit/tsp.js';
import { AppError } from '../../domain/shared/errors.js';
import type { Tx } from '../../persistence/db.js';
import { findAuditEventHash, listSignedPositions } from '../../persistence/repositories/audit.js';
import {
  insertAuditTimestamp,
  lastTimestampedSeqs,
  listAuditTimestamps,
  type AuditTimestampRecord,
} from '../../persistence/repositories/audit-timestamps.js';
import { sideOf } from '../access.js';
import { loadAgreementFor } from '../agreements/agreement-view.js';
import { nowIso, type Actor, type AppContext } from '../context.js';
import { loadAuditSigner } from './signing-key.js';

/**
 * RFC 3161 time-stamps of the audit chain heads (issue 7, finding 4c). When AUDIT_TSA_URL is set,
 * the audit runner asks the TSA to time-stamp every signed head that has none yet; the imprint is
 * SHA-256 of `chain|seq|hash|at` (the bytes the head's Ed25519 signature covers). The reply is
 * checked (status granted, same imprint, same nonce, the TSA's CMS signature verifies against the
 * certificate the token carries, which is for time-stamping and valid at genTime) and the whole
 * token kept. Whether that certificate chains to a CA one trusts is not checked here: `openssl ts
 * -verify -CAfile` does that, and the certificate's fingerprint is shown to the parties.
 */

export const TSA_TIMEOUT_MS = 10_000;

/** Asks the TSA for a time-stamp of `head`; throws with the reason when the reply does not do. */
export async function requestTimestamp(
  url: string,
  head: Pick<SignedHead, 'chain' | 'seq' | 'hash' | 'at'>,
  options: { timeoutMs?: number } = {},
): Promise<{ token: Buffer; genTime: string; certificate: { subject: string; sha256: string } }> {
  const imprint = headImprint(head);
  const nonce = randomNonce();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
    body: buildTimeStampReq(imprint, nonce),
    signal: AbortSignal.timeout(options.timeoutMs ?? TSA_TIMEOUT_MS),
    redirect: 'error',
  });
  if (!res.ok) throw new Error(`the TSA answered HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > 1_000_000) throw new Error('the TSA reply is too large');
  const { token, tst } = checkTimeStampResp(body, { imprint, nonce });
  const signer = verifyTokenSignature(token, tst.genTime);
  return {
    token,
    genTime: tst.genTime,
    certificate: { subject: signer.subject, sha256: signer.fingerprint256 },
  };
}

export interface TimestampRound {
  stamped: number;
  /** The first failure of the round (the round stops there: the rest is tried next round). */
  failed: { chain: string; seq: number; error: string } | null;
}

/**
 * Time-stamps each signed head that has no time-stamp yet (and whose signature verifies and whose
 * event still has its hash: a forged or rewritten head is never time-stamped). Nothing is stored
 * for a reply that fails a check; the first failure ends the round with a warning, the head is
 * tried again next round. Does nothing without AUDIT_TSA_URL.
 */
export async function timestampHeads(
  ctx: AppContext,
  logger: { warn(obj: object, msg: string): void },
  options: { timeoutMs?: number; max?: number } = {},
): Promise<TimestampRound> {
  const url = ctx.config.auditTsaUrl;
  const round: TimestampRound = { stamped: 0, failed: null };
  if (!url) return round;
  const signer = loadAuditSigner(ctx.config);
  const done = await lastTimestampedSeqs(ctx.db);
  for (const h of await listSignedPositions(ctx.db, 'audit_signed_heads')) {
    if (round.stamped >= (options.max ?? 100)) break;
    // Heads only move forward: a chain whose latest time-stamp is at or past its head is done.
    if ((done.get(h.chain) ?? 0) >= h.seq) continue;
    if (!verifySignedHead(signer.publicKey, h)) continue;
    if ((await findAuditEventHash(ctx.db, h.chain, h.seq))?.hash !== h.hash) continue;
    try {
      const { token, genTime, certificate } = await requestTimestamp(url, h, options);
      const stored = await insertAuditTimestamp(ctx.db, {
        chain: h.chain,
        seq: h.seq,
        hash: h.hash,
        at: h.at,
        genTime,
        tsa: url,
        tsaCertificate: certificate,
        token: token.toString('base64'),
        createdAt: nowIso(ctx),
      });
      if (stored) round.stamped++;
    } catch (e) {
      const error =
        e instanceof Error ? `${e.name === 'TimeoutError' ? 'timeout: ' : ''}${e.message}` : String(e);
      round.failed = { chain: h.chain, seq: h.seq, error };
      logger.warn(
        { tsa: url, chain: h.chain, seq: h.seq, error },
        'audit time-stamp not obtained (nothing stored; retried next round)',
      );
      break;
    }
  }
  return round;
}

/**
 * Each stored time-stamp against the chain (full verification): its token must still time-stamp
 * `chain|seq|hash|at` of the row under a CMS signature that verifies with the certificate it
 * carries, and the event at (chain, seq) must still have that hash. A
 * rewrite after the time-stamp shows here. At most one break per chain; chains in `skip` ignored.
 */
export async function checkTimestamps(
  tx: Tx,
  options: { chain?: string; skip?: ReadonlySet<string> } = {},
): Promise<ChainBreak[]> {
  const broken = new Set(options.skip);
  const breaks: ChainBreak[] = [];
  for (const t of await listAuditTimestamps(tx, options.chain)) {
    if (broken.has(t.chain)) continue;
    const stored = await findAuditEventHash(tx, t.chain, t.seq);
    let ok = stored?.hash === t.hash;
    if (ok) {
      try {
        const token = Buffer.from(t.token, 'base64');
        const tst = parseTimeStampToken(token);
        verifyTokenSignature(token, tst.genTime);
        ok = tst.imprint.equals(headImprint(t));
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      breaks.push({ chain: t.chain, eventId: stored?.id ?? null, seq: t.seq, reason: 'timestamp_mismatch' });
      broken.add(t.chain);
    }
  }
  return breaks;
}

/** `{genTime, tsa}` of each time-stamped (chain, seq, hash), for the receipts download. */
export async function timestampIndex(
  tx: Tx,
  chain: string,
): Promise<Map<string, { genTime: string; tsa: string }>> {
  return new Map(
    (await listAuditTimestamps(tx, chain)).map((t) => [
      `${t.seq}|${t.hash}`,
      { genTime: t.genTime, tsa: t.tsa },
    ]),
  );
}

export interface TimestampFile {
  agreementId: string;
  hashAlgorithm: 'SHA-256';
  /** What each token's imprint is the SHA-256 of. */
  imprintOf: 'chain|seq|hash|at';
  timestamps: Array<Omit<AuditTimestampRecord, 'createdAt'>>;
}

/** The time-stamps of an agreement's chain with their tokens: the parties' download. */
export async function agreementTimestamps(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
): Promise<TimestampFile> {
  const { agreement } = await loadAgreementFor(ctx.db, actor, agreementId, 'audit.read');
  if (sideOf(actor, agreement) === null) throw new AppError('FORBIDDEN');
  return {
    agreementId,
    hashAlgorithm: 'SHA-256',
    imprintOf: 'chain|seq|hash|at',
    timestamps: (await listAuditTimestamps(ctx.db, agreementId)).map((t) => ({
      chain: t.chain,
      seq: t.seq,
      hash: t.hash,
      at: t.at,
      genTime: t.genTime,
      tsa: t.tsa,
      tsaCertificate: t.tsaCertificate,
      token: t.token,
    })),
  };
}
