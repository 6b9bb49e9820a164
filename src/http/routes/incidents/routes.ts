import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../../app/context.js';
import { answerItemRequest, requestItems } from '../../../app/incidents/item-requests.js';
import { obligationJson } from '../../../app/incidents/obligations.js';
import {
  getIncident,
  incidentObligations,
  itemRequestUserNames,
  listAgreementIncidents,
} from '../../../app/incidents/queries.js';
import { listIncidentAuditEvents } from '../../../app/audit/audit-events.js';
import { auditEventsJson } from '../agreements/routes.js';
import { recordContainment } from '../../../app/incidents/record-containment.js';
import { reportIncident } from '../../../app/incidents/report-incident.js';
import { sendNotice } from '../../../app/incidents/send-notice.js';
import { transitionIncidentState, updateIncident } from '../../../app/incidents/update-incident.js';
import { AppError } from '../../../domain/shared/errors.js';
import type { IncidentFilters } from '../../../persistence/repositories/incidents.js';
import { requireUser } from '../../auth.js';
import { parseIfMatch } from '../../idempotency.js';
import {
  AnswerBody,
  ContainmentBody,
  ContainmentRecordSchema,
  IdParams,
  IncidentAuditEventList,
  IncidentList,
  IncidentListQuery,
  IncidentSchema,
  ItemRequestBody,
  ItemRequestSchema,
  NoticeList,
  NoticeSchema,
  ObligationList,
  ReportIncidentBody,
  SendNoticeBody,
  TransitionBody,
  UpdateIncidentBody,
} from './schema.js';
import { containmentJson, incidentJson, incidentViewJson, itemRequestJson, noticeJson } from './serialize.js';

const utc = (s: string) => new Date(s).toISOString();
const utcOrNull = (s: string | null | undefined) =>
  s === undefined ? undefined : s === null ? null : utc(s);

/**
 * The list filters with the plural aliases (`states`, `kinds`, `infoCategories`) folded into their
 * singular forms; the two spellings of one filter must not disagree.
 */
function incidentFilters(q: z.output<typeof IncidentListQuery>): IncidentFilters {
  const pick = <T>(singular: string, plural: string, a: T | undefined, b: T | undefined): T | undefined => {
    if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) {
      throw new AppError('VALIDATION_FAILED', {
        message: {
          ja: `${singular} と ${plural} に異なる値が指定されています。どちらか一方を指定してください。`,
          en: `${singular} and ${plural} disagree; give only one of them.`,
        },
        extras: { errors: [{ path: `querystring.${plural}` }] },
      });
    }
    return a ?? b;
  };
  return {
    state: pick('state', 'states', q.state, q.states),
    reportingParty: q.reportingParty,
    kind: pick('kind', 'kinds', q.kind, q.kinds),
    infoCategory: pick('infoCategory', 'infoCategories', q.infoCategory, q.infoCategories),
  };
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
          response: { 201: IncidentSchema },
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
          summary:
            'Incidents under an agreement (filters: state=a,b; reportingParty; kind; infoCategory; aliases states, kinds, infoCategories)',
          params: IdParams,
          querystring: IncidentListQuery,
          response: { 200: IncidentList },
        },
      },
      async (request) => {
        const rows = await listAgreementIncidents(
          ctx,
          requireUser(request),
          request.params.id,
          incidentFilters(request.query),
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
          response: { 200: IncidentSchema },
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
          response: { 200: IncidentSchema },
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
          response: { 200: IncidentSchema },
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
          response: { 201: NoticeSchema },
        },
      },
      async (request, reply) => {
        // The Art 3.2 completeness check runs in the use case, after access and state (403/404/409 first).
        const notice = await sendNotice(ctx, requireUser(request), request.params.id, request.body.items);
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
          response: { 200: NoticeList },
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
          response: { 201: ItemRequestSchema },
        },
      },
      async (request, reply) => {
        const r = await requestItems(ctx, requireUser(request), request.params.id, {
          question: request.body.question,
          dueAt: request.body.dueAt ? utc(request.body.dueAt) : undefined,
        });
        return reply.code(201).send(itemRequestJson(r, await itemRequestUserNames(ctx, r)));
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
          response: { 200: ItemRequestSchema },
        },
      },
      async (request) => {
        const r = await answerItemRequest(ctx, requireUser(request), request.params.id, request.body.answer);
        return itemRequestJson(r, await itemRequestUserNames(ctx, r));
      },
    );

    app.post(
      '/api/v1/incidents/:id/containment-actions',
      {
        schema: {
          tags,
          summary:
            'Record a containment measure (Art 3.3), or kind none_needed with the reason (reason, or description)',
          params: IdParams,
          body: ContainmentBody,
          response: { 201: ContainmentRecordSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const rec = await recordContainment(ctx, requireUser(request), request.params.id, {
          kind: b.kind,
          description: b.description,
          reason: b.reason,
          takenAt: b.takenAt ? utc(b.takenAt) : undefined,
          result: b.result,
        });
        return reply.code(201).send(containmentJson(rec));
      },
    );

    app.get(
      '/api/v1/incidents/:id/audit-events',
      {
        schema: {
          tags,
          summary: "The incident's events from its agreement's audit chain, with the chain's verification",
          params: IdParams,
          response: { 200: IncidentAuditEventList },
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
          response: { 200: ObligationList },
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
