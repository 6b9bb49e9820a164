import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { z } from 'zod';
import type { DemoResultSchema } from '../../../src/http/routes/demo/schema';
import type { CreatedWebhookSchema, WebhookSchema } from '../../../src/http/routes/webhooks/schema';
import type { Items } from './types';

/** The demo load's reply; `password` is shown once (null when the demo was already loaded). */
export type DemoResult = z.output<typeof DemoResultSchema>;

/** The first-run choice: the administrator loads the demo (idempotent on the server). */
export function useLoadDemo() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { idempotencyKey: string }) =>
      api<DemoResult>('/api/v1/demo', { method: 'POST', idempotencyKey: v.idempotencyKey }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['organizations'] }),
        qc.invalidateQueries({ queryKey: ['agreements'] }),
      ]),
  });
}

export type Webhook = z.output<typeof WebhookSchema>;
export type WebhookEvent = Webhook['events'][number];
/** The events in the order the form offers them; the type checks they are exactly the server's. */
export const WEBHOOK_EVENTS = [
  'incident.reported',
  'notice.sent',
  'notice.acknowledged',
  'obligation.due_soon',
  'obligation.breached',
  'disclosure.filed',
  'disclosure.decided',
  'disclosure.disclosed',
  'announcement.published',
  'cooperation_request.created',
  'cooperation_request.answered',
  'audit.receipt',
] as const satisfies readonly WebhookEvent[];
const _allWebhookEvents: Exclude<WebhookEvent, (typeof WEBHOOK_EVENTS)[number]> extends never ? true : never =
  true;
void _allWebhookEvents;

const hooks = (orgId: string) => `/api/v1/organizations/${encodeURIComponent(orgId)}/webhooks`;

export function useWebhooks(orgId: string) {
  return useQuery({
    queryKey: ['organizations', orgId, 'webhooks'],
    queryFn: () => api<Items<Webhook>>(hooks(orgId)),
  });
}

export function useCreateWebhook(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { url: string; events: WebhookEvent[]; idempotencyKey: string }) =>
      api<z.output<typeof CreatedWebhookSchema>>(hooks(orgId), {
        method: 'POST',
        body: { url: v.url, events: v.events },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['organizations', orgId, 'webhooks'] }),
  });
}

export function useDeleteWebhook(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (webhookId: string) =>
      api<void>(`${hooks(orgId)}/${encodeURIComponent(webhookId)}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['organizations', orgId, 'webhooks'] }),
  });
}
