import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { Items, PartySide, Role } from './types';

export interface DemoResult {
  created: boolean;
  /** Shown once: the demo accounts' shared password (null when the demo was already loaded). */
  password: string | null;
  accounts: { organization: string; party: PartySide; email: string; name: string; role: Role }[];
  agreementId: string | null;
  incidentId: string | null;
}

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

export const WEBHOOK_EVENTS = [
  'incident.reported',
  'notice.sent',
  'notice.acknowledged',
  'obligation.due_soon',
  'obligation.breached',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: string;
  organizationId: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  createdAt: string;
}

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
      api<Webhook & { secret: string }>(hooks(orgId), {
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
