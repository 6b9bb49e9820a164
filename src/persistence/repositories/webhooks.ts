import type { Tx } from '../db.js';

export interface WebhookRecord {
  id: string;
  organizationId: string;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  createdBy: string | null;
  createdAt: string;
}

export async function insertWebhook(tx: Tx, w: WebhookRecord): Promise<void> {
  await tx.q
    .insertInto('webhooks')
    .values({
      id: w.id,
      organization_id: w.organizationId,
      url: w.url,
      events: JSON.stringify(w.events),
      secret: w.secret,
      active: w.active ? 1 : 0,
      created_by: w.createdBy,
      created_at: w.createdAt,
    })
    .execute();
}

export async function listWebhooks(tx: Tx, organizationIds: readonly string[]): Promise<WebhookRecord[]> {
  if (organizationIds.length === 0) return [];
  const rows = await tx.q
    .selectFrom('webhooks')
    .selectAll()
    .where('organization_id', 'in', [...organizationIds])
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    secret: r.secret,
    active: Number(r.active) === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function deleteWebhook(tx: Tx, id: string, organizationId: string): Promise<boolean> {
  const res = await tx.q
    .deleteFrom('webhooks')
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

export async function findWebhook(tx: Tx, id: string): Promise<WebhookRecord | null> {
  return (await listWebhooksByIds(tx, [id]))[0] ?? null;
}

async function listWebhooksByIds(tx: Tx, ids: string[]): Promise<WebhookRecord[]> {
  const rows = await tx.q.selectFrom('webhooks').selectAll().where('id', 'in', ids).execute();
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    url: r.url,
    events: JSON.parse(r.events) as string[],
    secret: r.secret,
    active: Number(r.active) === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}
