import { AppError } from '../../domain/shared/errors.js';
import {
  counterpartyIds,
  findOrganization,
  listOrganizations as listOrganizationRows,
  type OrganizationRecord,
} from '../../persistence/repositories/organizations.js';
import { requireOrganizationAccess } from '../access.js';
import type { Actor, AppContext } from '../context.js';

/** The administrator sees every organisation; a user its own and its counterparties'. */
export async function listOrganizations(ctx: AppContext, actor: Actor): Promise<OrganizationRecord[]> {
  if (actor.kind === 'system' || actor.isAdmin) return listOrganizationRows(ctx.db);
  if (!actor.organizationId) return [];
  const ids = [actor.organizationId, ...(await counterpartyIds(ctx.db, actor.organizationId))];
  return listOrganizationRows(ctx.db, ids);
}

export async function getOrganization(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<OrganizationRecord> {
  const visible = await listOrganizations(ctx, actor);
  const found = visible.find((o) => o.id === id) ?? null;
  if (!found) throw new AppError('ORGANIZATION_NOT_FOUND');
  return found;
}

/** Names and ids only, for choosing a counterparty when creating an agreement. */
export async function organizationDirectory(
  ctx: AppContext,
  actor: Actor,
): Promise<Array<{ id: string; name: string }>> {
  requireOrganizationAccess(actor, 'organization.directory', null);
  return (await listOrganizationRows(ctx.db)).map((o) => ({ id: o.id, name: o.name }));
}

export async function requireOrganizationExists(ctx: AppContext, id: string): Promise<OrganizationRecord> {
  const org = await findOrganization(ctx.db, id);
  if (!org) throw new AppError('ORGANIZATION_NOT_FOUND');
  return org;
}
