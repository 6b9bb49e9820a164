import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { filenameProblem } from '../../domain/evidence/filename.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  findEvidence,
  insertCustodyEntry,
  insertEvidence,
  listCustody,
  listEvidence as listEvidenceOf,
  markEvidenceShared,
  type CustodyAction,
  type CustodyRecord,
  type EvidenceRecord,
} from '../../persistence/repositories/evidence.js';
import { requireIncidentAccess, type IncidentPermission, type PartyCode } from '../access.js';
import { recordAudit } from '../audit.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, type LoadedIncident } from '../incidents/load.js';
import {
  EvidenceBlobMissingError,
  EvidenceTooLargeError,
  evidenceStore,
  type PendingEvidenceBlob,
} from './store.js';

/**
 * Evidence (Art 4.2(7): 証拠の保全・提供): files a party collected for an incident, with their chain
 * of custody. A file is its uploading party's own until that party shares it; the other party gets
 * 404 for it in every channel (metadata, content, custody, lists, audit listings) until then.
 */

export interface LoadedEvidence extends LoadedIncident {
  evidence: EvidenceRecord;
}

/**
 * Loads an evidence record the actor may see, or throws: 404 for a non-party and for the other
 * party while the file is not shared (its existence is not revealed), 403 for the administrator.
 * A further permission (`evidence.share`) is checked only after visibility, so a role refusal never
 * tells the other party that an unshared file exists.
 */
export async function loadEvidenceFor(
  tx: Tx,
  actor: Actor,
  evidenceId: string,
  permission: IncidentPermission = 'incident.read',
): Promise<LoadedEvidence> {
  const evidence = await findEvidence(tx, evidenceId);
  if (!evidence) throw new AppError('EVIDENCE_NOT_FOUND');
  const loaded = await loadIncidentFor(tx, actor, evidence.incidentId, 'incident.read', 'EVIDENCE_NOT_FOUND');
  if (actor.kind === 'user' && evidence.visibility === 'party' && loaded.side !== evidence.party) {
    throw new AppError('EVIDENCE_NOT_FOUND');
  }
  if (permission !== 'incident.read') {
    requireIncidentAccess(actor, permission, loaded.agreement, loaded.incident.reportingParty);
  }
  return { ...loaded, evidence };
}

/**
 * Who may see the audit event of an evidence record: `byParty` + `visibility` in the payload (the
 * audit listing shows a party-only event to that party alone).
 */
function auditScope(e: EvidenceRecord): { incidentId: string; byParty: PartyCode; visibility: string } {
  return { incidentId: e.incidentId, byParty: e.party, visibility: e.visibility };
}

/** Appends a custody entry and its audit event (the same fact, linked by chain and seq). */
async function recordCustody(
  tx: Tx,
  actor: Actor,
  at: string,
  evidence: EvidenceRecord,
  action: CustodyAction,
  party: PartyCode | null,
  detail: Record<string, unknown>,
): Promise<CustodyRecord> {
  const event = await recordAudit(tx, actor, at, {
    chain: evidence.agreementId,
    action: `evidence.${action}`,
    recordType: 'evidence',
    recordId: evidence.id,
    payload: { ...auditScope(evidence), party, ...detail },
  });
  const entry: CustodyRecord = {
    id: newId('evidenceCustody'),
    evidenceId: evidence.id,
    action,
    party,
    actorUserId: actor.kind === 'user' ? actor.userId : null,
    at,
    detail,
    auditChain: event.chain,
    auditSeq: event.seq,
  };
  await insertCustodyEntry(tx, entry);
  return entry;
}

/**
 * Uploads one evidence file (Art 4.2(7)). Access and the file name are checked before a byte is
 * read; the body is streamed into the store (SHA-256 and size computed on the way, never held in
 * memory) and refused as soon as it passes EVIDENCE_MAX_BYTES (413). The row, its audit event and
 * the custody entry are written in one transaction whose last step moves the temporary file into
 * place; if anything fails, the temporary file (or the moved one) is removed: an upload cut off
 * half-way or over the limit leaves no file and no row.
 */
