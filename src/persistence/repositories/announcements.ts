import type { Tx } from '../db.js';
import type { AnnouncementApprovalsTable, AnnouncementsTable, AnnouncementVersionsTable } from '../schema.js';

export type AnnouncementChannel = 'press_release' | 'website' | 'individual_notice' | 'other';
export type AnnouncementState = 'draft' | 'published';
export type EmergencyReason = 'law_compliance' | 'prevent_harm';

/** An Art 6 public announcement of an incident, drafted in versions and published once. */
export interface AnnouncementRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  byParty: 'A' | 'B';
  createdBy: string | null;
  createdAt: string;
  channel: AnnouncementChannel;
  state: AnnouncementState;
  latestVersion: number;
  publishedVersion: number | null;
  /** When it was made public (given by the recorder, not after the recording). */
  publishedAt: string | null;
  publishedUrl: string | null;
  publishedBy: string | null;
  publishedByParty: 'A' | 'B' | null;
  publicationRecordedAt: string | null;
  /** The final text, copied from the published version. */
  finalTitle: string | null;
  finalBody: string | null;
  /** Art 6.2: set when published in an emergency without the other party's approval. */
  emergency: { reason: EmergencyReason; explanation: string } | null;
  /** Row version: every change moves it by one (guarded updates). */
  version: number;
}

export interface AnnouncementVersionRecord {
  id: string;
  announcementId: string;
  number: number;
  title: string;
  body: string;
  byParty: 'A' | 'B';
  createdBy: string | null;
  createdAt: string;
}

export interface AnnouncementApprovalRecord {
  id: string;
  announcementId: string;
  versionNumber: number;
  party: 'A' | 'B';
  approvedBy: string | null;
  approvedAt: string;
}

const party = (p: string | null): 'A' | 'B' => (p === 'B' ? 'B' : 'A');

function toRecord(r: AnnouncementsTable): AnnouncementRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    byParty: party(r.by_party),
    createdBy: r.created_by,
    createdAt: r.created_at,
    channel: r.channel as AnnouncementChannel,
    state: r.state as AnnouncementState,
    latestVersion: Number(r.latest_version),
    publishedVersion: r.published_version === null ? null : Number(r.published_version),
    publishedAt: r.published_at,
    publishedUrl: r.published_url,
    publishedBy: r.published_by,
    publishedByParty: r.published_by_party === null ? null : party(r.published_by_party),
    publicationRecordedAt: r.publication_recorded_at,
    finalTitle: r.final_title,
    finalBody: r.final_body,
    emergency:
      r.emergency_reason === null
        ? null
        : { reason: r.emergency_reason as EmergencyReason, explanation: r.emergency_explanation ?? '' },
    version: Number(r.version),
  };
}

