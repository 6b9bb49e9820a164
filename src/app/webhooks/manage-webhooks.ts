import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId, newSecret } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import {
  deleteWebhook,
  insertWebhook,
  listWebhooks,
  type WebhookRecord,
} from '../../persistence/repositories/webhooks.js';
import { requireOrganizationAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import type { WebhookEvent } from '../incidents/notify.js';
import { maskUrlCredentials, requireAllowedWebhookTarget, type Resolver } from './target-policy.js';

/** Webhooks belong to an organisation; its owner alone manages them (not the administrator). */
function requireWebhookAdmin(actor: Actor, organizationId: string): void {
  requireOrganizationAccess(actor, 'webhook.manage', organizationId);
}

export async function createWebhook(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
  input: { url: string; events: WebhookEvent[] },
  resolve?: Resolver,
): Promise<WebhookRecord> {
  requireWebhookAdmin(actor, organizationId);
  if (!(await findOrganization(ctx.db, organizationId))) throw new AppError('ORGANIZATION_NOT_FOUND');
  // Checked again at every delivery (DNS may change); here so a bad target is refused at once.
  await requireAllowedWebhookTarget(input.url, ctx.config.webhookTargets, resolve);
  const now = isoInstant(ctx.clock.now());
  const hook: WebhookRecord = {
    id: newId('webhook'),
    organizationId,
    url: input.url,
    events: [...new Set(input.events)],
    secret: `whsec_${newSecret()}`,
    active: true,
    createdBy: actor.kind === 'user' ? actor.userId : null,
    createdAt: now,
  };
  await inTransaction(ctx.db, async (tx) => {
    await insertWebhook(tx, hook);
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'webhook.created',
      recordType: 'webhook',
      recordId: hook.id,
      payload: { organizationId, url: maskUrlCredentials(hook.url), events: hook.events },
    });
  });
  return hook;
}

export async function listOrganizationWebhooks(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
): Promise<WebhookRecord[]> {
  requireWebhookAdmin(actor, organizationId);
  return listWebhooks(ctx.db, [organizationId]);
}

export async function removeWebhook(
  ctx: AppContext,
  actor: Actor,
  organizationId: string,
  webhookId: string,
): Promise<void> {
  requireWebhookAdmin(actor, organizationId);
  const now = isoInstant(ctx.clock.now());
  await inTransaction(ctx.db, async (tx) => {
    if (!(await deleteWebhook(tx, webhookId, organizationId))) throw new AppError('WEBHOOK_NOT_FOUND');
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'webhook.deleted',
      recordType: 'webhook',
      recordId: webhookId,
      payload: { organizationId },
    });
  });
}
