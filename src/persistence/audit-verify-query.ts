import type SQLite from 'better-sqlite3';
import type { ChainSegment, ChainVerifier } from '../domain/audit/chain.js';

/**
 * The SQLite read loop of audit verification, shared by `verifyChains` (one thread) and the
 * worker threads that verify segments of the (chain, seq) order in parallel
 * (audit-verify-worker.ts). Kept free of heavy imports: every worker loads it.
 */

/** A position in the (chain, seq) order of audit events. */
export interface AuditKey {
  chain: string;
  seq: number;
}

/** The events of one chain (or all) from `from` (inclusive) to `to` (exclusive); null = unbounded. */
export interface AuditRange {
  chain?: string;
  from: AuditKey | null;
  to: AuditKey | null;
}

/** What a worker thread is given. */
export interface AuditVerifyJob {
  file: string;
  range: AuditRange;
}

/** What a worker thread posts: rows read so far, then its segment. */
export type AuditVerifyMessage =
  { type: 'progress'; rows: number } | { type: 'done'; rows: number; segment: ChainSegment };

/** A row of the verify query in raw mode: the columns in the order the query selects them. */
type RawAuditRow = [
  id: string,
  chain: string,
  seq: number,
  occurredAt: string,
  actorUserId: string | null,
  actorOrgId: string | null,
  action: string,
  recordType: string,
  recordId: string,
  payload: string,
  prevHash: string,
  hash: string,
];

function rangeWhere(range: AuditRange): { where: string; params: Array<string | number> } {
  const conds: string[] = [];
  const params: Array<string | number> = [];
  const bound = (cond: string, ...values: Array<string | number>) => {
    conds.push(cond);
    params.push(...values);
  };
  if (range.chain !== undefined) {
    // One chain: bound seq alone, so SQLite seeks on (chain = ?, seq range) in the index.
    bound('chain = ?', range.chain);
    if (range.from) bound('seq >= ?', range.from.seq);
    if (range.to) bound('seq < ?', range.to.seq);
  } else {
    if (range.from) bound('(chain, seq) >= (?, ?)', range.from.chain, range.from.seq);
    if (range.to) bound('(chain, seq) < (?, ?)', range.to.chain, range.to.seq);
  }
  return { where: conds.length ? ` where ${conds.join(' and ')}` : '', params };
}

/**
 * Feeds the range's events to `verifier` in (chain, seq) order. Hot path: rows are iterated
 * without building a result array, as arrays (raw mode), which better-sqlite3 builds ~30 %
 * faster than keyed objects (bench/: `npm run bench`). Calls `onProgress` every
 * `progressEvery` rows; returns the number of rows read.
 */
export function verifyAuditRows(
  sqlite: SQLite.Database,
  range: AuditRange,
  verifier: ChainVerifier,
  onProgress?: (rows: number) => void,
  progressEvery = 100_000,
): number {
  const { where, params } = rangeWhere(range);
  const stmt = sqlite
    .prepare(
      'select id, chain, seq, occurred_at, actor_user_id, actor_org_id, action, record_type, record_id, payload, prev_hash, hash from audit_events' +
        where +
        ' order by chain, seq',
    )
    .raw(true);
  let n = 0;
  for (const r of stmt.iterate(...params) as Iterable<RawAuditRow>) {
    verifier.push({
      id: r[0],
      chain: r[1],
      seq: Number(r[2]),
      occurredAt: r[3],
      actorUserId: r[4],
      actorOrgId: r[5],
      action: r[6],
      recordType: r[7],
      recordId: r[8],
      payload: r[9],
      prevHash: r[10],
      hash: r[11],
    });
    if (++n % progressEvery === 0) onProgress?.(n);
  }
  return n;
}

/**
 * Cuts the range's events into `k` segments of about equal size; returns the start keys of
 * segments 2..k (fewer if there are too few events). Walks the (chain, seq) index only, each
 * step from the previous key: about one pass over the index, no table rows read.
 */
export function splitAuditRange(
  sqlite: SQLite.Database,
  count: number,
  k: number,
  chain?: string,
): AuditKey[] {
  const starts: AuditKey[] = [];
  let prev: AuditKey | null = null;
  let prevOffset = 0;
  for (let i = 1; i < k; i++) {
    const offset = Math.floor((count * i) / k);
    if (offset <= prevOffset) continue;
    const { where, params } = rangeWhere({ ...(chain !== undefined ? { chain } : {}), from: prev, to: null });
    const key = sqlite
      .prepare(`select chain, seq from audit_events${where} order by chain, seq limit 1 offset ?`)
      .get(...params, offset - prevOffset) as AuditKey | undefined;
    if (!key) break;
    starts.push({ chain: key.chain, seq: Number(key.seq) });
    prev = key;
    prevOffset = offset;
  }
  return starts;
}
