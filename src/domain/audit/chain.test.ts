import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../shared/json.js';
import {
  auditBody,
  chainHash,
  ChainVerifier,
  GENESIS_HASH,
  type AuditEventFields,
  type ChainHead,
  type StoredAuditEvent,
} from './chain.js';

/** Builds a valid chain of `n` events the way the repository does (seq 1..n, linked hashes). */
function buildChain(chain: string, n: number): StoredAuditEvent[] {
  const out: StoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields: AuditEventFields = {
      id: `aud_${chain}_${i}`,
      chain,
      seq: i,
      occurredAt: `2026-11-28T01:00:0${i % 10}.000Z`,
      actorUserId: i % 2 === 0 ? 'usr_a' : null,
      actorOrgId: i % 2 === 0 ? 'org_a' : null,
      action: `thing.done.${i}`,
      recordType: 'thing',
      recordId: `thg_${i}`,
      payload: canonicalJson({ n: i, note: '監査' }),
    };
    out.push(seal(fields, prev));
    prev = out[out.length - 1]!.hash;
  }
  return out;
}

function seal(fields: AuditEventFields, prevHash: string): StoredAuditEvent {
  return { ...fields, prevHash, hash: chainHash(prevHash, auditBody(fields)) };
}

function headOf(events: StoredAuditEvent[]): ChainHead {
  const last = events[events.length - 1]!;
  return { chain: last.chain, seq: last.seq, hash: last.hash };
}

function verify(events: StoredAuditEvent[], heads: ChainHead[]): ChainVerifier {
  const v = new ChainVerifier();
  for (const e of events) v.push(e);
  for (const h of heads) v.checkHead(h);
  v.checkMissingHeads(new Set(heads.map((h) => h.chain)));
  return v;
}

