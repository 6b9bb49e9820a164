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
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch';
}

/**
 * Incremental verifier over events sorted by (chain, seq). Feed it every event, then every head;
 * it stops at the first break of each chain and reports the first break overall.
 */
export class ChainVerifier {
  private chain: string | null = null;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private brokenChains = new Set<string>();
  readonly lastSeen = new Map<string, { seq: number; hash: string }>();
  readonly breaks: ChainBreak[] = [];
  checked = 0;

  push(e: StoredAuditEvent): void {
    if (e.chain !== this.chain) {
      this.chain = e.chain;
      this.expectedSeq = 1;
      this.prevHash = GENESIS_HASH;
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
};
