import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit/audit-events.js';
import {
  auditBody,
  chainHash,
  ChainVerifier,
  GENESIS_HASH,
  type AuditEventFields,
  type ChainHead,
  type ChainSegment,
  type StoredAuditEvent,
} from '../../src/domain/audit/chain.js';
import { splitAuditRange, type AuditKey } from '../../src/persistence/audit-verify-query.js';
import { migrateToLatest, openDatabase, type Db } from '../../src/persistence/db.js';
import { verifyChains } from '../../src/persistence/repositories/audit.js';

/**
 * `verifyChains` on an SQLite file with more than 100,000 events cuts the (chain, seq) order
 * into segments verified by worker threads; merged, they must give exactly what one thread
 * gives — ok, checked, every break in order, every chain's last good event — whatever was
 * tampered with, wherever the segment boundaries fall.
 *
 * 120,000 events in four chains; with 3 threads the boundaries are at offsets 40,000 (where
 * chain B starts) and 80,000 (chain C's seq 20,001). Each case tampers (independent chains can
 * be tampered with at once: a chain stops at its first break), compares, and restores.
 */

const THREADS = 3;
const CHAINS = [
  { name: 'agr_a', count: 40_000 }, // offsets       0 ..  39,999
  { name: 'agr_b', count: 20_000 }, // offsets  40,000 ..  59,999: starts exactly at a boundary
  { name: 'agr_c', count: 50_000 }, // offsets  60,000 .. 109,999: the second boundary is its seq 20,001
  { name: 'instance', count: 10_000 }, // offsets 110,000 .. 119,999
] as const;
const TOTAL = CHAINS.reduce((n, c) => n + c.count, 0);
const [A, B, C, I] = CHAINS.map((c) => c.name) as [string, string, string, string];
const id = (chain: string, seq: number) => `aud_${chain}_${seq}`;

