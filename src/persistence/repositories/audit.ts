import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import {
  auditBody,
  chainHash,
  ChainVerifier,
  GENESIS_HASH,
  type ChainBreak,
  type ChainSegment,
  type StoredAuditEvent,
} from '../../domain/audit/chain.js';
import { signHead, verifySignedHead, type HeadSigner, type SignedHead } from '../../domain/audit/signing.js';
import { canonicalJson } from '../../domain/shared/json.js';
import { newId } from '../../domain/shared/ids.js';
import {
  splitAuditRange,
  verifyAuditRows,
  type AuditKey,
  type AuditRange,
  type AuditVerifyJob,
  type AuditVerifyMessage,
} from '../audit-verify-query.js';
import type { Db, Tx } from '../db.js';
import type { AuditEventsTable, AuditSignedPositionTable } from '../schema.js';

export interface NewAuditEvent {
  chain: string;
  occurredAt: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  payload: unknown;
}

function toStored(r: AuditEventsTable): StoredAuditEvent {
  return {
    id: r.id,
    chain: r.chain,
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actorUserId: r.actor_user_id,
    actorOrgId: r.actor_org_id,
    action: r.action,
    recordType: r.record_type,
    recordId: r.record_id,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The signing key of each open database (issue 7, finding 4a), registered at start-up by the
 * server and the CLI (`registerAuditSigner`). Keyed by the Kysely adapter, which an instance
 * shares with every transaction it opens, so `appendAuditEvent` finds it from the `Tx` alone.
 */
const signers = new WeakMap<object, HeadSigner>();

export function registerAuditSigner(db: Db, signer: HeadSigner): void {
  signers.set(db.kysely.getExecutor().adapter, signer);
}

function signerOf(tx: Tx): HeadSigner | undefined {
  return signers.get(tx.q.getExecutor().adapter);
}

/**
 * Appends one event to its chain inside the caller's transaction. The chain head row is locked
 * (FOR UPDATE on PostgreSQL; SQLite serialises writers) so two writers can never fork a chain;
 * the unique (chain, seq) constraint is the last line of defence.
 */
export async function appendAuditEvent(tx: Tx, e: NewAuditEvent): Promise<StoredAuditEvent> {
  await tx.q
    .insertInto('audit_heads')
    .values({ chain: e.chain, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  let headQuery = tx.q.selectFrom('audit_heads').select(['seq', 'hash']).where('chain', '=', e.chain);
  if (tx.dialect === 'postgres') headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  const fields = {
    id: newId('auditEvent'),
    chain: e.chain,
    seq: Number(head.seq) + 1,
    occurredAt: e.occurredAt,
    actorUserId: e.actorUserId,
    actorOrgId: e.actorOrgId,
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    payload: canonicalJson(e.payload ?? {}),
  };
  const hash = chainHash(head.hash, auditBody(fields));
  await tx.q
    .insertInto('audit_events')
    .values({
      id: fields.id,
      chain: fields.chain,
      seq: fields.seq,
      occurred_at: fields.occurredAt,
      actor_user_id: fields.actorUserId,
      actor_org_id: fields.actorOrgId,
      action: fields.action,
      record_type: fields.recordType,
      record_id: fields.recordId,
      payload: fields.payload,
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await tx.q
    .updateTable('audit_heads')
    .set({ seq: fields.seq, hash })
    .where('chain', '=', e.chain)
    .where('seq', '=', head.seq)
    .execute();
  // The new head, signed in the same transaction: a rewrite that recomputes the hashes leaves
  // this signature naming the old hash, and cannot sign the new one without the key.
  const signer = signerOf(tx);
  if (signer && (await headStillSigned(tx, signer, e.chain, { seq: Number(head.seq), hash: head.hash }))) {
    const signed = signHead(signer, { chain: e.chain, seq: fields.seq, hash, at: fields.occurredAt });
    await tx.q
      .insertInto('audit_signed_heads')
      .values(signed)
      .onConflict((oc) =>
        oc.column('chain').doUpdateSet({ seq: signed.seq, hash, at: signed.at, signature: signed.signature }),
      )
      .execute();
  }
  return { ...fields, prevHash: head.hash, hash };
}

/**
 * Whether the head the new event links to is the one this instance signed last: if the chain
 * was rewritten (head row and signed head differ, or the signed row was forged), the new head is
 * not signed, so the stale signature keeps showing the rewrite. A chain with no signed head yet
 * (written before signing existed, or without the key) is adopted.
 */
async function headStillSigned(
  tx: Tx,
  signer: HeadSigner,
  chain: string,
  head: { seq: number; hash: string },
): Promise<boolean> {
  const r = await tx.q
    .selectFrom('audit_signed_heads')
    .selectAll()
    .where('chain', '=', chain)
    .executeTakeFirst();
  if (!r) return true;
  const signed = toSigned(r);
  return signed.seq === head.seq && signed.hash === head.hash && verifySignedHead(signer.publicKey, signed);
}

const toSigned = (r: AuditSignedPositionTable): SignedHead => ({
  chain: r.chain,
  seq: Number(r.seq),
  hash: r.hash,
  at: r.at,
  signature: r.signature,
});

/** The signed heads (`audit_signed_heads`) or verified checkpoints (`audit_checkpoints`), of one chain or all. */
export async function listSignedPositions(
  tx: Tx,
  table: 'audit_signed_heads' | 'audit_checkpoints',
  chain?: string,
): Promise<SignedHead[]> {
  let q = tx.q.selectFrom(table).selectAll();
  if (chain !== undefined) q = q.where('chain', '=', chain);
  return (await q.orderBy('chain').execute()).map(toSigned);
}

/**
 * Moves a chain's checkpoint forward to a position a verification found intact (never back:
 * a slower verifier that started earlier does not undo a later one).
 */
export async function saveCheckpoint(tx: Tx, cp: SignedHead): Promise<void> {
  await tx.q
    .insertInto('audit_checkpoints')
    .values(cp)
    .onConflict((oc) =>
      oc
        .column('chain')
        .doUpdateSet({ seq: cp.seq, hash: cp.hash, at: cp.at, signature: cp.signature })
        .where('audit_checkpoints.seq', '<', cp.seq),
    )
    .execute();
}

/** The id and stored hash of event (chain, seq), or null if there is none. */
export async function findAuditEventHash(
  tx: Tx,
  chain: string,
  seq: number,
): Promise<{ id: string; hash: string } | null> {
  const r = await tx.q
    .selectFrom('audit_events')
    .select(['id', 'hash'])
    .where('chain', '=', chain)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return r ?? null;
}

export interface AuditReceiptRecord extends SignedHead {
  id: string;
  reason: 'event' | 'daily';
  issuedAt: string;
}

/** Records a receipt handed to the parties; false if one with this dedupe key was already issued. */
export async function insertAuditReceipt(
  tx: Tx,
  dedupe: string,
  r: Omit<AuditReceiptRecord, 'id'>,
): Promise<boolean> {
  const res = await tx.q
    .insertInto('audit_receipts')
    .values({
      id: `rcp_${randomBytes(12).toString('hex')}`,
      dedupe,
      chain: r.chain,
      seq: r.seq,
      hash: r.hash,
      at: r.at,
      signature: r.signature,
      reason: r.reason,
      issued_at: r.issuedAt,
    })
    .onConflict((oc) => oc.column('dedupe').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The receipts issued for `chain`, oldest first. */
export async function listAuditReceipts(tx: Tx, chain: string): Promise<AuditReceiptRecord[]> {
  const rows = await tx.q
    .selectFrom('audit_receipts')
    .selectAll()
    .where('chain', '=', chain)
    .orderBy('seq')
    .orderBy('issued_at')
    .execute();
  return rows.map((r) => ({
    ...toSigned(r),
    id: r.id,
    reason: r.reason === 'daily' ? 'daily' : 'event',
    issuedAt: r.issued_at,
  }));
}

/** The highest seq a receipt was issued for, per chain. */
export async function lastReceiptSeqs(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.q
    .selectFrom('audit_receipts')
    .select((eb) => ['chain', eb.fn.max<number>('seq').as('seq')])
    .groupBy('chain')
    .execute();
  return new Map(rows.map((r) => [r.chain, Number(r.seq)]));
}

export interface VerificationRunRecord {
  id: string;
  kind: 'scheduled' | 'manual' | 'cli';
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  checked: number;
  chains: number;
  /** The breaks found, in order (at most 1000). */
  breaks: ChainBreak[];
}

export async function insertVerificationRun(
  tx: Tx,
  run: Omit<VerificationRunRecord, 'id'>,
): Promise<VerificationRunRecord> {
  const id = `avr_${randomBytes(12).toString('hex')}`;
  await tx.q
    .insertInto('audit_verification_runs')
    .values({
      id,
      kind: run.kind,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      ok: run.ok ? 1 : 0,
      checked: run.checked,
      chains: run.chains,
      breaks: JSON.stringify(run.breaks.slice(0, 1000)),
    })
    .execute();
  return { id, ...run };
}

/** The last full verification that finished, or null if none ever ran. */
export async function findLastVerificationRun(tx: Tx): Promise<VerificationRunRecord | null> {
  const r = await tx.q
    .selectFrom('audit_verification_runs')
    .selectAll()
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    kind: r.kind === 'manual' ? 'manual' : r.kind === 'cli' ? 'cli' : 'scheduled',
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ok: Number(r.ok) === 1,
    checked: Number(r.checked),
    chains: Number(r.chains),
    breaks: JSON.parse(r.breaks) as ChainBreak[],
  };
}

/**
 * Verifies `chain` from a verified position on (its checkpoint; null: from the start), then its
 * head row: only the events after the position are read.
 */
export async function verifyChainFrom(
  db: Db,
  chain: string,
  from: { seq: number; hash: string } | null,
): Promise<ChainVerifier> {
  const verifier = from ? ChainVerifier.resumeAt(chain, from.seq, from.hash) : new ChainVerifier();
  const afterSeq = from?.seq ?? 0;
  if (db.sqlite) {
    verifyAuditRows(db.sqlite, { chain, from: { chain, seq: afterSeq + 1 }, to: null }, verifier);
  } else {
    let after = afterSeq;
    for (;;) {
      const rows = await db.kysely
        .selectFrom('audit_events')
        .selectAll()
        .where('chain', '=', chain)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(BATCH)
        .execute();
      for (const r of rows) verifier.push(toStored(r));
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) break;
      after = Number(last.seq);
    }
  }
  const head = await findAuditHead(db, chain);
  if (head) verifier.checkHead({ chain, ...head });
  else verifier.checkMissingHeads(new Set());
  return verifier;
}

/** A chain's events in order; `afterSeq` / `limit` read one page of it. */
export async function listAuditEvents(
  tx: Tx,
  chain: string,
  page: { afterSeq?: number | undefined; limit?: number | undefined } = {},
): Promise<StoredAuditEvent[]> {
  let q = tx.q.selectFrom('audit_events').selectAll().where('chain', '=', chain);
  if (page.afterSeq !== undefined) q = q.where('seq', '>', page.afterSeq);
  q = q.orderBy('seq');
  if (page.limit !== undefined) q = q.limit(page.limit);
  return (await q.execute()).map(toStored);
}

/** A chain's head (last seq and hash), or null for a chain with no events. */
export async function findAuditHead(tx: Tx, chain: string): Promise<{ seq: number; hash: string } | null> {
  const r = await tx.q
    .selectFrom('audit_heads')
    .select(['seq', 'hash'])
    .where('chain', '=', chain)
    .executeTakeFirst();
  return r ? { seq: Number(r.seq), hash: r.hash } : null;
}

export async function countAuditEvents(tx: Tx, chain: string): Promise<number> {
  const r = await tx.q
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('chain', '=', chain)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const BATCH = 20_000;

export interface VerifyChainsOptions {
  /** Verify this chain only (else every chain). */
  chain?: string;
  /** Called now and then with the number of events read so far. */
  onProgress?: (checked: number) => void;
  /**
   * SQLite file databases: how many worker threads verify segments of the chains in parallel;
   * default one per core, at most 4. 1 verifies on this thread.
   */
  threads?: number;
  /** Up to this many events are verified on this thread: starting workers would cost more than it saves. */
  parallelAbove?: number;
  /** After a parallel verification: the keys where segments 2..K started (tests, diagnostics). */
  onSegments?: (starts: AuditKey[]) => void;
}

const PARALLEL_ABOVE = 100_000;
const MAX_THREADS = 4;

/**
 * Recomputes chains (all, or one), then compares each chain's last event to its head row.
 * Streams: memory stays flat for millions of events. On an SQLite file with more than
 * `parallelAbove` events the (chain, seq) order is cut into one segment per core (at most 4),
 * each verified by a worker thread over its own read-only connection, and the segments are
 * merged in order (`ChainVerifier.mergeSegment`): the same result as one thread, sooner. (Each
 * worker reads its own snapshot; appends meanwhile only add rows past a chain's last event, as
 * during a one-thread scan.) If the workers fail, this thread verifies. In-memory SQLite streams
 * on this thread; PostgreSQL by keyset pagination over (chain, seq).
 */
export async function verifyChains(db: Db, options: VerifyChainsOptions = {}): Promise<ChainVerifier> {
  const verifier = new ChainVerifier();
  if (db.sqlite) {
    const sqlite = db.sqlite;
    const range: AuditRange = { ...(options.chain ? { chain: options.chain } : {}), from: null, to: null };
    const starts = planSegments(sqlite, options);
    const segments =
      starts &&
      (await verifyInWorkers(sqlite.name, range, starts, options.onProgress).catch((e: unknown) => {
        process.emitWarning(`audit verify: worker threads failed, verifying on one thread: ${String(e)}`);
        return null;
      }));
    if (starts && segments) {
      for (const s of segments) verifier.mergeSegment(s);
      options.onSegments?.(starts);
    } else {
      verifyAuditRows(sqlite, range, verifier, options.onProgress);
    }
  } else {
    let after: { chain: string; seq: number } | null = null;
    for (;;) {
      let q = db.kysely.selectFrom('audit_events').selectAll().orderBy('chain').orderBy('seq').limit(BATCH);
      if (options.chain) q = q.where('chain', '=', options.chain);
      if (after) {
        const a = after;
        q = q.where((eb) =>
          eb.or([eb('chain', '>', a.chain), eb.and([eb('chain', '=', a.chain), eb('seq', '>', a.seq)])]),
        );
      }
      const rows = await q.execute();
      for (const r of rows) verifier.push(toStored(r));
      options.onProgress?.(verifier.checked);
      const last = rows.at(-1);
      if (!last || rows.length < BATCH) break;
      after = { chain: last.chain, seq: Number(last.seq) };
    }
  }
  let headsQuery = db.kysely.selectFrom('audit_heads').selectAll();
  if (options.chain) headsQuery = headsQuery.where('chain', '=', options.chain);
  const heads = await headsQuery.execute();
  for (const h of heads) verifier.checkHead({ chain: h.chain, seq: Number(h.seq), hash: h.hash });
  verifier.checkMissingHeads(new Set(heads.map((h) => h.chain)));
  return verifier;
}

/** Where the segments 2..K start, or null to verify on this thread. */
function planSegments(sqlite: SQLite.Database, options: VerifyChainsOptions): AuditKey[] | null {
  const threads = Math.min(options.threads ?? Math.min(os.availableParallelism(), MAX_THREADS), MAX_THREADS);
  // Workers open the file anew: an in-memory (or temporary) database exists on this connection only.
  if (threads < 2 || sqlite.memory || !sqlite.name || sqlite.name === ':memory:') return null;
  const { n } = (
    options.chain
      ? sqlite.prepare('select count(*) as n from audit_events where chain = ?').get(options.chain)
      : sqlite.prepare('select count(*) as n from audit_events').get()
  ) as { n: number };
  if (n <= (options.parallelAbove ?? PARALLEL_ABOVE)) return null;
  const starts = splitAuditRange(sqlite, n, threads, options.chain || undefined);
  return starts.length ? starts : null;
}

/** How this module starts a worker: from dist/ the compiled .js; from src/ (tsx, vitest) the .ts through tsx. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`../audit-verify-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function startWorker(job: AuditVerifyJob): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: job });
  // Node 20 does not apply `--import tsx` (nor the parent's loader hooks) to a worker's entry,
  // so the worker registers tsx's require hook itself (cheaper to start than its ESM hooks).
  const require = createRequire(import.meta.url);
  const boot =
    `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();` +
    `require(${JSON.stringify(fileURLToPath(WORKER_URL))});`;
  return new Worker(boot, { eval: true, workerData: job });
}

/** Verifies each segment in its own worker thread; the segments in order. */
async function verifyInWorkers(
  file: string,
  range: AuditRange,
  starts: AuditKey[],
  onProgress: ((checked: number) => void) | undefined,
): Promise<ChainSegment[]> {
  const bounds = [range.from, ...starts];
  const ends = [...starts, range.to];
  const rowsRead = bounds.map(() => 0);
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      bounds.map(
        (from, i) =>
          new Promise<ChainSegment>((resolve, reject) => {
            const w = startWorker({ file, range: { ...range, from, to: ends[i] ?? null } });
            workers.push(w);
            let done = false;
            w.on('message', (m: AuditVerifyMessage) => {
              rowsRead[i] = m.rows;
              onProgress?.(rowsRead.reduce((a, b) => a + b, 0));
              if (m.type === 'done') {
                done = true;
                resolve(m.segment);
              }
            });
            w.once('error', reject);
            w.once('exit', (code) => {
              if (!done) reject(new Error(`audit verify worker exited with code ${code} before its result`));
            });
          }),
      ),
    );
  } finally {
    // On success they have exited or are exiting; on a failure the others are stopped.
    for (const w of workers) void w.terminate();
  }
}