export async function uploadEvidence(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: {
    filename: string;
    description?: string | undefined;
    /** The Content-Length, when sent: refused at once if over the limit. */
    declaredSize?: number | undefined;
    body: AsyncIterable<Uint8Array>;
  },
): Promise<EvidenceRecord> {
  const problem = filenameProblem(input.filename);
  if (problem) {
    throw new AppError('VALIDATION_FAILED', {
      message: problem,
      extras: { errors: [{ path: 'filename' }] },
    });
  }
  const maxBytes = ctx.config.evidenceMaxBytes;
  await loadIncidentFor(ctx.db, actor, incidentId, 'evidence.upload');
  const tooLarge = () =>
    new AppError('EVIDENCE_TOO_LARGE', {
      message: {
        ja: `証拠資料のファイルが大きすぎます（上限 ${maxBytes} バイト）。何も保存されていません。`,
        en: `The evidence file is too large (at most ${maxBytes} bytes). Nothing was stored.`,
      },
      extras: { maxBytes },
    });
  if (input.declaredSize !== undefined && input.declaredSize > maxBytes) throw tooLarge();
  const store = evidenceStore(ctx.config);
  let blob: PendingEvidenceBlob;
  try {
    blob = await store.put(input.body, { maxBytes });
  } catch (e) {
    if (e instanceof EvidenceTooLargeError) throw tooLarge();
    throw e;
  }
  const description = input.description?.trim() || null;
  let moved = false;
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const now = isoInstant(ctx.clock.now());
      // Access again, inside the transaction: the upload may have taken a while.
      const { agreement, side } = await loadIncidentFor(tx, actor, incidentId, 'evidence.upload');
      const record: EvidenceRecord = {
        id: newId('evidence'),
        incidentId,
        agreementId: agreement.id,
        party: side,
        filename: input.filename,
        description,
        size: blob.size,
        sha256: blob.sha256,
        storageKey: blob.key,
        visibility: 'party',
        collectedBy: actor.kind === 'user' ? actor.userId : null,
        collectedAt: now,
        sharedBy: null,
        sharedAt: null,
        version: 1,
      };
      await insertEvidence(tx, record);
      await recordCustody(tx, actor, now, record, 'uploaded', side, {
        filename: record.filename,
        description,
        size: record.size,
        sha256: record.sha256,
      });
      await blob.commit();
      moved = true;
      return record;
    });
  } catch (e) {
    await (moved ? store.delete(blob.key) : blob.discard());
    throw e;
  }
}

/**
 * The uploading party shares a file with the other party (from then on both see it, its custody
 * and its content). Sharing a file that is already shared changes nothing and returns it as it is
 * (idempotent: the first share's time and person stay; no second custody entry).
 */
export async function shareEvidence(
  ctx: AppContext,
  actor: Actor,
  evidenceId: string,
): Promise<EvidenceRecord> {
  return inTransaction(ctx.db, async (tx) => {
    const now = isoInstant(ctx.clock.now());
    const { evidence, side } = await loadEvidenceFor(tx, actor, evidenceId, 'evidence.share');
    if (side !== evidence.party) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '証拠資料を共有できるのは、登録した当事者だけです。',
          en: 'Only the party that uploaded the evidence can share it.',
        },
      });
    }
    if (evidence.visibility === 'shared') return evidence;
    const by = { userId: actor.kind === 'user' ? actor.userId : null, at: now };
    if (!(await markEvidenceShared(tx, evidenceId, by))) {
      return (await findEvidence(tx, evidenceId)) as EvidenceRecord; // shared meanwhile
    }
    const shared: EvidenceRecord = {
      ...evidence,
      visibility: 'shared',
      sharedBy: by.userId,
      sharedAt: now,
      version: evidence.version + 1,
    };
    await recordCustody(tx, actor, now, shared, 'shared', side, { sha256: evidence.sha256 });
    return shared;
  });
}

