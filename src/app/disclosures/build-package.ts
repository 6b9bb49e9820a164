import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { mayDisclose } from '../../domain/disclosure/disclosure.js';
import {
  buildManifest,
  evidencePath,
  manifestText,
  recordEntries,
  type ManifestFile,
  type PackageIncident,
  type PackageNotice,
} from '../../domain/disclosure/package.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  insertDisclosurePackage,
  type DisclosurePackageRecord,
  type DisclosureRecord,
} from '../../persistence/repositories/disclosures.js';
import { findEvidence, type EvidenceRecord } from '../../persistence/repositories/evidence.js';
import { findNotice } from '../../persistence/repositories/notices.js';
import { requireArticleInForce } from '../agreements/survival.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { evidenceStore } from '../evidence/store.js';
import { loadDisclosureFor, requireFilingParty } from './disclosures.js';
import { ZIP32_LIMIT, zipChunks, type ZipEntry } from './zip.js';

export interface PackageSelection {
  noticeIds?: string[] | undefined;
  evidenceIds?: string[] | undefined;
  includeIncident?: boolean | undefined;
}

export interface BuiltPackage {
  record: DisclosurePackageRecord;
  filename: string;
  /** The ZIP, produced as it is read (evidence streamed, never held whole). */
  stream: Readable;
}

/** The largest package: every size and offset must fit 32 bits (no ZIP64); records take the rest. */
const EVIDENCE_LIMIT = ZIP32_LIMIT - 64 * 1024 * 1024;

const notInIncident = (path: string) =>
  new AppError('VALIDATION_FAILED', {
    message: {
      ja: '選択された記録はこの事故の記録ではないか、存在しないか、閲覧できません。',
      en: 'A selected record is not one of this incident’s, does not exist or is not visible to you.',
    },
    extras: { errors: [{ path }] },
  });

/** SHA-256, CRC-32 (for the ZIP header) and size of a stream, read chunk by chunk. */
async function digest(
  stream: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; crc32: number; size: number }> {
  const hash = createHash('sha256');
  let crc = 0;
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    crc = crc32(chunk, crc);
    size += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), crc32: crc, size };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * Art 5.1 enforcement: the package handed to the outside recipient of a disclosure — the selected
 * notices (and the incident, if asked) as JSON and Japanese text, the selected evidence files, and
 * `manifest.json` with each file's SHA-256 and the disclosure covering it. Built only for the
 * filing party, and only while the disclosure is consented or excepted (else 403 CONSENT_REQUIRED).
 * Every selected record must be of the disclosure's incident and visible to the caller (the other
 * party's unshared evidence is as good as absent: 400, its existence not revealed). Party-internal
 * notes are never part of a package. Evidence is checked against its stored SHA-256 first (409
 * EVIDENCE_INTEGRITY_FAILED, nothing recorded); then the package and its manifest's SHA-256 go into
 * the audit chain, and the ZIP is streamed.
 */
