import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { createMyApiToken, listMyApiTokens, revokeApiToken } from '../../../app/auth/api-tokens.js';
import type { AppContext } from '../../../app/context.js';
import type { ApiTokenRecord } from '../../../persistence/repositories/credentials.js';
import { requireUser } from '../../auth.js';
import { ErrorResponses } from '../../schemas.js';
import {
  ApiTokenList,
  ApiTokenParams,
  CreateApiTokenBody,
  CreatedApiTokenSchema,
  type ApiTokenSchema,
} from './schema.js';

const json = (t: ApiTokenRecord): z.output<typeof ApiTokenSchema> => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt,
  lastUsedAt: t.lastUsedAt,
  expiresAt: t.expiresAt,
});

/** A user's own API tokens (issue 7, finding 7). */
export function tokenRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['tokens'];

    app.post(
      '/api/v1/tokens',
      {
        schema: {
          tags,
          summary: 'Create an API token for myself; the secret is shown once',
          body: CreateApiTokenBody,
          response: { 201: CreatedApiTokenSchema, ...ErrorResponses },
        },
        // The reply holds the secret: it is never kept in the idempotency table (tokens are stored
        // hashed only). A retry makes a second token; the unused one can be revoked.
        config: { storeIdempotentReplies: false },
      },
      async (request, reply) => {
        const created = await createMyApiToken(ctx, requireUser(request), request.body);
        return reply.code(201).send({ ...json(created.record), token: created.token });
      },
    );

    app.get(
      '/api/v1/tokens',
      {
        schema: {
          tags,
          summary: 'My API tokens (name, created, last used, expiry; never the secret)',
          response: { 200: ApiTokenList, ...ErrorResponses },
        },
      },
      async (request) => ({ items: (await listMyApiTokens(ctx, requireUser(request))).map(json) }),
    );

    app.delete(
      '/api/v1/tokens/:id',
      {
        schema: {
          tags,
          summary: 'Revoke one of my API tokens (it answers 401 at once)',
          params: ApiTokenParams,
        },
      },
      async (request, reply) => {
        await revokeApiToken(ctx, requireUser(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
