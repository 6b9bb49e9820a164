import { randomBytes } from 'node:crypto';
import type { Tx } from '../db.js';
import type { AuditTimestampsTable } from '../schema.js';

/** An RFC 3161 time-stamp of a signed chain head (issue 7, finding 4c). */
export interface AuditTimestampRecord {
  chain: string;
  seq: number;
  hash: string;
  at: string;
  /** The TSA's genTime (ISO instant). */
  genTime: string;
  /** The TSA's URL. */
  tsa: string;
  /** The certificate that signed the token (it carries it): subject and SHA-256 fingerprint. */
  tsaCertificate: { subject: string; sha256: string };
  /** The TimeStampToken, DER in base64. */
  token: string;
  createdAt: string;
}

const toRecord = (r: AuditTimestampsTable): AuditTimestampRecord => ({
  chain: r.chain,
  seq: Number(r.seq),
  hash: r.hash,
  at: r.at,
  genTime: r.gen_time,
  tsa: r.tsa,
  tsaCertificate: { subject: r.tsa_subject, sha256: r.tsa_cert_sha256 },
  token: r.token,
  createdAt: r.created_at,
});

/** Records a time-stamp; false if (chain, seq) already has one (another instance was faster). */
export async function insertAuditTimestamp(tx: Tx, t: AuditTimestampRecord): Promise<boolean> {
  const res = await tx.q
    .insertInto('audit_timestamps')
    .values({
      id: `ats_${randomBytes(12).toString('hex')}`,
      chain: t.chain,
      seq: t.seq,
      hash: t.hash,
      at: t.at,
      gen_time: t.genTime,
      tsa: t.tsa,
      tsa_subject: t.tsaCertificate.subject,
      tsa_cert_sha256: t.tsaCertificate.sha256,
      token: t.token,
      created_at: t.createdAt,
    })
    .onConflict((oc) => oc.columns(['chain', 'seq']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The time-stamps of one chain or of all, by chain then seq. */
export async function listAuditTimestamps(tx: Tx, chain?: string): Promise<AuditTimestampRecord[]> {
  let q = tx.q.selectFrom('audit_timestamps').selectAll();
  if (chain !== undefined) q = q.where('chain', '=', chain);
  return (await q.orderBy('chain').orderBy('seq').execute()).map(toRecord);
}

/** The highest time-stamped seq, per chain (one query per round, however many chains). */
export async function lastTimestampedSeqs(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.q
    .selectFrom('audit_timestamps')
    .select((eb) => ['chain', eb.fn.max<number>('seq').as('seq')])
    .groupBy('chain')
    .execute();
  return new Map(rows.map((r) => [r.chain, Number(r.seq)]));
}
