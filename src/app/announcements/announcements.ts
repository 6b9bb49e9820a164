import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant, Temporal } from '../../domain/shared/time.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  findAnnouncement,
  insertAnnouncement,
  insertAnnouncementApproval,
  insertAnnouncementVersion,
  listAnnouncementApprovals,
  listAnnouncements,
  listAnnouncementVersions,
  updateDraftAnnouncement,
  type AnnouncementApprovalRecord,
  type AnnouncementChannel,
  type AnnouncementRecord,
  type AnnouncementVersionRecord,
  type EmergencyReason,
} from '../../persistence/repositories/announcements.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import type { IncidentPermission } from '../access.js';
import { requireArticleInForce } from '../agreements/survival.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, otherParty, type LoadedIncident } from '../incidents/load.js';
import { emitWebhook, incidentAudience, incidentLink, mailParty } from '../incidents/notify.js';
import { refreshClocks } from '../incidents/obligations.js';
import { checkNotFuture } from '../incidents/validate.js';

/** Art 6 (公表) does not survive by default (Art 11.3); whether it does is the agreement's `survivingArticles`. */
const ARTICLE = 6;

/** An announcement with its versions (1, 2, …) and the approvals of each. */
export interface AnnouncementView {
  announcement: AnnouncementRecord;
  versions: AnnouncementVersionRecord[];
  approvals: AnnouncementApprovalRecord[];
  /** Names of the users named in it, by id. */
  names: ReadonlyMap<string, string>;
}

async function namesOf(
  tx: Tx,
  items: ReadonlyArray<Omit<AnnouncementView, 'names'>>,
): Promise<Map<string, string>> {
  const ids = items.flatMap((v) => [
    v.announcement.createdBy,
    v.announcement.publishedBy,
    ...v.versions.map((x) => x.createdBy),
    ...v.approvals.map((x) => x.approvedBy),
  ]);
  const users = await findUsersByIds(tx, [...new Set(ids.filter((x): x is string => !!x))]);
  return new Map(users.map((u) => [u.id, u.name]));
}

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

async function viewOf(tx: Tx, announcement: AnnouncementRecord): Promise<AnnouncementView> {
  const [versions, approvals] = [
    await listAnnouncementVersions(tx, [announcement.id]),
    await listAnnouncementApprovals(tx, [announcement.id]),
  ];
  const view = { announcement, versions, approvals };
  return { ...view, names: await namesOf(tx, [view]) };
}

/** Loads an announcement and its incident for the actor (404 ANNOUNCEMENT_NOT_FOUND when it may not see it). */
async function loadAnnouncementFor(
  tx: Tx,
  actor: Actor,
  id: string,
  permission: IncidentPermission,
): Promise<LoadedIncident & { announcement: AnnouncementRecord }> {
  const announcement = await findAnnouncement(tx, id);
  if (!announcement) throw new AppError('ANNOUNCEMENT_NOT_FOUND');
  return {
    ...(await loadIncidentFor(tx, actor, announcement.incidentId, permission, 'ANNOUNCEMENT_NOT_FOUND')),
    announcement,
  };
}

function requireDraft(a: AnnouncementRecord): void {
  if (a.state !== 'draft') {
    throw new AppError('ANNOUNCEMENT_PUBLISHED', { extras: { publishedVersion: a.publishedVersion } });
  }
}

/**
 * Art 6.1: a public announcement of the incident (press release, website, notice to individuals,
 * other) is drafted as version 1 by either party's acting member. New announcements need Art 6 in
 * force (after the end only if the parties made it survive, Art 11.3).
 */
export async function createAnnouncement(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { channel: AnnouncementChannel; title: string; body: string },
): Promise<AnnouncementView> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(tx, actor, incidentId, 'announcement.draft');
    await requireArticleInForce(tx, agreement, ARTICLE, nowInstant);
    const announcement: AnnouncementRecord = {
      id: newId('announcement'),
      incidentId: incident.id,
      agreementId: agreement.id,
      byParty: side,
      createdBy: userId(actor),
      createdAt: now,
      channel: input.channel,
      state: 'draft',
      latestVersion: 1,
      publishedVersion: null,
      publishedAt: null,
      publishedUrl: null,
      publishedBy: null,
      publishedByParty: null,
      publicationRecordedAt: null,
      finalTitle: null,
      finalBody: null,
      emergency: null,
      version: 1,
    };
    const first: AnnouncementVersionRecord = {
      id: newId('announcementVersion'),
      announcementId: announcement.id,
      number: 1,
      title: input.title.trim(),
      body: input.body,
      byParty: side,
      createdBy: userId(actor),
      createdAt: now,
    };
    await insertAnnouncement(tx, announcement);
    await insertAnnouncementVersion(tx, first);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'announcement.drafted',
      recordType: 'announcement',
      recordId: announcement.id,
      payload: { incidentId: incident.id, after: announcement, version: first },
    });
    return viewOf(tx, announcement);
  });
}

