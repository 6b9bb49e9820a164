import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import { loadDemo } from '../../../app/demo/load-demo.js';
import { AppError } from '../../../domain/shared/errors.js';
import { requireUser } from '../../auth.js';
import { DemoResultSchema } from './schema.js';

/** The first-run choice: the administrator loads the demo from the web app. */
export function demoRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/api/v1/demo',
      {
        schema: {
          tags: ['system'],
          summary: 'Load the demo data (administrator; idempotent)',
          response: { 200: DemoResultSchema, 201: DemoResultSchema },
        },
        // Loading twice changes nothing by itself; the reply holds the demo passwords.
        config: { storeIdempotentReplies: false },
      },
      async (request, reply) => {
        const actor = requireUser(request);
        if (!actor.isAdmin) throw new AppError('FORBIDDEN');
        const result = await loadDemo(ctx, actor);
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );
  };
}
