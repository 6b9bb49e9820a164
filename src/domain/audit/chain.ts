import { createHash } from 'node:crypto';

/**
 * The tamper-evident audit chain: one SHA-256 chain per agreement (and one `instance` chain for
 * events that belong to no agreement). hash = SHA-256(prevHash || canonicalBody), where the body
 * is the canonical JSON (sorted keys, no whitespace) of every stored field but the hashes.
 */
export const GENESIS_HASH = '0'.repeat(64);
export const INSTANCE_CHAIN = 'instance';

export interface AuditEventFields {
  id: string;
  chain: string;
  seq: number;
  occurredAt: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  /** Canonical JSON text of the payload, as stored. */
  payload: string;
}

const j = JSON.stringify;

/** Canonical JSON of the event (keys in sorted order; payload is already canonical text). */
export function auditBody(e: AuditEventFields): string {
  return (
    `{"action":${j(e.action)},"actorOrgId":${j(e.actorOrgId)},"actorUserId":${j(e.actorUserId)},` +
    `"chain":${j(e.chain)},"id":${j(e.id)},"occurredAt":${j(e.occurredAt)},"payload":${e.payload},` +
    `"recordId":${j(e.recordId)},"recordType":${j(e.recordType)},"seq":${e.seq}}`
  );
}

export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

export interface StoredAuditEvent extends AuditEventFields {
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
}

export interface ChainBreak {
  chain: string;
  eventId: string | null;
  seq: number;
  reason:
    | 'hash_mismatch'
    | 'prev_hash_mismatch'
    | 'sequence_gap'
    | 'head_mismatch'
    /** The signed head (or checkpoint) names an event the chain no longer has with that hash. */
    | 'signed_head_mismatch'
    /** The recorded head (or checkpoint) signature does not verify with the instance's public key. */
    | 'signature_invalid'
    /** An RFC 3161 time-stamped head no longer matches the chain (or its token another head). */
    | 'timestamp_mismatch';
}

/**
 * What a verifier that started in the middle of the (chain, seq) order found: everything
 * `mergeSegment` needs to fold it into a verifier of all the events before it, with the same
 * result as if one verifier had been fed every event. Plain data (crosses worker threads).
 */
export interface ChainSegment {
  /**
   * The segment's first event. Its link to its predecessor (seq, prevHash) is unknown to the
   * segment and is checked by `mergeSegment`; its own hash was checked. Null if the segment is empty.
   */
  first: { id: string; chain: string; seq: number; prevHash: string } | null;
  /** Events checked in the run of `first.chain` that opens the segment (part of `checked`). */
  firstRunChecked: number;
  checked: number;
  /** In event order; a break of `first.chain` can only come first. */
  breaks: ChainBreak[];
  /** Each chain's last good event, in the order the chains first had one. */
  lastSeen: Array<[chain: string, seq: number, hash: string]>;
  /** The chain in progress at the end and what its next event must carry. Null if empty. */
  end: { chain: string; expectedSeq: number; prevHash: string } | null;
}

/**
 * Incremental verifier over events sorted by (chain, seq). Feed it every event, then every head;
 * it stops at the first break of each chain and reports the first break overall.
 *
 * The sorted sequence can also be cut into consecutive segments verified separately (in
 * parallel): each by `ChainVerifier.forSegment()`, exported with `toSegment()`, then merged in
 * order with `mergeSegment()` into one verifier, which then checks the heads as usual.
 */
export class ChainVerifier {
  private chain: string | null = null;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private brokenChains = new Set<string>();
  /** Segment mode: the first event's link to its predecessor is left to `mergeSegment`. */
  private segmentFirst: ChainSegment['first'] = null;
  private awaitingFirst = false;
  private firstRunChecked = -1;
  readonly lastSeen = new Map<string, { seq: number; hash: string }>();
  readonly breaks: ChainBreak[] = [];
  checked = 0;

  /**
   * A verifier that continues `chain` after a verified position (a checkpoint): the next event
   * must be `seq + 1` and link to `hash`; events before it are not read.
   */
  static resumeAt(chain: string, seq: number, hash: string): ChainVerifier {
    const v = new ChainVerifier();
    v.chain = chain;
    v.expectedSeq = seq + 1;
    v.prevHash = hash;
    if (seq > 0) v.lastSeen.set(chain, { seq, hash });
    return v;
  }

  /** A verifier for a segment that may start mid-chain (see `ChainSegment`). */
  static forSegment(): ChainVerifier {
    const v = new ChainVerifier();
    v.awaitingFirst = true;
    return v;
  }

  push(e: StoredAuditEvent): void {
    if (e.chain !== this.chain) {
      if (this.awaitingFirst) {
        // The predecessor is in another segment: take the link on trust here (mergeSegment
        // checks it) so that the rest of the event and of its chain is checked as usual.
        this.awaitingFirst = false;
        this.segmentFirst = { id: e.id, chain: e.chain, seq: e.seq, prevHash: e.prevHash };
        this.expectedSeq = e.seq;
        this.prevHash = e.prevHash;
      } else {
        if (this.segmentFirst && this.firstRunChecked < 0) this.firstRunChecked = this.checked;
        this.expectedSeq = 1;
        this.prevHash = GENESIS_HASH;
      }
      this.chain = e.chain;
    }
    if (this.brokenChains.has(e.chain)) return;
    this.checked++;
    let reason: ChainBreak['reason'] | null = null;
    if (e.seq !== this.expectedSeq) reason = 'sequence_gap';
    else if (e.prevHash !== this.prevHash) reason = 'prev_hash_mismatch';
    else if (chainHash(e.prevHash, auditBody(e)) !== e.hash) reason = 'hash_mismatch';
    if (reason) {
      this.brokenChains.add(e.chain);
      this.breaks.push({ chain: e.chain, eventId: e.id, seq: e.seq, reason });
      return;
    }
    this.expectedSeq = e.seq + 1;
    this.prevHash = e.hash;
    this.lastSeen.set(e.chain, { seq: e.seq, hash: e.hash });
  }

