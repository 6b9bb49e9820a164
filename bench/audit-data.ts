import type Database from 'better-sqlite3';
import { auditBody, chainHash, GENESIS_HASH, type AuditEventFields } from '../src/domain/audit/chain.js';
import { canonicalJson } from '../src/domain/shared/json.js';
import { prng } from './support.js';

/**
 * Writes one agreement's audit chain of `count` events straight into SQLite, hashed exactly as
 * `appendAuditEvent` does (`auditBody` + `chainHash`), in one transaction, with its head row.
 * Payloads imitate what the use cases record (before/after snapshots, notices, costs) and are
 * 150-250 bytes of canonical JSON each. The data is the same on every run (seeded PRNG).
 */

export interface GeneratedChain {
  chain: string;
  count: number;
  headHash: string;
  /** Every event's `auditBody`, in chain order: the bytes that were hashed (the baseline's input). */
  bodies: string[];
  payloadBytes: { min: number; max: number; mean: number };
  bodyBytesMean: number;
}

const rand = prng(20261128);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** The chain starts on the agreement's signing day; one event a second from then on. */
const EPOCH = Date.UTC(2026, 3, 1);

/** An id in the application's format (`newId`: prefix, 10 chars of time, 16 random), from the seeded PRNG. */
function benchId(prefix: string, ms: number): string {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[Math.floor(rand() * 32)];
  return `${prefix}_${time}${random}`;
}

const day = (i: number): string => new Date(EPOCH + (i % 3000) * 86_400_000).toISOString().slice(0, 10);

const NOTES = [
  '委託先サーバーへの不正アクセスを確認',
  '個人情報保護委員会へ速報を提出済み',
  '影響範囲の調査を継続中',
  'Customer records were exposed via a misconfigured bucket',
  'Forensic vendor engaged; logs preserved',
];

/** One realistic payload for event `i`; the action it belongs to is returned with it. */
function payloadFor(
  i: number,
  agreementId: string,
  users: readonly string[],
): { action: string; recordType: string; recordId: string; payload: unknown } {
  const at = EPOCH + i * 1_000;
  const incidentId = benchId('inc', at - 86_400_000);
  const recordId = benchId(pick(['ntc', 'tsk', 'cst']), at);
  switch (i % 5) {
    case 0:
      return {
        action: 'agreement.updated',
        recordType: 'agreement',
        recordId: agreementId,
        payload: {
          before: { dateStyle: 'western', parameters: { noticeTargetHours: 24, termMonths: 12 }, version: i },
          after: {
            dateStyle: pick(['western', 'japanese']),
            parameters: { noticeTargetHours: int(4, 72), termMonths: 12 },
            version: i + 1,
          },
        },
      };
    case 1:
      return {
        action: 'incident.reported',
        recordType: 'incident',
        recordId: incidentId,
        payload: {
          discoveredAt: `${day(i)}T0${int(0, 9)}:15:00.000Z`,
          note: pick(NOTES),
          party: pick(['A', 'B']),
          records: int(1, 250_000),
          reference: `INC-2026-${String(i % 1_000_000).padStart(6, '0')}`,
          severity: pick(['high', 'medium', 'low']),
        },
      };
    case 2:
      return {
        action: 'notice.acknowledged',
        recordType: 'notice',
        recordId,
        payload: {
          acknowledgedBy: pick(users),
          incidentId,
          noticeId: recordId,
          on: day(i),
          via: pick(['email', 'web']),
        },
      };
    case 3:
      return {
        action: 'cost.recorded',
        recordType: 'cost',
        recordId,
        payload: {
          amountYen: int(10_000, 50_000_000),
          category: pick(['forensics', 'call_center', 'notification_mail', 'legal']),
          currency: 'JPY',
          incidentId,
          incurredBy: pick(['A', 'B']),
          incurredOn: day(i),
          note: pick(NOTES).slice(0, 12),
        },
      };
    default:
      return {
        action: 'termination_notice.recorded',
        recordType: 'termination_notice',
        recordId,
        payload: {
          after: {
            agreementId,
            byParty: pick(['A', 'B']),
            effectiveEnd: day(i + 365),
            onTime: rand() < 0.5,
            receivedOn: day(i),
          },
          deadline: day(i + 330),
          termEnd: day(i + 365),
        },
      };
  }
}

export function generateAuditChain(
  sqlite: Database.Database,
  count: number,
  onProgress: (done: number) => void,
): GeneratedChain {
  const chain = benchId('agr', EPOCH);
  const users = [1, 2, 3, 4].map((k) => benchId('usr', EPOCH - k * 60_000));
  const orgs = [1, 2].map((k) => benchId('org', EPOCH - k * 3_600_000));
  const insert = sqlite.prepare(
    'insert into audit_events (id, chain, seq, occurred_at, actor_user_id, actor_org_id, action, record_type, record_id, payload, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let prev = GENESIS_HASH;
  let payloadMin = Infinity;
  let payloadMax = 0;
  let payloadSum = 0;
  let bodySum = 0;
  const bodies: string[] = [];
  sqlite.transaction(() => {
    for (let seq = 1; seq <= count; seq++) {
      const at = EPOCH + seq * 1_000;
      const p = payloadFor(seq, chain, users);
      const u = seq % 7 === 0 ? null : (users[seq % users.length] as string);
      const fields: AuditEventFields = {
        id: benchId('aud', at),
        chain,
        seq,
        occurredAt: new Date(at).toISOString(),
        actorUserId: u,
        actorOrgId: u ? (orgs[seq % 2] as string) : null,
        action: p.action,
        recordType: p.recordType,
        recordId: p.recordId,
        payload: canonicalJson(p.payload),
      };
      const body = auditBody(fields);
      bodies.push(body);
      const hash = chainHash(prev, body);
      insert.run(
        fields.id,
        chain,
        seq,
        fields.occurredAt,
        fields.actorUserId,
        fields.actorOrgId,
        fields.action,
        fields.recordType,
        fields.recordId,
        fields.payload,
        prev,
        hash,
      );
      prev = hash;
      const bytes = Buffer.byteLength(fields.payload);
      payloadMin = Math.min(payloadMin, bytes);
      payloadMax = Math.max(payloadMax, bytes);
      payloadSum += bytes;
      bodySum += Buffer.byteLength(body);
      if (seq % 50_000 === 0 || seq === count) onProgress(seq);
    }
    sqlite.prepare('insert into audit_heads (chain, seq, hash) values (?, ?, ?)').run(chain, count, prev);
  })();
  return {
    chain,
    count,
    headHash: prev,
    bodies,
    payloadBytes: { min: payloadMin, max: payloadMax, mean: payloadSum / count },
    bodyBytesMean: bodySum / count,
  };
}