interface Row {
  id: string;
  chain: string;
  seq: number;
  occurred_at: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  action: string;
  record_type: string;
  record_id: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

let db: Db;
let file: string;
const sql = () => db.sqlite!;

beforeAll(async () => {
  file = path.join(os.tmpdir(), `bp-test-verify-${randomBytes(6).toString('hex')}.db`);
  db = openDatabase({ dialect: 'sqlite', file });
  await migrateToLatest(db);
  const insert = sql().prepare(
    'insert into audit_events (id, chain, seq, occurred_at, actor_user_id, actor_org_id, action, record_type, record_id, payload, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertHead = sql().prepare('insert into audit_heads (chain, seq, hash) values (?, ?, ?)');
  sql().transaction(() => {
    for (const c of CHAINS) {
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= c.count; seq++) {
        const e: AuditEventFields = {
          id: id(c.name, seq),
          chain: c.name,
          seq,
          occurredAt: `2026-11-28T01:00:${String(seq % 60).padStart(2, '0')}.000Z`,
          actorUserId: seq % 7 === 0 ? null : 'usr_test',
          actorOrgId: seq % 7 === 0 ? null : 'org_test',
          action: 'test.appended',
          recordType: 'test',
          recordId: `rec_${seq}`,
          payload: `{"i":${seq},"note":"監査ログ"}`,
        };
        const hash = chainHash(prev, auditBody(e));
        const { occurredAt, actorUserId, actorOrgId, action, recordType, recordId, payload } = e;
        insert.run(
          e.id,
          c.name,
          seq,
          occurredAt,
          actorUserId,
          actorOrgId,
          action,
          recordType,
          recordId,
          payload,
          prev,
          hash,
        );
        prev = hash;
      }
      insertHead.run(c.name, c.count, prev);
    }
  })();
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
});

/** Everything a verifier concluded. */
function summary(v: ChainVerifier) {
  return { ok: v.ok, checked: v.checked, breaks: v.breaks, lastSeen: [...v.lastSeen] };
}

const rowAt = (chain: string, seq: number): Row =>
  sql().prepare('select * from audit_events where chain = ? and seq = ?').get(chain, seq) as Row;
const offsetOf = (chain: string, seq: number): number => {
  let offset = 0;
  for (const c of CHAINS) {
    if (c.name === chain) return offset + seq - 1;
    offset += c.count;
  }
  throw new Error(chain);
};
const setPayload = (chain: string, seq: number, payload: string) =>
  sql().prepare('update audit_events set payload = ? where chain = ? and seq = ?').run(payload, chain, seq);
const setPrevHash = (chain: string, seq: number, prevHash: string) =>
  sql()
    .prepare('update audit_events set prev_hash = ? where chain = ? and seq = ?')
    .run(prevHash, chain, seq);
const deleteRow = (chain: string, seq: number) =>
  sql().prepare('delete from audit_events where chain = ? and seq = ?').run(chain, seq);
const insertRow = (r: Row) =>
  sql()
    .prepare(
      'insert into audit_events (id, chain, seq, occurred_at, actor_user_id, actor_org_id, action, record_type, record_id, payload, prev_hash, hash) values (@id, @chain, @seq, @occurred_at, @actor_user_id, @actor_org_id, @action, @record_type, @record_id, @payload, @prev_hash, @hash)',
    )
    .run(r);
/** Exchanges the places of two events of one chain (their seqs). */
const swapSeqs = (chain: string, s1: number, s2: number) =>
  sql().transaction(() => {
    const q = sql().prepare('update audit_events set seq = ? where chain = ? and seq = ?');
    q.run(-1, chain, s1);
    q.run(s1, chain, s2);
    q.run(s2, chain, -1);
  })();

/**
 * Verifies on one thread and in parallel (and through `verifyAudit`, with the default thread
 * count) and expects the same; returns the one-thread result and the segment starts used.
 */
async function compare(options: { chain?: string; parallelAbove?: number; viaApp?: boolean } = {}) {
  const single = await verifyChains(db, { ...options, threads: 1 });
  let starts: AuditKey[] | null = null;
  let progress = 0;
  const parallel = await verifyChains(db, {
    threads: THREADS,
    ...options,
    onSegments: (s) => (starts = s),
    onProgress: (n) => (progress = Math.max(progress, n)),
  });
  expect(starts, 'verified in parallel').not.toBeNull();
  expect(summary(parallel)).toEqual(summary(single));
  // Progress adds up the workers' counts: at the end, every row read.
  const rows = options.chain
    ? sql().prepare('select count(*) as n from audit_events where chain = ?').get(options.chain)
    : sql().prepare('select count(*) as n from audit_events').get();
  expect(progress).toBe((rows as { n: number }).n);
  if (options.viaApp) {
    // What the CLI and the API call, with the default thread count.
    const first = single.breaks[0] ?? null;
    expect(await verifyAudit(db, options)).toMatchObject({
      ok: single.ok,
      checked: single.checked,
      breaks: single.breaks,
      firstBreak: first,
      firstBrokenEventId: first?.eventId ?? null,
    });
  }
  return { single, starts: starts as unknown as AuditKey[] };
}

/** Runs `tamper`, compares, and undoes it with `restore` whatever happened. */
async function tampered(tamper: () => void, restore: () => void, options?: Parameters<typeof compare>[0]) {
  tamper();
  try {
    return await compare(options);
  } finally {
    restore();
  }
}

describe('verifyChains in parallel on SQLite', () => {
  it('intact data: same result with 2 (default here), 3 and 4 threads; a chain starts exactly at a boundary', async () => {
    const { single, starts } = await compare({ viaApp: true });
    expect(single.ok).toBe(true);
    expect(single.checked).toBe(TOTAL);
    expect(starts).toEqual([
      { chain: B, seq: 1 },
      { chain: C, seq: 20_001 },
    ]);
    expect(splitAuditRange(sql(), TOTAL, THREADS)).toEqual(starts);
    expect(summary(await verifyChains(db, { threads: 4 }))).toEqual(summary(single));
  }, 120_000); // worker threads start slowly on a loaded 2-core machine

  it('altered events in the first, a middle and the last segment; a broken link where a new chain starts at a boundary', async () => {
    const payloads: Array<[string, number]> = [
      [A, 1_000], // first segment
      [C, 10], // middle segment; chain C goes on into the last segment, broken:
      [C, 20_001], // the first event of the last segment — not reported (C is already broken)
      [C, 40_000], // not reported either
      [I, 10_000], // the very last event
    ];
    const before = payloads.map(([chain, seq]) => rowAt(chain, seq).payload);
    const b1 = rowAt(B, 1);
    const { single } = await tampered(
      () => {
        payloads.forEach(([chain, seq]) => setPayload(chain, seq, '{"i":0}'));
        setPrevHash(B, 1, 'f'.repeat(64));
      },
      () => {
        payloads.forEach(([chain, seq], i) => setPayload(chain, seq, before[i]!));
        setPrevHash(B, 1, b1.prev_hash);
      },
      { viaApp: true },
    );
    expect(single.breaks).toEqual([
      { chain: A, eventId: id(A, 1_000), seq: 1_000, reason: 'hash_mismatch' },
      { chain: B, eventId: id(B, 1), seq: 1, reason: 'prev_hash_mismatch' },
      { chain: C, eventId: id(C, 10), seq: 10, reason: 'hash_mismatch' },
      { chain: I, eventId: id(I, 10_000), seq: 10_000, reason: 'hash_mismatch' },
    ]);
    // Each chain counts up to its break: A 1,000 + B 1 + C 10 + I 10,000.
    expect(single.checked).toBe(11_011);
  }, 120_000); // worker threads start slowly on a loaded 2-core machine

  it('a row deleted exactly at a segment boundary (mid-chain); the last row deleted', async () => {
    // With two rows fewer the boundaries are at offsets 39,999 and 79,998 of what remains: the
    // row at old offset 79,998 (C 19,999) is the one before the last segment's first row.
    expect(offsetOf(C, 19_999)).toBe(79_998);
    const gone = [rowAt(C, 19_999), rowAt(I, 10_000)];
    const { single, starts } = await tampered(
      () => gone.forEach((r) => deleteRow(r.chain, r.seq)),
      () => gone.forEach(insertRow),
    );
    expect(starts).toEqual([
      { chain: A, seq: 40_000 },
      { chain: C, seq: 20_000 },
    ]);
    expect(single.breaks).toEqual([
      { chain: C, eventId: id(C, 20_000), seq: 20_000, reason: 'sequence_gap' },
      { chain: I, eventId: null, seq: 10_000, reason: 'head_mismatch' },
    ]);
  }, 120_000); // worker threads start slowly on a loaded 2-core machine

  it('the rows on both sides of a boundary deleted: a new chain starts the segment at seq 2', async () => {
    const gone = [rowAt(A, 40_000), rowAt(B, 1)];
    const { single, starts } = await tampered(
      () => gone.forEach((r) => deleteRow(r.chain, r.seq)),
      () => gone.forEach(insertRow),
    );
    expect(starts).toEqual([
      { chain: B, seq: 2 },
      { chain: C, seq: 20_001 },
    ]);
    expect(single.breaks).toEqual([
      { chain: B, eventId: id(B, 2), seq: 2, reason: 'sequence_gap' },
      { chain: A, eventId: null, seq: 40_000, reason: 'head_mismatch' },
    ]);
  }, 120_000); // worker threads start slowly on a loaded 2-core machine

  it('pairs swapped across both boundaries (mid-chain and between chains); a head row missing', async () => {
    const a = rowAt(A, 40_000).payload;
    const b = rowAt(B, 1).payload;
    const head = sql().prepare('select * from audit_heads where chain = ?').get(I) as Record<string, unknown>;
    const swapAll = () => {
      swapSeqs(C, 20_000, 20_001); // C 20,000 ends the middle segment, C 20,001 starts the last
      setPayload(A, 40_000, b); // A's last and B's first event exchange their contents
      setPayload(B, 1, a);
    };
    const { single, starts } = await tampered(
      () => {
        swapAll();
        sql().prepare('delete from audit_heads where chain = ?').run(I);
      },
      () => {
        swapSeqs(C, 20_000, 20_001);
        setPayload(A, 40_000, a);
        setPayload(B, 1, b);
        sql().prepare('insert into audit_heads (chain, seq, hash) values (@chain, @seq, @hash)').run(head);
      },
    );
    expect(starts).toEqual([
      { chain: B, seq: 1 },
      { chain: C, seq: 20_001 },
    ]);
    expect(single.breaks).toEqual([
      { chain: A, eventId: id(A, 40_000), seq: 40_000, reason: 'hash_mismatch' },
      { chain: B, eventId: id(B, 1), seq: 1, reason: 'hash_mismatch' },
      { chain: C, eventId: id(C, 20_001), seq: 20_000, reason: 'prev_hash_mismatch' },
      { chain: I, eventId: null, seq: 10_000, reason: 'head_mismatch' },
    ]);
  }, 120_000); // worker threads start slowly on a loaded 2-core machine

  it('one chain, split into segments of its own', async () => {
    const original = rowAt(C, 33_334).payload;
    const { single, starts } = await tampered(
      () => setPayload(C, 33_334, '{"i":0}'),
      () => setPayload(C, 33_334, original),
      { chain: C, parallelAbove: 30_000 },
    );
    expect(starts).toEqual([
      { chain: C, seq: 16_667 },
      { chain: C, seq: 33_334 },
    ]);
    expect(single.breaks).toEqual([
      { chain: C, eventId: id(C, 33_334), seq: 33_334, reason: 'hash_mismatch' },
    ]);
    expect(single.checked).toBe(33_334);
  }, 120_000); // worker threads start slowly on a loaded 2-core machine
});

/** A small seeded PRNG (mulberry32): the same cases on every run. */
function prng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('ChainVerifier.mergeSegment', () => {
  it('segments merged in order give what push gives, for random tampering and random cuts', () => {
    const rand = prng(20261128);
    const heads = (v: ChainVerifier, hs: ChainHead[]) => {
      for (const h of hs) v.checkHead(h);
      v.checkMissingHeads(new Set(hs.map((h) => h.chain)));
      return summary(v);
    };
    for (let round = 0; round < 400; round++) {
      // Up to four chains of 0-6 events, written correctly, with their heads.
      let events: StoredAuditEvent[] = [];
      const hs: ChainHead[] = [];
      for (const chain of ['a', 'b', 'c', 'd']) {
        let prev = GENESIS_HASH;
        const n = rand(7);
        for (let seq = 1; seq <= n; seq++) {
          const f: AuditEventFields = {
            id: `${chain}${seq}`,
            chain,
            seq,
            occurredAt: '2026-11-28T01:00:00.000Z',
            actorUserId: null,
            actorOrgId: null,
            action: 'x',
            recordType: 'x',
            recordId: 'x',
            payload: `{"n":${seq}}`,
          };
          const hash = chainHash(prev, auditBody(f));
          events.push({ ...f, prevHash: prev, hash });
          prev = hash;
        }
        if (n > 0 && rand(8) > 0) hs.push({ chain, seq: n, hash: prev });
      }
      // 0-3 tamperings: altered payload, prev_hash or hash; a deleted row; two seqs exchanged.
      for (let k = rand(4); k > 0 && events.length > 0; k--) {
        const i = rand(events.length);
        const e = events[i]!;
        const what = rand(5);
        if (what === 0) events[i] = { ...e, payload: '{"n":0}' };
        else if (what === 1) events[i] = { ...e, prevHash: 'f'.repeat(64) };
        else if (what === 2) events[i] = { ...e, hash: 'e'.repeat(64) };
        else if (what === 3) events.splice(i, 1);
        else {
          const j = events.findIndex((o) => o.chain === e.chain && o.seq === e.seq + 1);
          if (j >= 0) {
            events[j] = { ...events[j]!, seq: e.seq };
            events[i] = { ...e, seq: e.seq + 1 };
          }
        }
      }
      events = events.sort((x, y) => (x.chain === y.chain ? x.seq - y.seq : x.chain < y.chain ? -1 : 1));

      const one = new ChainVerifier();
      for (const e of events) one.push(e);
      const expected = heads(one, hs);

      // 1-4 cuts anywhere (empty segments included), each segment passed as a worker would pass it.
      const cuts = Array.from({ length: 1 + rand(4) }, () => rand(events.length + 1)).sort((x, y) => x - y);
      const bounds = [0, ...cuts, events.length];
      const merged = new ChainVerifier();
      for (let s = 0; s + 1 < bounds.length; s++) {
        const part = ChainVerifier.forSegment();
        for (const e of events.slice(bounds[s], bounds[s + 1])) part.push(e);
        merged.mergeSegment(structuredClone(part.toSegment()) as ChainSegment);
      }
      expect(heads(merged, hs), `round ${round}, cuts ${cuts.join(',')}`).toEqual(expected);
    }
  });
});