/** The next version of a draft (either party's acting member); earlier approvals stay with their version. */
export async function addAnnouncementVersion(
  ctx: AppContext,
  actor: Actor,
  announcementId: string,
  input: { title: string; body: string },
): Promise<AnnouncementView> {
  const now = isoInstant(ctx.clock.now());
  return inTransaction(ctx.db, async (tx) => {
    const { announcement, side, agreement } = await loadAnnouncementFor(
      tx,
      actor,
      announcementId,
      'announcement.draft',
    );
    requireDraft(announcement);
    const number = announcement.latestVersion + 1;
    if (
      !(await updateDraftAnnouncement(tx, announcement.id, announcement.version, { latestVersion: number }))
    ) {
      throw new AppError('VERSION_CONFLICT');
    }
    const version: AnnouncementVersionRecord = {
      id: newId('announcementVersion'),
      announcementId: announcement.id,
      number,
      title: input.title.trim(),
      body: input.body,
      byParty: side,
      createdBy: userId(actor),
      createdAt: now,
    };
    await insertAnnouncementVersion(tx, version);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'announcement.version_added',
      recordType: 'announcement',
      recordId: announcement.id,
      payload: { incidentId: announcement.incidentId, version },
    });
    return viewOf(tx, { ...announcement, latestVersion: number, version: announcement.version + 1 });
  });
}

/**
 * Art 6.1 consultation: the legal or owner of either party approves the latest version. Both
 * parties approving the same, latest version is the consultation; approving an older one is 409
 * ANNOUNCEMENT_VERSION_STALE, and a party approves a version once.
 */
export async function approveAnnouncement(
  ctx: AppContext,
  actor: Actor,
  announcementId: string,
  input: { version: number },
): Promise<AnnouncementView> {
  const now = isoInstant(ctx.clock.now());
  return inTransaction(ctx.db, async (tx) => {
    const { announcement, side, agreement } = await loadAnnouncementFor(
      tx,
      actor,
      announcementId,
      'announcement.approve',
    );
    requireDraft(announcement);
    requireLatest(announcement, input.version);
    const approvals = await listAnnouncementApprovals(tx, [announcement.id]);
    if (approvals.some((a) => a.versionNumber === input.version && a.party === side)) {
      throw new AppError('ANNOUNCEMENT_ALREADY_APPROVED', { extras: { version: input.version } });
    }
    // Serialises with a new version or the publication (guarded on the row version).
    if (!(await updateDraftAnnouncement(tx, announcement.id, announcement.version, {}))) {
      throw new AppError('VERSION_CONFLICT');
    }
    const approval: AnnouncementApprovalRecord = {
      id: newId('announcementApproval'),
      announcementId: announcement.id,
      versionNumber: input.version,
      party: side,
      approvedBy: userId(actor),
      approvedAt: now,
    };
    await insertAnnouncementApproval(tx, approval);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'announcement.approved',
      recordType: 'announcement',
      recordId: announcement.id,
      payload: { incidentId: announcement.incidentId, after: approval },
    });
    return viewOf(tx, { ...announcement, version: announcement.version + 1 });
  });
}

function requireLatest(a: AnnouncementRecord, version: number): void {
  if (version > a.latestVersion) {
    throw new AppError('VALIDATION_FAILED', {
      message: {
        ja: `版 ${version} はありません（最新は第${a.latestVersion}版）。`,
        en: `There is no version ${version} (the latest is ${a.latestVersion}).`,
      },
      extras: { errors: [{ path: 'version' }], latestVersion: a.latestVersion },
    });
  }
  if (version < a.latestVersion) {
    throw new AppError('ANNOUNCEMENT_VERSION_STALE', { extras: { version, latestVersion: a.latestVersion } });
  }
}

export interface PublishInput {
  version: number;
  publishedAt?: string | undefined;
  url?: string | undefined;
  emergency?: { reason: EmergencyReason; explanation: string } | undefined;
}

const EMERGENCY_REASONS: Record<EmergencyReason, { ja: string; en: string }> = {
  law_compliance: { ja: '法令遵守のため', en: 'to comply with law' },
  prevent_harm: { ja: '被害拡大防止のため', en: 'to prevent harm from spreading' },
};

/**
 * Records the publication of the latest version, with its final text. Art 6.1: both parties must
 * have approved that version (else 409 ANNOUNCEMENT_NOT_APPROVED). Art 6.2: with `emergency`
 * (law compliance or preventing harm, explained) the legal or owner of a party publishes without
 * the other's approval; the other party is mailed and webhooked at once, and the publisher owes a
 * consultation afterwards (clause 6.2, due 24 h after the publication).
 */