export async function buildDisclosurePackage(
  ctx: AppContext,
  actor: Actor,
  disclosureId: string,
  selection: PackageSelection,
): Promise<BuiltPackage> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const { incident, agreement, side, disclosure } = await loadDisclosureFor(
    ctx.db,
    actor,
    disclosureId,
    'disclosure.file',
  );
  requireFilingParty(side, disclosure);
  await requireArticleInForce(ctx.db, agreement, 5, nowInstant);
  if (!mayDisclose(disclosure.state)) {
    throw new AppError('CONSENT_REQUIRED', { extras: { state: disclosure.state } });
  }

  const notices: PackageNotice[] = [];
  for (const [i, id] of [...new Set(selection.noticeIds ?? [])].entries()) {
    const n = await findNotice(ctx.db, id);
    if (!n || n.incidentId !== incident.id) throw notInIncident(`noticeIds.${i}`);
    notices.push({
      id: n.id,
      incidentId: n.incidentId,
      fromParty: n.fromParty,
      number: n.number,
      items: n.items,
      sentAt: n.sentAt,
      acknowledgedAt: n.acknowledgedAt,
    });
  }
  const evidence: EvidenceRecord[] = [];
  for (const [i, id] of [...new Set(selection.evidenceIds ?? [])].entries()) {
    const e = await findEvidence(ctx.db, id);
    const visible = e !== null && (e.party === side || e.visibility === 'shared');
    if (!e || !visible || e.incidentId !== incident.id) throw notInIncident(`evidenceIds.${i}`);
    evidence.push(e);
  }
  const total = evidence.reduce((s, e) => s + e.size, 0);
  if (total > EVIDENCE_LIMIT) {
    throw new AppError('VALIDATION_FAILED', {
      message: {
        ja: '証拠ファイルの合計が大きすぎるため、1つのパッケージにできません（約4GiBまで）。複数のパッケージに分けてください。',
        en: 'The evidence files are too large for one package (about 4 GiB at most): split them over several packages.',
      },
      extras: { errors: [{ path: 'evidenceIds' }] },
    });
  }

  // The stored evidence must still be what was uploaded (read once, streamed, before anything is recorded).
  const store = evidenceStore(ctx.config);
  const open = async (e: EvidenceRecord) => {
    try {
      return await store.open(e.storageKey);
    } catch {
      throw new AppError('EVIDENCE_INTEGRITY_FAILED', { extras: { evidenceId: e.id } });
    }
  };
  const crcs = new Map<string, number>();
  for (const e of evidence) {
    const actual = await digest(await open(e));
    if (actual.sha256 !== e.sha256 || actual.size !== e.size) {
      throw new AppError('EVIDENCE_INTEGRITY_FAILED', { extras: { evidenceId: e.id } });
    }
    crcs.set(e.id, actual.crc32);
  }

  const packageId = newId('disclosurePackage');
  const pkgIncident: PackageIncident | null = selection.includeIncident
    ? {
        id: incident.id,
        title: incident.title,
        summary: incident.summary,
        reportingParty: incident.reportingParty,
        infoCategories: incident.infoCategories,
        kinds: incident.kinds,
        causeEntity: incident.causeEntity,
        suspected: incident.suspected,
        state: incident.state,
        occurredAt: incident.occurredAt,
        discoveredAt: incident.discoveredAt,
        affectedPersons: incident.affectedPersons,
        affectedPersonsEstimated: incident.affectedPersonsEstimated,
        affectedRecords: incident.affectedRecords,
        affectedRecordsEstimated: incident.affectedRecordsEstimated,
        dataItems: incident.dataItems,
        sensitiveData: incident.sensitiveData,
        financialHarmRisk: incident.financialHarmRisk,
        improperPurpose: incident.improperPurpose,
        encrypted: incident.encrypted,
      }
    : null;
  const records = recordEntries(disclosurePart(disclosure), pkgIncident, notices).map((r) => ({
    ...r,
    bytes: utf8(r.text),
  }));
  const evidenceFiles = evidence.map((e) => ({ path: evidencePath(e.id, e.filename), record: e }));
  const files: Omit<ManifestFile, 'coveredBy'>[] = [
    ...records.map((r) => ({
      path: r.path,
      sha256: sha256(r.bytes),
      size: r.bytes.byteLength,
      kind: r.kind,
      recordId: r.recordId,
    })),
    ...evidenceFiles.map((e) => ({
      path: e.path,
      sha256: e.record.sha256,
      size: e.record.size,
      kind: 'evidence' as const,
      recordId: e.record.id,
    })),
  ];
  const manifest = buildManifest(packageId, now, disclosurePart(disclosure), files);
  const manifestBytes = utf8(manifestText(manifest));
  const record: DisclosurePackageRecord = {
    id: packageId,
    disclosureId: disclosure.id,
    incidentId: incident.id,
    agreementId: agreement.id,
    byParty: side,
    builtBy: actor.kind === 'user' ? actor.userId : null,
    builtAt: now,
    manifestSha256: sha256(manifestBytes),
    files: files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
  };

  await inTransaction(ctx.db, async (tx) => {
    await requireArticleInForce(tx, agreement, 5, nowInstant);
    await insertDisclosurePackage(tx, record);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'disclosure.package_built',
      recordType: 'disclosure_package',
      recordId: packageId,
      payload: {
        incidentId: incident.id,
        disclosureId: disclosure.id,
        manifestSha256: record.manifestSha256,
        files: record.files,
        evidenceIds: evidence.map((e) => e.id),
        noticeIds: notices.map((n) => n.id),
        includeIncident: pkgIncident !== null,
      },
    });
  });

  const entries: ZipEntry[] = [
    { path: 'manifest.json', kind: 'bytes', bytes: manifestBytes },
    ...records.map((r) => ({ path: r.path, kind: 'bytes' as const, bytes: r.bytes })),
    ...evidenceFiles.map((e) => ({
      path: e.path,
      kind: 'stream' as const,
      size: e.record.size,
      sha256: e.record.sha256,
      crc32: crcs.get(e.record.id) as number,
      open: () => open(e.record),
    })),
  ];
  const stream = Readable.from(zipChunks(entries, new Date(Date.parse(now))), { objectMode: false });
  return { record, filename: `disclosure-${disclosure.id}-${packageId}.zip`, stream };
}

function disclosurePart(d: DisclosureRecord) {
  return {
    id: d.id,
    incidentId: d.incidentId,
    agreementId: d.agreementId,
    byParty: d.byParty,
    recipient: d.recipient,
    purpose: d.purpose,
    scope: d.scope,
    basis: d.basis,
    basisReference: d.basisReference,
    state: d.state,
    filedAt: d.filedAt,
    decidedAt: d.decidedAt,
    conditions: d.conditions,
  };
}