  /** The result of a `forSegment()` verifier, after its last event. */
  toSegment(): ChainSegment {
    const first = this.segmentFirst;
    return {
      first,
      firstRunChecked: first ? (this.firstRunChecked < 0 ? this.checked : this.firstRunChecked) : 0,
      checked: this.checked,
      breaks: this.breaks.slice(),
      lastSeen: [...this.lastSeen].map(([chain, l]) => [chain, l.seq, l.hash]),
      end:
        this.chain === null
          ? null
          : { chain: this.chain, expectedSeq: this.expectedSeq, prevHash: this.prevHash },
    };
  }

  /**
   * Continues this verifier with the segment that directly follows the events it has seen, as if
   * they had been pushed: the segment's first event is checked against this verifier's state
   * (its chain's last event, or the genesis of a new chain) with `push`'s reasons; a chain broken
   * before the segment stays broken and its events in the segment are neither checked nor reported.
   */
  mergeSegment(s: ChainSegment): void {
    const f = s.first;
    if (!f) return;
    const continues = f.chain === this.chain;
    let dropFirstRun = false;
    if (continues && this.brokenChains.has(f.chain)) {
      dropFirstRun = true;
    } else {
      const expectedSeq = continues ? this.expectedSeq : 1;
      const prevHash = continues ? this.prevHash : GENESIS_HASH;
      const reason: ChainBreak['reason'] | null =
        f.seq !== expectedSeq ? 'sequence_gap' : f.prevHash !== prevHash ? 'prev_hash_mismatch' : null;
      if (reason) {
        // `push` stops the chain here, before its hash check: what the segment found after
        // this event in this chain never happened.
        this.checked++;
        this.brokenChains.add(f.chain);
        this.breaks.push({ chain: f.chain, eventId: f.id, seq: f.seq, reason });
        dropFirstRun = true;
      }
    }
    this.checked += s.checked - (dropFirstRun ? s.firstRunChecked : 0);
    for (const b of s.breaks) {
      if (dropFirstRun && b.chain === f.chain) continue;
      this.brokenChains.add(b.chain);
      this.breaks.push(b);
    }
    for (const [chain, seq, hash] of s.lastSeen) {
      if (dropFirstRun && chain === f.chain) continue;
      this.lastSeen.set(chain, { seq, hash });
    }
    if (s.end) {
      this.chain = s.end.chain;
      this.expectedSeq = s.end.expectedSeq;
      this.prevHash = s.end.prevHash;
    }
  }

  /** The head row records the last event written: a removed tail shows up here. */
  checkHead(head: ChainHead): void {
    if (this.brokenChains.has(head.chain)) return;
    const last = this.lastSeen.get(head.chain) ?? { seq: 0, hash: GENESIS_HASH };
    if (last.seq !== head.seq || last.hash !== head.hash) {
      this.brokenChains.add(head.chain);
      this.breaks.push({ chain: head.chain, eventId: null, seq: last.seq + 1, reason: 'head_mismatch' });
    }
  }

  /** Chains that have events but no head row were written around the application. */
  checkMissingHeads(heads: ReadonlySet<string>): void {
    for (const [chain, last] of this.lastSeen) {
      if (!heads.has(chain) && !this.brokenChains.has(chain)) {
        this.brokenChains.add(chain);
        this.breaks.push({ chain, eventId: null, seq: last.seq, reason: 'head_mismatch' });
      }
    }
  }

  get ok(): boolean {
    return this.breaks.length === 0;
  }
}

export const CHAIN_BREAK_MESSAGES: Record<ChainBreak['reason'], { ja: string; en: string }> = {
  hash_mismatch: {
    ja: '記録内容が改ざんされています（ハッシュ不一致）',
    en: 'the event was altered (hash mismatch)',
  },
  prev_hash_mismatch: {
    ja: '直前の記録とのつながりが壊れています',
    en: 'the link to the previous event is broken',
  },
  sequence_gap: { ja: '記録が削除されています（連番の欠落）', en: 'an event was removed (sequence gap)' },
  head_mismatch: {
    ja: '末尾の記録が削除または追加されています',
    en: 'events at the end of the chain were removed or added',
  },
  signed_head_mismatch: {
    ja: '署名済みの末尾と記録が一致しません（書き換えられています）',
    en: 'the chain no longer matches its signed head (it was rewritten)',
  },
  signature_invalid: {
    ja: '末尾の署名が検証できません（署名鍵以外で書き換えられています）',
    en: 'the signature of the recorded head does not verify (rewritten without the signing key)',
  },
  timestamp_mismatch: {
    ja: 'タイムスタンプを取得した末尾と記録が一致しません（書き換えられています）',
    en: 'the chain no longer matches a time-stamped head (it was rewritten)',
  },
};