function toVersion(r: AnnouncementVersionsTable): AnnouncementVersionRecord {
  return {
    id: r.id,
    announcementId: r.announcement_id,
    number: Number(r.number),
    title: r.title,
    body: r.body,
    byParty: party(r.by_party),
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function toApproval(r: AnnouncementApprovalsTable): AnnouncementApprovalRecord {
  return {
    id: r.id,
    announcementId: r.announcement_id,
    versionNumber: Number(r.version_number),
    party: party(r.party),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
  };
}

export async function insertAnnouncement(tx: Tx, a: AnnouncementRecord): Promise<void> {
  await tx.q
    .insertInto('announcements')
    .values({
      id: a.id,
      incident_id: a.incidentId,
      agreement_id: a.agreementId,
      by_party: a.byParty,
      created_by: a.createdBy,
      created_at: a.createdAt,
      channel: a.channel,
      state: a.state,
      latest_version: a.latestVersion,
      published_version: a.publishedVersion,
      published_at: a.publishedAt,
      published_url: a.publishedUrl,
      published_by: a.publishedBy,
      published_by_party: a.publishedByParty,
      publication_recorded_at: a.publicationRecordedAt,
      final_title: a.finalTitle,
      final_body: a.finalBody,
      emergency_reason: a.emergency?.reason ?? null,
      emergency_explanation: a.emergency?.explanation ?? null,
      version: a.version,
    })
    .execute();
}

export async function findAnnouncement(tx: Tx, id: string): Promise<AnnouncementRecord | null> {
  const r = await tx.q.selectFrom('announcements').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : null;
}

export async function listAnnouncements(tx: Tx, incidentId: string): Promise<AnnouncementRecord[]> {
  const rows = await tx.q
    .selectFrom('announcements')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/**
 * Guarded update of a draft: applies only while the row is at `version` and still a draft (two
 * approvals, a new version and a publication serialise on it). Moves the version by one.
 */
export async function updateDraftAnnouncement(
  tx: Tx,
  id: string,
  version: number,
  patch: Partial<
    Pick<
      AnnouncementRecord,
      | 'state'
      | 'latestVersion'
      | 'publishedVersion'
      | 'publishedAt'
      | 'publishedUrl'
      | 'publishedBy'
      | 'publishedByParty'
      | 'publicationRecordedAt'
      | 'finalTitle'
      | 'finalBody'
      | 'emergency'
    >
  >,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('announcements')
    .set({
      ...(patch.state !== undefined ? { state: patch.state } : {}),
      ...(patch.latestVersion !== undefined ? { latest_version: patch.latestVersion } : {}),
      ...(patch.publishedVersion !== undefined ? { published_version: patch.publishedVersion } : {}),
      ...(patch.publishedAt !== undefined ? { published_at: patch.publishedAt } : {}),
      ...(patch.publishedUrl !== undefined ? { published_url: patch.publishedUrl } : {}),
      ...(patch.publishedBy !== undefined ? { published_by: patch.publishedBy } : {}),
      ...(patch.publishedByParty !== undefined ? { published_by_party: patch.publishedByParty } : {}),
      ...(patch.publicationRecordedAt !== undefined
        ? { publication_recorded_at: patch.publicationRecordedAt }
        : {}),
      ...(patch.finalTitle !== undefined ? { final_title: patch.finalTitle } : {}),
      ...(patch.finalBody !== undefined ? { final_body: patch.finalBody } : {}),
      ...(patch.emergency !== undefined
        ? {
            emergency_reason: patch.emergency?.reason ?? null,
            emergency_explanation: patch.emergency?.explanation ?? null,
          }
        : {}),
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertAnnouncementVersion(tx: Tx, v: AnnouncementVersionRecord): Promise<void> {
  await tx.q
    .insertInto('announcement_versions')
    .values({
      id: v.id,
      announcement_id: v.announcementId,
      number: v.number,
      title: v.title,
      body: v.body,
      by_party: v.byParty,
      created_by: v.createdBy,
      created_at: v.createdAt,
    })
    .execute();
}

export async function listAnnouncementVersions(
  tx: Tx,
  announcementIds: readonly string[],
): Promise<AnnouncementVersionRecord[]> {
  if (announcementIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('announcement_versions')
    .selectAll()
    .where('announcement_id', 'in', [...announcementIds])
    .orderBy('announcement_id')
    .orderBy('number')
    .execute();
  return rows.map(toVersion);
}

export async function insertAnnouncementApproval(tx: Tx, a: AnnouncementApprovalRecord): Promise<void> {
  await tx.q
    .insertInto('announcement_approvals')
    .values({
      id: a.id,
      announcement_id: a.announcementId,
      version_number: a.versionNumber,
      party: a.party,
      approved_by: a.approvedBy,
      approved_at: a.approvedAt,
    })
    .execute();
}

export async function listAnnouncementApprovals(
  tx: Tx,
  announcementIds: readonly string[],
): Promise<AnnouncementApprovalRecord[]> {
  if (announcementIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('announcement_approvals')
    .selectAll()
    .where('announcement_id', 'in', [...announcementIds])
    .orderBy('approved_at')
    .orderBy('id')
    .execute();
  return rows.map(toApproval);
}

/** What the obligation engine reads of an Art 6.2 emergency publication. */
export interface EmergencyAnnouncementTime {
  id: string;
  incidentId: string;
  byParty: 'A' | 'B';
  publishedAt: string;
}

function emergencyQuery(tx: Tx) {
  return tx.q
    .selectFrom('announcements')
    .select(['id', 'incident_id', 'published_by_party', 'published_at'])
    .where('state', '=', 'published')
    .where('emergency_reason', 'is not', null)
    .orderBy('published_at')
    .orderBy('id');
}

const toTime = (r: {
  id: string;
  incident_id: string;
  published_by_party: string | null;
  published_at: string | null;
}): EmergencyAnnouncementTime => ({
  id: r.id,
  incidentId: r.incident_id,
  byParty: party(r.published_by_party),
  publishedAt: r.published_at as string,
});

export async function listEmergencyAnnouncementTimes(
  tx: Tx,
  incidentIds: readonly string[],
): Promise<EmergencyAnnouncementTime[]> {
  if (incidentIds.length === 0) return [];
  return (
    await emergencyQuery(tx)
      .where('incident_id', 'in', [...incidentIds])
      .execute()
  ).map(toTime);
}

export async function listAgreementEmergencyAnnouncementTimes(
  tx: Tx,
  agreementId: string,
): Promise<EmergencyAnnouncementTime[]> {
  return (await emergencyQuery(tx).where('agreement_id', '=', agreementId).execute()).map(toTime);
}
