import type { Tx } from '../db.js';
import type { EvidenceCustodyTable, EvidenceTable } from '../schema.js';

/** Who may see an evidence file: the uploading party only, or both parties once it shared it. */
export type EvidenceVisibility = 'party' | 'shared';

/** An evidence file of an incident (Art 4.2(7)); its bytes are in the evidence store under `storageKey`. */
export interface EvidenceRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  /** The uploading party (the one that collected it). */
  party: 'A' | 'B';
  filename: string;
  description: string | null;
  /** Bytes. */
  size: number;
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: string;
  storageKey: string;
  visibility: EvidenceVisibility;
  collectedBy: string | null;
  collectedAt: string;
  sharedBy: string | null;
  sharedAt: string | null;
  version: number;
}

export type CustodyAction = 'uploaded' | 'shared' | 'downloaded' | 'integrity_failed';

/** One entry of an evidence file's chain of custody; the same fact is audit event (auditChain, auditSeq). */
export interface CustodyRecord {
  id: string;
  evidenceId: string;
  action: CustodyAction;
  party: 'A' | 'B' | null;
  actorUserId: string | null;
  at: string;
  /** What was observed (e.g. the hash found on an integrity failure). */
  detail: Record<string, unknown>;
  auditChain: string;
  auditSeq: number;
}

function toRecord(r: EvidenceTable): EvidenceRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    party: r.party === 'B' ? 'B' : 'A',
    filename: r.filename,
    description: r.description,
    size: Number(r.size),
    sha256: r.sha256,
    storageKey: r.storage_key,
    visibility: r.visibility === 'shared' ? 'shared' : 'party',
    collectedBy: r.collected_by,
    collectedAt: r.collected_at,
    sharedBy: r.shared_by,
    sharedAt: r.shared_at,
    version: Number(r.version),
  };
}

function toCustody(r: EvidenceCustodyTable): CustodyRecord {
  return {
    id: r.id,
    evidenceId: r.evidence_id,
    action: r.action as CustodyAction,
    party: r.party === 'A' || r.party === 'B' ? r.party : null,
    actorUserId: r.actor_user_id,
    at: r.at,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    auditChain: r.audit_chain,
    auditSeq: Number(r.audit_seq),
  };
}

export async function insertEvidence(tx: Tx, e: EvidenceRecord): Promise<void> {
  await tx.q
    .insertInto('evidence')
    .values({
      id: e.id,
      incident_id: e.incidentId,
      agreement_id: e.agreementId,
      party: e.party,
      filename: e.filename,
      description: e.description,
      size: e.size,
      sha256: e.sha256,
      storage_key: e.storageKey,
      visibility: e.visibility,
      collected_by: e.collectedBy,
      collected_at: e.collectedAt,
      shared_by: e.sharedBy,
      shared_at: e.sharedAt,
      version: e.version,
    })
    .execute();
}

/**
 * One evidence record by id, whoever may see it: callers check visibility (the app layer's
 * `loadEvidenceFor`). Other features (cooperation deliveries, disclosure packages) validate
 * evidence ids with it.
 */
export async function findEvidence(tx: Tx, id: string): Promise<EvidenceRecord | null> {
  const r = await tx.q.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

/**
 * The evidence of an incident, oldest first: all of it, or (with `visibleTo`) what that party may
 * see — its own and what the other party shared.
 */
export async function listEvidence(
  tx: Tx,
  incidentId: string,
  visibleTo?: 'A' | 'B',
): Promise<EvidenceRecord[]> {
  let q = tx.q.selectFrom('evidence').selectAll().where('incident_id', '=', incidentId);
  if (visibleTo) q = q.where((w) => w.or([w('party', '=', visibleTo), w('visibility', '=', 'shared')]));
  const rows = await q.orderBy('collected_at').orderBy('id').execute();
  return rows.map(toRecord);
}

/** Guarded share: only while still party-only (one share wins). */
export async function markEvidenceShared(
  tx: Tx,
  id: string,
  by: { userId: string | null; at: string },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('evidence')
    .set((eb) => ({
      visibility: 'shared',
      shared_by: by.userId,
      shared_at: by.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('visibility', '=', 'party')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertCustodyEntry(tx: Tx, c: CustodyRecord): Promise<void> {
  await tx.q
    .insertInto('evidence_custody')
    .values({
      id: c.id,
      evidence_id: c.evidenceId,
      action: c.action,
      party: c.party,
      actor_user_id: c.actorUserId,
      at: c.at,
      detail: JSON.stringify(c.detail),
      audit_chain: c.auditChain,
      audit_seq: c.auditSeq,
    })
    .execute();
}

/** The chain of custody of one evidence file, in order. */
export async function listCustody(tx: Tx, evidenceId: string): Promise<CustodyRecord[]> {
  const rows = await tx.q
    .selectFrom('evidence_custody')
    .selectAll()
    .where('evidence_id', '=', evidenceId)
    .orderBy('audit_seq')
    .orderBy('id')
    .execute();
  return rows.map(toCustody);
}
