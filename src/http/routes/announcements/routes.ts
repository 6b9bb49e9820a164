import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  addAnnouncementVersion,
  approveAnnouncement,
  createAnnouncement,
  getAnnouncement,
  listIncidentAnnouncements,
  publishAnnouncement,
  type AnnouncementView,
} from '../../../app/announcements/announcements.js';
import type { AppContext } from '../../../app/context.js';
import { requireUser } from '../../auth.js';
import { ErrorResponses } from '../../schemas.js';
import { IdParams } from '../incidents/schema.js';
import {
  AnnouncementApprovalBody,
  AnnouncementBody,
  AnnouncementList,
  AnnouncementPublicationBody,
  AnnouncementSchema,
  AnnouncementVersionBody,
  type AnnouncementJson,
} from './schema.js';

const CHANNEL_LABELS = {
  press_release: { ja: '報道発表', en: 'Press release' },
  website: { ja: 'ウェブサイト掲載', en: 'Website' },
  individual_notice: { ja: '本人への通知', en: 'Notice to individuals' },
  other: { ja: 'その他', en: 'Other' },
} as const;

const REASON_LABELS = {
  law_compliance: { ja: '法令遵守のため（第6条第2項）', en: 'To comply with law (Art 6.2)' },
  prevent_harm: { ja: '被害拡大防止のため（第6条第2項）', en: 'To prevent harm from spreading (Art 6.2)' },
} as const;

export function announcementJson(v: AnnouncementView): AnnouncementJson {
  const names = v.names;
  const a = v.announcement;
  const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? null } : null);
  const approvedBy = (n: number) =>
    v.approvals
      .filter((x) => x.versionNumber === n)
      .map((x) => x.party)
      .sort();
  return {
    id: a.id,
    incidentId: a.incidentId,
    byParty: a.byParty,
    clause: a.emergency ? '6.2' : '6.1',
    channel: a.channel,
    channelLabel: CHANNEL_LABELS[a.channel],
    state: a.state,
    latestVersion: a.latestVersion,
    createdBy: ref(a.createdBy),
    createdAt: a.createdAt,
    approvedByBoth: approvedBy(a.latestVersion).length === 2,
    versions: v.versions.map((x) => ({
      number: x.number,
      title: x.title,
      body: x.body,
      byParty: x.byParty,
      createdBy: ref(x.createdBy),
      createdAt: x.createdAt,
      approvedBy: approvedBy(x.number),
    })),
    approvals: v.approvals.map((x) => ({
      version: x.versionNumber,
      party: x.party,
      approvedBy: ref(x.approvedBy),
      approvedAt: x.approvedAt,
    })),
    publication:
      a.state === 'published'
        ? {
            version: a.publishedVersion as number,
            publishedAt: a.publishedAt as string,
            recordedAt: a.publicationRecordedAt as string,
            url: a.publishedUrl,
            byParty: a.publishedByParty ?? a.byParty,
            by: ref(a.publishedBy),
            title: a.finalTitle ?? '',
            body: a.finalBody ?? '',
            emergency: a.emergency
              ? {
                  reason: a.emergency.reason,
                  reasonLabel: REASON_LABELS[a.emergency.reason],
                  explanation: a.emergency.explanation,
                }
              : null,
          }
        : null,
  };
}

/** Public announcements (Art 6): versions, both parties' approval, publication, the emergency path. */
export function announcementRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['announcements'];

    app.post(
      '/api/v1/incidents/:id/announcements',
      {
        schema: {
          tags,
          summary:
            'Draft a public announcement of the incident (Art 6.1) as version 1 (owner, legal or responder of either party); refused after the agreement ended unless Art 6 survives',
          params: IdParams,
          body: AnnouncementBody,
          response: { 201: AnnouncementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const v = await createAnnouncement(ctx, requireUser(request), request.params.id, request.body);
        return reply.code(201).send(announcementJson(v));
      },
    );

    app.get(
      '/api/v1/incidents/:id/announcements',
      {
        schema: {
          tags,
          summary: "The incident's announcements with their versions and approvals, oldest first",
          params: IdParams,
          response: { 200: AnnouncementList, ...ErrorResponses },
        },
      },
      async (request) => ({
        items: (await listIncidentAnnouncements(ctx, requireUser(request), request.params.id)).map(
          announcementJson,
        ),
      }),
    );

    app.get(
      '/api/v1/announcements/:id',
      {
        schema: {
          tags,
          summary: 'One announcement with its versions and approvals',
          params: IdParams,
          response: { 200: AnnouncementSchema, ...ErrorResponses },
        },
      },
      async (request) =>
        announcementJson(await getAnnouncement(ctx, requireUser(request), request.params.id)),
    );

    app.post(
      '/api/v1/announcements/:id/versions',
      {
        schema: {
          tags,
          summary: 'Add the next version of a draft announcement (approvals stay with their version)',
          params: IdParams,
          body: AnnouncementVersionBody,
          response: { 201: AnnouncementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const v = await addAnnouncementVersion(ctx, requireUser(request), request.params.id, request.body);
        return reply.code(201).send(announcementJson(v));
      },
    );

    app.post(
      '/api/v1/announcements/:id/approvals',
      {
        schema: {
          tags,
          summary:
            "Approve the latest version for the caller's party (owner or legal, Art 6.1); an older version is 409 ANNOUNCEMENT_VERSION_STALE",
          params: IdParams,
          body: AnnouncementApprovalBody,
          response: { 201: AnnouncementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const v = await approveAnnouncement(ctx, requireUser(request), request.params.id, request.body);
        return reply.code(201).send(announcementJson(v));
      },
    );

    app.post(
      '/api/v1/announcements/:id/publication',
      {
        schema: {
          tags,
          summary:
            "Record the publication of the latest version with its final text: both parties' approvals needed (409 ANNOUNCEMENT_NOT_APPROVED), or emergency (Art 6.2, owner or legal): the other party is told at once and owed a consultation within 24 h",
          params: IdParams,
          body: AnnouncementPublicationBody,
          response: { 200: AnnouncementSchema, ...ErrorResponses },
        },
      },
      async (request) =>
        announcementJson(
          await publishAnnouncement(ctx, requireUser(request), request.params.id, request.body),
        ),
    );
  };
}
