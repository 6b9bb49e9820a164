import { z } from 'zod';
import { WEBHOOK_EVENTS } from '../../../app/incidents/notify.js';
import { Instant, itemsOf } from '../../reply-schemas.js';

export const WebhookSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    createdAt: Instant,
  })
  .meta({ id: 'Webhook' });

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().meta({ description: 'The signing secret, shown only in this reply' }),
});

export const WebhookList = itemsOf(WebhookSchema);