/** The evidence of an incident the actor may see: its party's own and what the other party shared. */
export async function listEvidence(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<EvidenceRecord[]> {
  const { side } = await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  return listEvidenceOf(ctx.db, incidentId, actor.kind === 'user' ? side : undefined);
}

export async function getEvidence(
  ctx: AppContext,
  actor: Actor,
  evidenceId: string,
): Promise<EvidenceRecord> {
  return (await loadEvidenceFor(ctx.db, actor, evidenceId)).evidence;
}

/** The chain of custody of a file, in the order of the audit chain. */
export async function evidenceCustody(
  ctx: AppContext,
  actor: Actor,
  evidenceId: string,
): Promise<{ evidence: EvidenceRecord; entries: CustodyRecord[] }> {
  const { evidence } = await loadEvidenceFor(ctx.db, actor, evidenceId);
  return { evidence, entries: await listCustody(ctx.db, evidenceId) };
}

/** SHA-256 and size of a stored object, or null when it is gone. */
async function hashStored(ctx: AppContext, key: string): Promise<{ sha256: string; size: number } | null> {
  let stream: Readable;
  try {
    stream = await evidenceStore(ctx.config).open(key);
  } catch (e) {
    if (e instanceof EvidenceBlobMissingError) return null;
    throw e;
  }
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function recordIntegrityFailure(
  ctx: AppContext,
  actor: Actor,
  evidence: EvidenceRecord,
  side: PartyCode | null,
  found: { sha256: string; size: number } | null,
  stage: 'before_download' | 'during_download',
): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    await recordCustody(tx, actor, isoInstant(ctx.clock.now()), evidence, 'integrity_failed', side, {
      expectedSha256: evidence.sha256,
      expectedSize: evidence.size,
      foundSha256: found?.sha256 ?? null,
      foundSize: found?.size ?? null,
      missing: found === null,
      stage,
    });
  });
}

/**
 * The bytes of a file for download, checked first. Choice (correctness first): the stored file is
 * hashed in full before anything is sent, so a changed or missing file is refused with 409
 * EVIDENCE_INTEGRITY_FAILED (recorded in the custody chain and the audit chain) instead of being
 * half-sent with a 200. The file is then read a second time to stream it (for a big file the first
 * read has usually left it in the page cache), hashed again on the way: should it change between
 * the two reads, the stream fails at its end (the client sees an incomplete transfer, never a
 * complete wrong file) and the failure is recorded too. The download is recorded in the custody
 * chain when it is served.
 */
export async function openEvidenceContent(
  ctx: AppContext,
  actor: Actor,
  evidenceId: string,
): Promise<{ evidence: EvidenceRecord; stream: Readable }> {
  const { evidence, side } = await loadEvidenceFor(ctx.db, actor, evidenceId);
  const party = actor.kind === 'user' ? side : null;
  const found = await hashStored(ctx, evidence.storageKey);
  if (!found || found.sha256 !== evidence.sha256 || found.size !== evidence.size) {
    await recordIntegrityFailure(ctx, actor, evidence, party, found, 'before_download');
    throw new AppError('EVIDENCE_INTEGRITY_FAILED', {
      extras: { evidenceId, expectedSha256: evidence.sha256 },
    });
  }
  await inTransaction(ctx.db, async (tx) => {
    const current = await loadEvidenceFor(tx, actor, evidenceId); // still visible to the actor
    await recordCustody(tx, actor, isoInstant(ctx.clock.now()), current.evidence, 'downloaded', party, {
      sha256: evidence.sha256,
      size: evidence.size,
    });
  });
  const source = await evidenceStore(ctx.config).open(evidence.storageKey);
  const hash = createHash('sha256');
  let size = 0;
  // The last chunk is held back until the whole file has hashed right: a file that changed between
  // the check and the stream never reaches the client complete.
  let held: Buffer | null = null;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      const out = held;
      held = chunk;
      cb(null, out ?? undefined);
    },
    flush(cb) {
      const sha256 = hash.digest('hex');
      if (sha256 === evidence.sha256 && size === evidence.size) return cb(null, held ?? undefined);
      recordIntegrityFailure(ctx, actor, evidence, party, { sha256, size }, 'during_download').then(
        () => cb(new AppError('EVIDENCE_INTEGRITY_FAILED')),
        (e: unknown) => cb(e as Error),
      );
    },
  });
  source.on('error', (e) => check.destroy(e));
  return { evidence, stream: source.pipe(check) };
}

/** Names of the users a set of evidence records or custody entries names (gone users: absent). */
export async function evidenceUserNames(
  ctx: AppContext,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  return new Map((await findUsersByIds(ctx.db, wanted)).map((u) => [u.id, u.name]));
}
