import type { DisclosureBasis, DisclosureState } from '../../domain/disclosure/disclosure.js';
import type { Tx } from '../db.js';
import type { DisclosurePackagesTable, DisclosuresTable } from '../schema.js';

export interface DisclosureRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  byParty: 'A' | 'B';
  filedBy: string | null;
  recipient: string;
  purpose: string;
  scope: string;
  basis: DisclosureBasis;
  basisReference: string | null;
  state: DisclosureState;
  filedAt: string;
  /** When the counterparty was told (the filing: its mail and webhook are queued in the same transaction). */
  counterpartyNotifiedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  conditions: string | null;
  decisionReason: string | null;
  disclosedAt: string | null;
  disclosureRecordedAt: string | null;
  disclosureRecordedBy: string | null;
  /** Art 5.2: null until the disclosure is recorded. */
  priorNotice: boolean | null;
  version: number;
}

export interface PackageFile {
  path: string;
  sha256: string;
  size: number;
}

export interface DisclosurePackageRecord {
  id: string;
  disclosureId: string;
  incidentId: string;
  agreementId: string;
  byParty: 'A' | 'B';
  builtBy: string | null;
  builtAt: string;
  manifestSha256: string;
  files: PackageFile[];
}

const party = (p: string): 'A' | 'B' => (p === 'B' ? 'B' : 'A');

function toRecord(r: DisclosuresTable): DisclosureRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    byParty: party(r.by_party),
    filedBy: r.filed_by,
    recipient: r.recipient,
    purpose: r.purpose,
    scope: r.scope,
    basis: r.basis as DisclosureBasis,
    basisReference: r.basis_reference,
    state: r.state as DisclosureState,
    filedAt: r.filed_at,
    counterpartyNotifiedAt: r.counterparty_notified_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    conditions: r.conditions,
    decisionReason: r.decision_reason,
    disclosedAt: r.disclosed_at,
    disclosureRecordedAt: r.disclosure_recorded_at,
    disclosureRecordedBy: r.disclosure_recorded_by,
    priorNotice: r.prior_notice === null ? null : r.prior_notice === 1,
    version: r.version,
  };
}

function toPackage(r: DisclosurePackagesTable): DisclosurePackageRecord {
  return {
    id: r.id,
    disclosureId: r.disclosure_id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    byParty: party(r.by_party),
    builtBy: r.built_by,
    builtAt: r.built_at,
    manifestSha256: r.manifest_sha256,
    files: JSON.parse(r.files) as PackageFile[],
  };
}

export async function insertDisclosure(tx: Tx, d: DisclosureRecord): Promise<void> {
  await tx.q
    .insertInto('disclosures')
    .values({
      id: d.id,
      incident_id: d.incidentId,
      agreement_id: d.agreementId,
      by_party: d.byParty,
      filed_by: d.filedBy,
      recipient: d.recipient,
      purpose: d.purpose,
      scope: d.scope,
      basis: d.basis,
      basis_reference: d.basisReference,
      state: d.state,
      filed_at: d.filedAt,
      counterparty_notified_at: d.counterpartyNotifiedAt,
      decided_by: d.decidedBy,
      decided_at: d.decidedAt,
      conditions: d.conditions,
      decision_reason: d.decisionReason,
      disclosed_at: d.disclosedAt,
      disclosure_recorded_at: d.disclosureRecordedAt,
      disclosure_recorded_by: d.disclosureRecordedBy,
      prior_notice: d.priorNotice === null ? null : d.priorNotice ? 1 : 0,
      version: d.version,
    })
    .execute();
}

export async function findDisclosure(tx: Tx, id: string): Promise<DisclosureRecord | null> {
  const r = await tx.q.selectFrom('disclosures').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function listDisclosures(tx: Tx, incidentId: string): Promise<DisclosureRecord[]> {
  const rows = await tx.q
    .selectFrom('disclosures')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('filed_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** Guarded decision: applies only while the disclosure still awaits consent (one decision wins). */
export async function decideDisclosure(
  tx: Tx,
  id: string,
  to: {
    state: 'consented' | 'refused';
    decidedBy: string | null;
    decidedAt: string;
    conditions: string | null;
    reason: string | null;
  },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('disclosures')
    .set((eb) => ({
      state: to.state,
      decided_by: to.decidedBy,
      decided_at: to.decidedAt,
      conditions: to.conditions,
      decision_reason: to.reason,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('state', '=', 'pending_consent')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Guarded: records the actual disclosure once. */
export async function recordDisclosed(
  tx: Tx,
  id: string,
  to: { disclosedAt: string; recordedAt: string; recordedBy: string | null; priorNotice: boolean },
): Promise<boolean> {
  const res = await tx.q
    .updateTable('disclosures')
    .set((eb) => ({
      disclosed_at: to.disclosedAt,
      disclosure_recorded_at: to.recordedAt,
      disclosure_recorded_by: to.recordedBy,
      prior_notice: to.priorNotice ? 1 : 0,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('disclosed_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertDisclosurePackage(tx: Tx, p: DisclosurePackageRecord): Promise<void> {
  await tx.q
    .insertInto('disclosure_packages')
    .values({
      id: p.id,
      disclosure_id: p.disclosureId,
      incident_id: p.incidentId,
      agreement_id: p.agreementId,
      by_party: p.byParty,
      built_by: p.builtBy,
      built_at: p.builtAt,
      manifest_sha256: p.manifestSha256,
      files: JSON.stringify(p.files),
    })
    .execute();
}

/** The packages of an incident's disclosures, oldest first. */
export async function listDisclosurePackages(tx: Tx, incidentId: string): Promise<DisclosurePackageRecord[]> {
  const rows = await tx.q
    .selectFrom('disclosure_packages')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('built_at')
    .orderBy('id')
    .execute();
  return rows.map(toPackage);
}
