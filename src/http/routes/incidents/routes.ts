import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import { answerItemRequest, requestItems } from '../../../app/incidents/item-requests.js';
import { obligationJson } from '../../../app/incidents/obligations.js';
import { getIncident, incidentObligations, listAgreementIncidents } from '../../../app/incidents/queries.js';
import { listIncidentAuditEvents } from '../../../app/audit/audit-events.js';
import { auditEventsJson } from '../agreements/routes.js';
import { recordContainment } from '../../../app/incidents/record-containment.js';
import { reportIncident } from '../../../app/incidents/report-incident.js';
import { sendNotice } from '../../../app/incidents/send-notice.js';
import { transitionIncidentState, updateIncident } from '../../../app/incidents/update-incident.js';
import { NOTICE_ITEMS, NOTICE_ITEM_LABELS, type NoticeItems } from '../../../domain/incident/notice.js';
import { AppError } from '../../../domain/shared/errors.js';
import { requireUser } from '../../auth.js';
import { parseIfMatch } from '../../idempotency.js';
import {
  AnswerBody,
  ContainmentBody,
  IdParams,
  IncidentListQuery,
  ItemRequestBody,
  ReportIncidentBody,
  SendNoticeBody,
  TransitionBody,
  UpdateIncidentBody,
} from './schema.js';
import { incidentJson, incidentViewJson, itemRequestJson, noticeJson } from './serialize.js';

const utc = (s: string) => new Date(s).toISOString();
const utcOrNull = (s: string | null | undefined) =>
  s === undefined ? undefined : s === null ? null : utc(s);

/** Art 3.2: every item must be present; null (調査中) is an answer, a missing key is not. */
function completeItems(
  items: Partial<Record<(typeof NOTICE_ITEMS)[number], string | null | undefined>> | undefined,
): NoticeItems {
  const missing = NOTICE_ITEMS.filter((k) => !items || !(k in items) || items[k] === undefined);
  if (missing.length > 0) {
    throw new AppError('NOTICE_ITEMS_MISSING', {
      extras: {
        missing,
        errors: missing.map((k) => ({ path: `items.${k}` })),
        missingLabels: missing.map((k) => NOTICE_ITEM_LABELS[k]),
      },
      message: {
        ja: `第3条第2項の通知事項が不足しています: ${missing.map((k) => NOTICE_ITEM_LABELS[k].ja).join('、')}。不明な事項は null（調査中）としてください。`,
        en: `Art 3.2 notice items are missing: ${missing.join(', ')}. Send null (under investigation) for items not yet known.`,
      },
    });
  }
  return Object.fromEntries(NOTICE_ITEMS.map((k) => [k, items?.[k] ?? null])) as NoticeItems;
}

