import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import {
  createCooperationRequest,
  listCooperationRequests,
  respondToCooperation,
} from '../../../app/cooperation/requests.js';
import { COOPERATION_CATEGORY_LABELS, cooperationClause } from '../../../domain/cooperation/categories.js';
import type { CooperationRequestRecord } from '../../../persistence/repositories/cooperation-requests.js';
import { requireUser } from '../../auth.js';
import { IdParams } from '../incidents/schema.js';
import {
  CooperationRequestBody,
  CooperationRequestList,
  CooperationRequestSchema,
  CooperationResponseBody,
  type CooperationRequestJson,
} from './schema.js';

const iso = (s: string) => new Date(s).toISOString();

export function cooperationRequestJson(c: CooperationRequestRecord): CooperationRequestJson {
  return {
    id: c.id,
    incidentId: c.incidentId,
    fromParty: c.fromParty,
    toParty: c.toParty,
    category: c.category,
    categoryLabel: COOPERATION_CATEGORY_LABELS[c.category],
    clause: cooperationClause(c.category),
    details: c.details,
    requestedBy: c.requestedBy,
    requestedAt: c.requestedAt,
    dueAt: c.dueAt,
    state: c.state,
    respondedAt: c.respondedAt,
    respondedBy: c.respondedBy,
    reason: c.declineReason,
    deliverBy: c.deliverBy,
    deliveredAt: c.deliveredAt,
    deliveredBy: c.deliveredBy,
    answer: c.answer,
    evidenceIds: c.evidenceIds,
    version: c.version,
  };
}

/** Art 4.2 cooperation requests between the parties and their answers. */
export function cooperationRequestRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['incidents'];

    app.post(
      '/api/v1/incidents/:id/cooperation-requests',
      {
        schema: {
          tags,
          operationId: 'createCooperationRequest',
          summary: 'Ask the other party to cooperate on one of the Art 4.2 matters (a duty 4.2(n) on it)',
          params: IdParams,
          body: CooperationRequestBody,
          response: { 201: CooperationRequestSchema },
        },
      },
      async (request, reply) => {
        const c = await createCooperationRequest(ctx, requireUser(request), request.params.id, {
          category: request.body.category,
          details: request.body.details,
          dueAt: request.body.dueAt === undefined ? undefined : iso(request.body.dueAt),
        });
        return reply.code(201).send(cooperationRequestJson(c));
      },
    );

    app.get(
      '/api/v1/incidents/:id/cooperation-requests',
      {
        schema: {
          tags,
          operationId: 'listCooperationRequests',
          summary: 'Cooperation requests of the incident (both directions), oldest first',
          params: IdParams,
          response: { 200: CooperationRequestList },
        },
      },
      async (request) => ({
        items: (await listCooperationRequests(ctx, requireUser(request), request.params.id)).map(
          cooperationRequestJson,
        ),
      }),
    );

    app.post(
      '/api/v1/cooperation-requests/:id/response',
      {
        schema: {
          tags,
          operationId: 'respondToCooperationRequest',
          summary:
            'The requested party accepts (optionally with deliverBy), declines with a reason, or delivers',
          params: IdParams,
          body: CooperationResponseBody,
          response: { 200: CooperationRequestSchema },
        },
      },
      async (request) => {
        const b = request.body;
        return cooperationRequestJson(
          await respondToCooperation(ctx, requireUser(request), request.params.id, {
            decision: b.decision,
            reason: b.reason,
            answer: b.answer,
            deliverBy: b.deliverBy === undefined ? undefined : iso(b.deliverBy),
            evidenceIds: b.evidenceIds,
          }),
        );
      },
    );
  };
}
