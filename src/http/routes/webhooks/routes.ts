import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../app/context.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../app/incidents/notify.js';
import {
  createWebhook,
  listOrganizationWebhooks,
  removeWebhook,
} from '../../../app/webhooks/manage-webhooks.js';
import { maskUrlCredentials } from '../../../app/webhooks/target-policy.js';
import type { WebhookRecord } from '../../../persistence/repositories/webhooks.js';
import { requireUser } from '../../auth.js';
import { CreatedWebhookSchema, WebhookList, type WebhookSchema } from './schema.js';

const CreateWebhookBody = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  })
  .strict();

const Params = z.object({ id: z.string().min(1).max(64) });
const HookParams = z.object({ id: z.string().min(1).max(64), webhookId: z.string().min(1).max(64) });

const json = (h: WebhookRecord): z.output<typeof WebhookSchema> => ({
  id: h.id,
  organizationId: h.organizationId,
  // Credentials embedded in the URL (user:pass@) are used for delivery but never shown back.
  url: maskUrlCredentials(h.url),
  // Stored as validated by CreateWebhookBody (the same list).
  events: h.events as WebhookEvent[],
  active: h.active,
  createdAt: h.createdAt,
});

export function webhookRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['webhooks'];

    app.post(
      '/api/v1/organizations/:id/webhooks',
      {
        schema: {
          tags,
          summary:
            'Register a webhook (owner). Bodies are signed: BreachPact-Signature: t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>"); the secret is shown once',
          params: Params,
          body: CreateWebhookBody,
          response: { 201: CreatedWebhookSchema },
        },
      },
      async (request, reply) => {
        const hook = await createWebhook(ctx, requireUser(request), request.params.id, request.body);
        return reply.code(201).send({ ...json(hook), secret: hook.secret });
      },
    );

    app.get(
      '/api/v1/organizations/:id/webhooks',
      {
        schema: {
          tags,
          summary: "The organisation's webhooks (secrets are not shown again)",
          params: Params,
          response: { 200: WebhookList },
        },
      },
      async (request) => ({
        items: (await listOrganizationWebhooks(ctx, requireUser(request), request.params.id)).map(json),
      }),
    );

    app.delete(
      '/api/v1/organizations/:id/webhooks/:webhookId',
      { schema: { tags, summary: 'Remove a webhook', params: HookParams } },
      async (request, reply) => {
        await removeWebhook(ctx, requireUser(request), request.params.id, request.params.webhookId);
        return reply.code(204).send();
      },
    );
  };
}
