import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app/context.js';

export function systemRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness and database check',
          response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) },
        },
        config: { public: true },
      },
      async () => {
        await ctx.db.kysely.selectFrom('organizations').select('id').limit(1).execute();
        return { status: 'ok' as const, database: ctx.db.dialect };
      },
    );
    app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
      root.swagger(),
    );
  };
}
