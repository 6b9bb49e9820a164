import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import {
  decideDiscoveryCorrection,
  listDiscoveryCorrections,
  requestDiscoveryCorrection,
} from '../../../app/incidents/discovery-corrections.js';
import type { DiscoveryCorrectionRecord } from '../../../persistence/repositories/discovery-corrections.js';
import { requireUser } from '../../auth.js';
import { IdParams } from '../incidents/schema.js';
import {
  CorrectionBody,
  DecisionBody,
  DiscoveryCorrectionList,
  DiscoveryCorrectionSchema,
  type DiscoveryCorrectionJson,
} from './schema.js';

export function discoveryCorrectionJson(c: DiscoveryCorrectionRecord): DiscoveryCorrectionJson {
  return {
    id: c.id,
    incidentId: c.incidentId,
    byParty: c.byParty,
    requestedBy: c.requestedBy,
    fromDiscoveredAt: c.fromDiscoveredAt,
    toDiscoveredAt: c.toDiscoveredAt,
    reason: c.reason,
    state: c.state,
    requestedAt: c.requestedAt,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt,
    decisionReason: c.decisionReason,
  };
}

/** Corrections of an incident's discovery time (Art 3: the owing party cannot erase its own lateness). */
export function discoveryCorrectionRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['incidents'];

    app.post(
      '/api/v1/incidents/:id/discovery-corrections',
      {
        schema: {
          tags,
          operationId: 'requestDiscoveryCorrection',
          summary:
            'Correct the discovery time with a reason: earlier applies at once; later waits for the other party to accept',
          params: IdParams,
          body: CorrectionBody,
          response: { 201: DiscoveryCorrectionSchema },
        },
      },
      async (request, reply) => {
        const c = await requestDiscoveryCorrection(ctx, requireUser(request), request.params.id, {
          discoveredAt: new Date(request.body.discoveredAt).toISOString(),
          reason: request.body.reason,
        });
        return reply.code(201).send(discoveryCorrectionJson(c));
      },
    );

    app.get(
      '/api/v1/incidents/:id/discovery-corrections',
      {
        schema: {
          tags,
          operationId: 'listDiscoveryCorrections',
          summary: 'Corrections of the discovery time, oldest first',
          params: IdParams,
          response: { 200: DiscoveryCorrectionList },
        },
      },
      async (request) => ({
        items: (await listDiscoveryCorrections(ctx, requireUser(request), request.params.id)).map(
          discoveryCorrectionJson,
        ),
      }),
    );

    app.post(
      '/api/v1/discovery-corrections/:id/decision',
      {
        schema: {
          tags,
          operationId: 'decideDiscoveryCorrection',
          summary: 'The other party accepts (the clocks move) or rejects a correction moving discovery later',
          params: IdParams,
          body: DecisionBody,
          response: { 200: DiscoveryCorrectionSchema },
        },
      },
      async (request) =>
        discoveryCorrectionJson(
          await decideDiscoveryCorrection(ctx, requireUser(request), request.params.id, request.body),
        ),
    );
  };
}
