import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { deriveDistrictCourt } from '../../domain/organization/court.js';
import { newId } from '../../domain/shared/ids.js';
import { inTransaction } from '../../persistence/db.js';
import { insertOrganization, type OrganizationRecord } from '../../persistence/repositories/organizations.js';
import { requireOrganizationAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { nowIso, type Actor, type AppContext } from '../context.js';

export interface CreateOrganizationInput {
  name: string;
  address: string;
  representative: string;
  /** Art 13 court; derived from the head-office address when omitted. */
  court?: string | null;
}

export async function createOrganization(
  ctx: AppContext,
  actor: Actor,
  input: CreateOrganizationInput,
): Promise<OrganizationRecord> {
  requireOrganizationAccess(actor, 'organization.create', null);
  const now = nowIso(ctx);
  const explicitCourt = input.court?.trim() ? input.court.trim() : null;
  const org: OrganizationRecord = {
    id: newId('organization'),
    name: input.name.trim(),
    address: input.address.trim(),
    representative: input.representative.trim(),
    court: explicitCourt ?? deriveDistrictCourt(input.address),
    courtDerived: explicitCourt === null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return inTransaction(ctx.db, async (tx) => {
    await insertOrganization(tx, org);
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'organization.created',
      recordType: 'organization',
      recordId: org.id,
      payload: { after: org },
    });
    return org;
  });
}