export async function publishAnnouncement(
  ctx: AppContext,
  actor: Actor,
  announcementId: string,
  input: PublishInput,
): Promise<AnnouncementView> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const publishedAt = input.publishedAt ? isoInstant(Temporal.Instant.from(input.publishedAt)) : now;
  checkNotFuture('publishedAt', publishedAt, nowInstant.epochMilliseconds);
  return inTransaction(ctx.db, async (tx) => {
    const { announcement, side, agreement, incident } = await loadAnnouncementFor(
      tx,
      actor,
      announcementId,
      'announcement.publish',
    );
    requireDraft(announcement);
    requireLatest(announcement, input.version);
    if (Date.parse(publishedAt) < Date.parse(announcement.createdAt)) {
      throw new AppError('VALIDATION_FAILED', {
        message: {
          ja: '公表日時が公表文の作成より前です。',
          en: 'The publication cannot precede the drafting of the announcement.',
        },
        extras: { errors: [{ path: 'publishedAt' }] },
      });
    }
    const approvals = await listAnnouncementApprovals(tx, [announcement.id]);
    const approvedBy = new Set(
      approvals.filter((a) => a.versionNumber === input.version).map((a) => a.party),
    );
    const emergency = input.emergency
      ? { ...input.emergency, explanation: input.emergency.explanation.trim() }
      : null;
    if (emergency) {
      // Art 6.2: the emergency publication binds the company: owner or legal only.
      if (actor.kind === 'user' && actor.role !== 'owner' && actor.role !== 'legal') {
        throw new AppError('FORBIDDEN', {
          message: {
            ja: '協議を経ない緊急の公表（第6条第2項）は、オーナーまたは法務担当だけが行えます。',
            en: 'An emergency announcement without consultation (Art 6.2) needs owner or legal.',
          },
        });
      }
    } else if (!(approvedBy.has('A') && approvedBy.has('B'))) {
      throw new AppError('ANNOUNCEMENT_NOT_APPROVED', {
        extras: { version: input.version, approvedBy: [...approvedBy].sort() },
      });
    }
    const versions = await listAnnouncementVersions(tx, [announcement.id]);
    const final = versions.find((v) => v.number === input.version) as AnnouncementVersionRecord;
    const patch = {
      state: 'published' as const,
      publishedVersion: input.version,
      publishedAt,
      publishedUrl: input.url?.trim() || null,
      publishedBy: userId(actor),
      publishedByParty: side,
      publicationRecordedAt: now,
      finalTitle: final.title,
      finalBody: final.body,
      emergency,
    };
    if (!(await updateDraftAnnouncement(tx, announcement.id, announcement.version, patch))) {
      throw new AppError('VERSION_CONFLICT');
    }
    const after: AnnouncementRecord = { ...announcement, ...patch, version: announcement.version + 1 };
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: emergency ? 'announcement.published_emergency' : 'announcement.published',
      recordType: 'announcement',
      recordId: announcement.id,
      payload: { incidentId: incident.id, before: announcement, after },
    });
    if (emergency) {
      const reason = EMERGENCY_REASONS[emergency.reason];
      await mailParty(
        ctx,
        tx,
        agreement,
        incident,
        otherParty(side),
        `announcement.emergency:${announcement.id}`,
        {
          kind: 'announcement_emergency_published',
          detail: [
            `理由 / Reason: ${reason.ja} / ${reason.en}`,
            `説明 / Explanation: ${emergency.explanation}`,
            `公表日時 / Published at: ${publishedAt}`,
            ...(patch.publishedUrl ? [`URL: ${patch.publishedUrl}`] : []),
            '',
            final.title,
            '',
            final.body,
          ].join('\n'),
        },
        now,
      );
      await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    }
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'announcement.published',
      `announcement.published:${announcement.id}`,
      {
        announcementId: announcement.id,
        incidentId: incident.id,
        byParty: side,
        version: input.version,
        emergency: emergency?.reason ?? null,
        publishedAt,
        url: incidentLink(ctx, incident.id),
      },
      now,
      incidentAudience(incident),
    );
    return viewOf(tx, after);
  });
}

export async function listIncidentAnnouncements(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<AnnouncementView[]> {
  return inTransaction(ctx.db, async (tx) => {
    await loadIncidentFor(tx, actor, incidentId, 'incident.read');
    const announcements = await listAnnouncements(tx, incidentId);
    const ids = announcements.map((a) => a.id);
    const versions = await listAnnouncementVersions(tx, ids);
    const approvals = await listAnnouncementApprovals(tx, ids);
    const items = announcements.map((announcement) => ({
      announcement,
      versions: versions.filter((v) => v.announcementId === announcement.id),
      approvals: approvals.filter((a) => a.announcementId === announcement.id),
    }));
    const names = await namesOf(tx, items);
    return items.map((v) => ({ ...v, names }));
  });
}

export async function getAnnouncement(ctx: AppContext, actor: Actor, id: string): Promise<AnnouncementView> {
  return inTransaction(ctx.db, async (tx) => {
    const { announcement } = await loadAnnouncementFor(tx, actor, id, 'incident.read');
    return viewOf(tx, announcement);
  });
}
