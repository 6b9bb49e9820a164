import type { Tx } from '../db.js';
import type { UsersTable } from '../schema.js';

export type Role = 'owner' | 'legal' | 'responder' | 'viewer' | 'admin';
export type Locale = 'ja' | 'en';

export interface UserRecord {
  id: string;
  organizationId: string | null;
  email: string;
  name: string;
  role: Role;
  isAdmin: boolean;
  passwordHash: string | null;
  locale: Locale;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toUserRecord(r: UsersTable): UserRecord {
  return {
    id: r.id,
    organizationId: r.organization_id,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    isAdmin: Number(r.is_admin) === 1,
    passwordHash: r.password_hash,
    locale: r.locale === 'en' ? 'en' : 'ja',
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function insertUser(tx: Tx, u: UserRecord): Promise<void> {
  await tx.q
    .insertInto('users')
    .values({
      id: u.id,
      organization_id: u.organizationId,
      email: normalizeEmail(u.email),
      name: u.name,
      role: u.role,
      is_admin: u.isAdmin ? 1 : 0,
      password_hash: u.passwordHash,
      locale: u.locale,
      version: u.version,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
    })
    .execute();
}

export async function findUserById(tx: Tx, id: string): Promise<UserRecord | null> {
  const r = await tx.q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUserRecord(r) : null;
}

export async function findUsersByIds(tx: Tx, ids: readonly string[]): Promise<UserRecord[]> {
  if (ids.length === 0) return [];
  const rows = await tx.q
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return rows.map(toUserRecord);
}

export async function findUserByEmail(tx: Tx, email: string): Promise<UserRecord | null> {
  const r = await tx.q
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return r ? toUserRecord(r) : null;
}

export async function listUsersOfOrganization(tx: Tx, orgId: string): Promise<UserRecord[]> {
  const rows = await tx.q
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toUserRecord);
}

export async function countAdmins(tx: Tx): Promise<number> {
  const r = await tx.q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Guarded update: only applies when the stored version is `expectedVersion`. */
export async function updateUser(
  tx: Tx,
  id: string,
  expectedVersion: number,
  patch: Partial<Pick<UserRecord, 'locale' | 'name' | 'passwordHash'>>,
  now: string,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('users')
    .set({
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      version: expectedVersion + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