export function incidentRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['incidents'];
    const nowMs = () => ctx.clock.now().epochMilliseconds;

    app.post(
      '/api/v1/agreements/:id/incidents',
      {
        schema: {
          tags,
          summary: 'Report an incident or a suspicion of one (Art 3.1); its clocks start now',
          params: IdParams,
          body: ReportIncidentBody,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const incident = await reportIncident(ctx, requireUser(request), request.params.id, {
          ...b,
          discoveredAt: utc(b.discoveredAt),
          occurredAt: utcOrNull(b.occurredAt),
        });
        const view = await getIncident(ctx, requireUser(request), incident.id);
        reply.header('etag', `"${incident.version}"`).header('location', `/api/v1/incidents/${incident.id}`);
        return reply.code(201).send(incidentViewJson(view, nowMs()));
      },
    );

    app.get(
      '/api/v1/agreements/:id/incidents',
      {
        schema: {
          tags,
          summary: 'Incidents under an agreement (filters: state=a,b; reportingParty; kind; infoCategory)',
          params: IdParams,
          querystring: IncidentListQuery,
        },
      },
      async (request) => {
        const rows = await listAgreementIncidents(
          ctx,
          requireUser(request),
          request.params.id,
          request.query,
        );
        const now = nowMs();
        return { items: rows.map((r) => incidentJson(r.incident, r.obligations, now)) };
      },
    );

    app.get(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags,
          summary: 'An incident with its notices, requests, containment and obligations',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const view = await getIncident(ctx, requireUser(request), request.params.id);
        reply.header('etag', `"${view.incident.version}"`);
        return incidentViewJson(view, nowMs());
      },
    );

    app.patch(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags,
          summary: 'Fill in or correct the facts (If-Match required)',
          params: IdParams,
          body: UpdateIncidentBody,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const updated = await updateIncident(ctx, requireUser(request), request.params.id, {
          expectedVersion: parseIfMatch(request, true) as number,
          patch: {
            ...b,
            ...(b.discoveredAt !== undefined ? { discoveredAt: utc(b.discoveredAt) } : {}),
            ...(b.occurredAt !== undefined ? { occurredAt: utcOrNull(b.occurredAt) as string | null } : {}),
          },
        });
        const view = await getIncident(ctx, requireUser(request), updated.id);
        reply.header('etag', `"${updated.version}"`);
        return incidentViewJson(view, nowMs());
      },
    );

    app.post(
      '/api/v1/incidents/:id/transitions',
      {
        schema: {
          tags,
          summary:
            'Move the incident: suspected → confirmed → contained → recovering → closed, or dismissed (reason)',
          params: IdParams,
          body: TransitionBody,
        },
      },
      async (request, reply) => {
        const updated = await transitionIncidentState(ctx, requireUser(request), request.params.id, {
          to: request.body.to,
          reason: request.body.reason,
          expectedVersion: parseIfMatch(request, false),
        });
        const view = await getIncident(ctx, requireUser(request), updated.id);
        reply.header('etag', `"${updated.version}"`);
        return incidentViewJson(view, nowMs());
      },
    );

    app.post(
      '/api/v1/incidents/:id/notices',
      {
        schema: {
          tags: ['notices'],
          summary:
            'Send a notice (Art 3.1-3.2): six items, each text or null (調査中); first = 第一報, later = 続報',
          params: IdParams,
          body: SendNoticeBody,
        },
      },
      async (request, reply) => {
        const items = completeItems(request.body.items);
        const notice = await sendNotice(ctx, requireUser(request), request.params.id, items);
        const view = await getIncident(ctx, requireUser(request), notice.incidentId);
        const full = view.notices.find((n) => n.id === notice.id) ?? notice;
        reply.header('location', `/api/v1/notices/${notice.id}`);
        return reply.code(201).send(noticeJson(full));
      },
    );

    app.get(
      '/api/v1/incidents/:id/notices',
      {
        schema: {
          tags: ['notices'],
          summary: 'Notices of an incident with versions and diffs',
          params: IdParams,
        },
      },
      async (request) => {
        const view = await getIncident(ctx, requireUser(request), request.params.id);
        return { items: view.notices.map(noticeJson) };
      },
    );

    app.post(
      '/api/v1/incidents/:id/item-requests',
      {
        schema: {
          tags: ['notices'],
          summary: 'Ask the reporting party for further items (Art 3.2(6)); creates an obligation to answer',
          params: IdParams,
          body: ItemRequestBody,
        },
      },
      async (request, reply) => {
        const r = await requestItems(ctx, requireUser(request), request.params.id, {
          question: request.body.question,
          dueAt: request.body.dueAt ? utc(request.body.dueAt) : undefined,
        });
        return reply.code(201).send(itemRequestJson(r));
      },
    );

    app.post(
      '/api/v1/item-requests/:id/answer',
      {
        schema: {
          tags: ['notices'],
          summary: 'Answer a request for further items',
          params: IdParams,
          body: AnswerBody,
        },
      },
      async (request) =>
        itemRequestJson(
          await answerItemRequest(ctx, requireUser(request), request.params.id, request.body.answer),
        ),
    );

    app.post(
      '/api/v1/incidents/:id/containment-actions',
      {
        schema: {
          tags,
          summary: 'Record a containment measure (Art 3.3), or kind none_needed with the reason',
          params: IdParams,
          body: ContainmentBody,
        },
      },
      async (request, reply) => {
        const b = request.body;
        const rec = await recordContainment(ctx, requireUser(request), request.params.id, {
          kind: b.kind,
          description: b.description,
          takenAt: b.takenAt ? utc(b.takenAt) : undefined,
          result: b.result,
        });
        return reply.code(201).send(rec);
      },
    );

    app.get(
      '/api/v1/incidents/:id/audit-events',
      {
        schema: {
          tags,
          summary: "The incident's events from its agreement's audit chain, with the chain's verification",
          params: IdParams,
        },
      },
      async (request) => {
        const { items, verification } = await listIncidentAuditEvents(
          ctx,
          requireUser(request),
          request.params.id,
        );
        return auditEventsJson(items, verification);
      },
    );

    app.get(
      '/api/v1/incidents/:id/obligations',
      {
        schema: {
          tags: ['obligations'],
          summary: "The incident's obligations with their clocks",
          params: IdParams,
        },
      },
      async (request) => {
        const now = nowMs();
        return {
          items: (await incidentObligations(ctx, requireUser(request), request.params.id)).map((o) =>
            obligationJson(o, now),
          ),
        };
      },
    );
  };
}