describe('audit chain: hashing format', () => {
  it('the canonical body is canonicalJson of the stored fields (sorted keys, payload embedded as JSON)', () => {
    const fields: AuditEventFields = {
      id: 'aud_1',
      chain: 'agr_1',
      seq: 7,
      occurredAt: '2026-11-28T01:00:00.000Z',
      actorUserId: 'usr_"quoted"',
      actorOrgId: null,
      action: 'notice.sent',
      recordType: 'notice',
      recordId: 'ntc_1',
      payload: canonicalJson({ z: 1, a: { y: '日本語', b: [1, 'x'] } }),
    };
    const { payload, ...rest } = fields;
    expect(auditBody(fields)).toBe(canonicalJson({ ...rest, payload: JSON.parse(payload) as unknown }));
  });

  it('hash = SHA-256(prevHash || body) in hex, and the genesis hash is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    const body = '{"a":1}';
    const expected = createHash('sha256')
      .update(GENESIS_HASH + body)
      .digest('hex');
    expect(chainHash(GENESIS_HASH, body)).toBe(expected);
    expect(chainHash(GENESIS_HASH, body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('every field is covered by the hash', () => {
    const [e] = buildChain('c', 1);
    const base = auditBody(e!);
    const variants: Array<Partial<AuditEventFields>> = [
      { id: 'aud_other' },
      { chain: 'other' },
      { seq: 2 },
      { occurredAt: '2026-11-28T01:00:02.000Z' },
      { actorUserId: 'usr_x' },
      { actorOrgId: 'org_x' },
      { action: 'other' },
      { recordType: 'other' },
      { recordId: 'other' },
      { payload: '{"n":2}' },
    ];
    for (const v of variants) expect(auditBody({ ...e!, ...v })).not.toBe(base);
  });
});

describe('audit chain: ChainVerifier', () => {
  it('accepts an intact chain and counts every event', () => {
    const events = buildChain('agr_x', 5);
    const v = verify(events, [headOf(events)]);
    expect(v.ok).toBe(true);
    expect(v.breaks).toEqual([]);
    expect(v.checked).toBe(5);
  });

  it('accepts a chain whose head is at genesis and that has no events', () => {
    const v = verify([], [{ chain: 'empty', seq: 0, hash: GENESIS_HASH }]);
    expect(v.ok).toBe(true);
  });

  const alterations: Array<[string, (e: StoredAuditEvent) => StoredAuditEvent]> = [
    ['action', (e) => ({ ...e, action: 'something.else' })],
    ['payload', (e) => ({ ...e, payload: canonicalJson({ n: 999, note: '改ざん' }) })],
    ['actorUserId', (e) => ({ ...e, actorUserId: 'usr_mallory' })],
    ['actorUserId (set to null)', (e) => ({ ...e, actorUserId: null })],
    ['occurredAt', (e) => ({ ...e, occurredAt: '2020-01-01T00:00:00.000Z' })],
  ];
  for (const [field, alter] of alterations) {
    it(`detects an altered ${field} (hash_mismatch at that event)`, () => {
      const events = buildChain('agr_x', 4);
      // seq 2 has an actor (usr_a), so setting it to null is a change too.
      events[1] = alter(events[1]!);
      const v = verify(events, [headOf(events)]);
      expect(v.ok).toBe(false);
      expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: 'aud_agr_x_2', seq: 2, reason: 'hash_mismatch' }]);
    });
  }

  it('detects a removed middle event (sequence_gap at the event after it)', () => {
    const events = buildChain('agr_x', 5);
    const head = headOf(events);
    events.splice(2, 1); // remove seq 3
    const v = verify(events, [head]);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: 'aud_agr_x_4', seq: 4, reason: 'sequence_gap' }]);
  });

  it('detects a removed first event', () => {
    const events = buildChain('agr_x', 3);
    const head = headOf(events);
    events.shift();
    const v = verify(events, [head]);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: 'aud_agr_x_2', seq: 2, reason: 'sequence_gap' }]);
  });

  it('detects a removed tail through the head row (head_mismatch)', () => {
    const events = buildChain('agr_x', 5);
    const head = headOf(events);
    events.pop();
    const v = verify(events, [head]);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: null, seq: 5, reason: 'head_mismatch' }]);
  });

  it('detects the removal of every event of a chain (head_mismatch)', () => {
    const events = buildChain('agr_x', 2);
    const v = verify([], [headOf(events)]);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: null, seq: 1, reason: 'head_mismatch' }]);
  });

  it('detects events appended around the application (head behind the events)', () => {
    const events = buildChain('agr_x', 4);
    const staleHead = headOf(events.slice(0, 3));
    const v = verify(events, [staleHead]);
    expect(v.breaks.map((b) => b.reason)).toEqual(['head_mismatch']);
  });

  it('detects a chain with events but no head row', () => {
    const events = buildChain('agr_x', 2);
    const v = verify(events, []);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: null, seq: 2, reason: 'head_mismatch' }]);
  });

  it('detects events fed out of order', () => {
    const events = buildChain('agr_x', 4);
    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!];
    const v = verify(swapped, [headOf(events)]);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: 'aud_agr_x_3', seq: 3, reason: 'sequence_gap' }]);
  });

  it('detects two events whose sequence numbers were swapped (prev_hash_mismatch)', () => {
    const events = buildChain('agr_x', 4);
    // Swap the order by renumbering seq 2 and 3, as an UPDATE of the seq column would.
    const reordered = [events[0]!, { ...events[2]!, seq: 2 }, { ...events[1]!, seq: 3 }, events[3]!];
    const v = verify(reordered, [headOf(events)]);
    expect(v.breaks).toEqual([
      { chain: 'agr_x', eventId: 'aud_agr_x_3', seq: 2, reason: 'prev_hash_mismatch' },
    ]);
  });

  it('a forged re-hash of one event is caught at the next event (prev_hash_mismatch)', () => {
    const events = buildChain('agr_x', 5);
    const forged: AuditEventFields = { ...events[1]!, payload: canonicalJson({ forged: true }) };
    events[1] = seal(forged, events[0]!.hash);
    const v = verify(events, [headOf(buildChain('agr_x', 5))]);
    expect(v.breaks).toEqual([
      { chain: 'agr_x', eventId: 'aud_agr_x_3', seq: 3, reason: 'prev_hash_mismatch' },
    ]);
  });

  it('re-hashing the whole rest of the chain is still caught by the head row', () => {
    const original = buildChain('agr_x', 4);
    const rewritten: StoredAuditEvent[] = [];
    let prev = GENESIS_HASH;
    for (const e of original) {
      const fields: AuditEventFields = e.seq === 2 ? { ...e, action: 'rewritten' } : { ...e };
      const sealed = seal(fields, prev);
      rewritten.push(sealed);
      prev = sealed.hash;
    }
    const v = verify(rewritten, [headOf(original)]);
    expect(v.breaks).toEqual([{ chain: 'agr_x', eventId: null, seq: 5, reason: 'head_mismatch' }]);
  });

  it('a stored prevHash that does not match the previous event is reported', () => {
    const events = buildChain('agr_x', 3);
    events[1] = { ...events[1]!, prevHash: 'f'.repeat(64) };
    const v = verify(events, [headOf(events)]);
    expect(v.breaks).toEqual([
      { chain: 'agr_x', eventId: 'aud_agr_x_2', seq: 2, reason: 'prev_hash_mismatch' },
    ]);
  });

  it('reports only the first break of a chain', () => {
    const events = buildChain('agr_x', 6);
    events[1] = { ...events[1]!, action: 'x' };
    events[4] = { ...events[4]!, action: 'y' };
    events.splice(3, 1);
    const v = verify(events, [headOf(buildChain('agr_x', 6))]);
    expect(v.breaks).toHaveLength(1);
    expect(v.breaks[0]).toMatchObject({ eventId: 'aud_agr_x_2', reason: 'hash_mismatch' });
  });

  it('chains are independent: a break in one does not hide or cause a break in another', () => {
    const a = buildChain('agr_a', 3);
    const b = buildChain('agr_b', 4);
    const c = buildChain('agr_c', 2);
    const heads = [headOf(a), headOf(b), headOf(c)];
    a[0] = { ...a[0]!, payload: '{"n":0}' };
    b.splice(2, 1); // seq 3 removed
    const v = verify([...a, ...b, ...c], heads);
    expect(v.breaks).toEqual([
      { chain: 'agr_a', eventId: 'aud_agr_a_1', seq: 1, reason: 'hash_mismatch' },
      { chain: 'agr_b', eventId: 'aud_agr_b_4', seq: 4, reason: 'sequence_gap' },
    ]);
    // Chain c is intact and was fully checked (all 2 events), after the broken ones.
    expect(v.lastSeen.get('agr_c')).toEqual({ seq: 2, hash: c[1]!.hash });
  });

  it('an intact chain followed by a broken one: the report names the broken one only', () => {
    const a = buildChain('agr_a', 3);
    const b = buildChain('agr_b', 3);
    const heads = [headOf(a), headOf(b)];
    b.pop();
    const v = verify([...a, ...b], heads);
    expect(v.breaks).toEqual([{ chain: 'agr_b', eventId: null, seq: 3, reason: 'head_mismatch' }]);
  });

  it('the same event ids on two chains do not interfere (each chain restarts at genesis)', () => {
    const a = buildChain('agr_a', 2);
    const b = buildChain('agr_b', 2);
    const v = verify([...a, ...b], [headOf(a), headOf(b)]);
    expect(v.ok).toBe(true);
    expect(v.checked).toBe(4);
  });

  it('an event copied from another chain does not verify', () => {
    const a = buildChain('agr_a', 2);
    const b = buildChain('agr_b', 2);
    const moved = { ...a[1]!, chain: 'agr_b' };
    const v = verify([...a, b[0]!, moved], [headOf(a), headOf(b)]);
    expect(v.breaks.map((x) => [x.chain, x.reason])).toEqual([['agr_b', 'prev_hash_mismatch']]);
  });
});
