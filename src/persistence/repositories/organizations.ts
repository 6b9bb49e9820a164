import type { Tx } from '../db.js';
import type { OrganizationsTable } from '../schema.js';

export interface OrganizationRecord {
  id: string;
  name: string;
  address: string;
  representative: string;
  court: string | null;
  courtDerived: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toOrganizationRecord(r: OrganizationsTable): OrganizationRecord {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    representative: r.representative,
    court: r.court,
    courtDerived: Number(r.court_derived) === 1,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function insertOrganization(tx: Tx, o: OrganizationRecord): Promise<void> {
  await tx.q
    .insertInto('organizations')
    .values({
      id: o.id,
      name: o.name,
      address: o.address,
      representative: o.representative,
      court: o.court,
      court_derived: o.courtDerived ? 1 : 0,
      version: o.version,
      created_at: o.createdAt,
      updated_at: o.updatedAt,
    })
    .execute();
}

export async function findOrganization(tx: Tx, id: string): Promise<OrganizationRecord | null> {
  const r = await tx.q.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toOrganizationRecord(r) : null;
}

export async function findOrganizations(tx: Tx, ids: readonly string[]): Promise<OrganizationRecord[]> {
  if (ids.length === 0) return [];
  const rows = await tx.q
    .selectFrom('organizations')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return rows.map(toOrganizationRecord);
}

export async function listOrganizations(tx: Tx, onlyIds?: readonly string[]): Promise<OrganizationRecord[]> {
  if (onlyIds && onlyIds.length === 0) return [];
  let q = tx.q.selectFrom('organizations').selectAll().orderBy('created_at').orderBy('id');
  if (onlyIds) q = q.where('id', 'in', [...new Set(onlyIds)]);
  return (await q.execute()).map(toOrganizationRecord);
}

/** Organisations that share a signed agreement with `orgId` (its counterparties). */
export async function counterpartyIds(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await tx.q
    .selectFrom('agreements')
    .select(['party_a_id', 'party_b_id'])
    .where((eb) => eb.or([eb('party_a_id', '=', orgId), eb('party_b_id', '=', orgId)]))
    // A draft is no agreement yet: proposing one does not open the other company's record.
    .where('signed_on', 'is not', null)
    .execute();
  return [...new Set(rows.map((r) => (r.party_a_id === orgId ? r.party_b_id : r.party_a_id)))];
}
