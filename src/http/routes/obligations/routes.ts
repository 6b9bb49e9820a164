import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import { acknowledgeNotice } from '../../../app/incidents/send-notice.js';
import { obligationJson } from '../../../app/incidents/obligations.js';
import { agreementObligations, getIncident } from '../../../app/incidents/queries.js';
import { waiveObligation } from '../../../app/incidents/waive-obligation.js';
import { loadNoticeFor } from '../../../app/incidents/load.js';
import { requireUser } from '../../auth.js';
import {
  AcknowledgementSchema,
  IdParams,
  NoticeSchema,
  ObligationListQuery,
  WaiverBody,
} from '../incidents/schema.js';
import { noticeJson } from '../incidents/serialize.js';
import { itemsOf } from '../../reply-schemas.js';
import {
  AgreementObligationSchema,
  ObligationSchema,
  WorkQueueItemSchema,
  WorkQueueQuery,
  WorkQueueSummaryQuery,
  WorkQueueSummarySchema,
  type ObligationReply,
  type WorkQueueItemReply,
  type WorkQueueSummaryReply,
} from './schema.js';
import { workQueue } from '../../../app/obligations/work-queue.js';
import { workQueueSummary } from '../../../app/obligations/summary.js';

/**
 * obligationJson lives in src/app (which may not import http), so the check that it answers the
 * declared shape is made here: it is assignable to ObligationReply and adds no field of its own.
 */
type ObligationJsonOut = ReturnType<typeof obligationJson>;
const _obligationJsonFits: ObligationJsonOut extends ObligationReply
  ? Exclude<keyof ObligationJsonOut, keyof ObligationReply> extends never
    ? true
    : never
  : never = true;
void _obligationJsonFits;

export function obligationRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const nowMs = () => ctx.clock.now().epochMilliseconds;

    app.get(
      '/api/v1/notices/:id',
      {
        schema: {
          tags: ['notices'],
          summary: 'One notice',
          params: IdParams,
          response: { 200: NoticeSchema },
        },
      },
      async (request) => {
        const { notice } = await loadNoticeFor(
          ctx.db,
          requireUser(request),
          request.params.id,
          'incident.read',
        );
        const view = await getIncident(ctx, requireUser(request), notice.incidentId);
        return noticeJson(view.notices.find((n) => n.id === notice.id) ?? notice);
      },
    );

    app.post(
      '/api/v1/notices/:id/acknowledgement',
      {
        schema: {
          tags: ['notices'],
          summary: 'The counterparty acknowledges receipt (idempotent: the first acknowledgement stands)',
          params: IdParams,
          response: { 200: AcknowledgementSchema, 201: AcknowledgementSchema },
        },
      },
      async (request, reply) => {
        const { notice, alreadyAcknowledged } = await acknowledgeNotice(
          ctx,
          requireUser(request),
          request.params.id,
        );
        const view = await getIncident(ctx, requireUser(request), notice.incidentId);
        const full = view.notices.find((n) => n.id === notice.id) ?? notice;
        return reply.code(alreadyAcknowledged ? 200 : 201).send({ ...noticeJson(full), alreadyAcknowledged });
      },
    );

    app.get(
      '/api/v1/agreements/:id/obligations',
      {
        schema: {
          tags: ['obligations'],
          summary:
            "Obligations across the agreement's incidents, soonest first (default state=open; state=a,b or all)",
          params: IdParams,
          querystring: ObligationListQuery,
          response: { 200: itemsOf(AgreementObligationSchema) },
        },
      },
      async (request) => {
        const now = nowMs();
        const rows = await agreementObligations(
          ctx,
          requireUser(request),
          request.params.id,
          request.query.state,
        );
        return {
          items: rows.map(({ obligation, incident }) => ({
            ...obligationJson(obligation, now),
            incident: { id: incident.id, title: incident.title, state: incident.state },
          })),
        };
      },
    );

    app.get(
      '/api/v1/obligations',
      {
        schema: {
          tags: ['obligations'],
          operationId: 'listWorkQueue',
          summary:
            "The work queue (対応状況): the caller's obligations across all its agreements, soonest first (owedBy=us|them, state=open,breached by default, agreementId, dueBefore, clause)",
          querystring: WorkQueueQuery,
          response: { 200: itemsOf(WorkQueueItemSchema) },
        },
      },
      async (request) => {
        const now = nowMs();
        const q = request.query;
        const rows = await workQueue(ctx, requireUser(request), {
          owedBy: q.owedBy,
          states: q.state,
          agreementId: q.agreementId,
          dueBeforeMs: q.dueBefore === undefined ? undefined : Date.parse(q.dueBefore),
          clause: q.clause,
        });
        return {
          items: rows.map(({ obligation, incident, agreement }): WorkQueueItemReply => ({
            ...obligationJson(obligation, now),
            incident: { id: incident.id, title: incident.title, state: incident.state },
            owedByUs: obligation.owedBy === agreement.myParty,
            agreement,
          })),
        };
      },
    );

    app.get(
      '/api/v1/obligations/summary',
      {
        schema: {
          tags: ['obligations'],
          summary:
            "The navigation's count: the caller's own duties overdue and due within 24 hours (optionally on one agreement)",
          querystring: WorkQueueSummaryQuery,
          response: { 200: WorkQueueSummarySchema },
        },
      },
      async (request): Promise<WorkQueueSummaryReply> =>
        workQueueSummary(ctx, requireUser(request), request.query.agreementId),
    );

    app.post(
      '/api/v1/obligations/:id/waiver',
      {
        schema: {
          tags: ['obligations'],
          summary: 'The party owed a duty waives it, with a reason',
          params: IdParams,
          body: WaiverBody,
          response: { 200: ObligationSchema },
        },
      },
      async (request) => {
        const o = await waiveObligation(ctx, requireUser(request), request.params.id, request.body.reason);
        return obligationJson(o, nowMs());
      },
    );
  };
}
