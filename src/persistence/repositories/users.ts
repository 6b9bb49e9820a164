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
  /** Set while the account is disabled: no login; its sessions and API tokens answer 401. */
  disabledAt: string | null;
  /** Set once removed from its organisation; the row stays so names in audit trails resolve. */
  removedAt: string | null;
  /** Whether the user gets the daily digest of open duties at 9:00 Japan time (opt-out, 0012). */
  dailyDigest: boolean;
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
    disabledAt: r.disabled_at ?? null,
    removedAt: r.removed_at ?? null,
    dailyDigest: Number(r.daily_digest ?? 1) === 1,
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
      disabled_at: u.disabledAt,
      removed_at: u.removedAt,
      daily_digest: u.dailyDigest ? 1 : 0,
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

/** The organisation's members (removed users are kept as rows but are no longer members). */
export async function listUsersOfOrganization(tx: Tx, orgId: string): Promise<UserRecord[]> {
  const rows = await tx.q
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('removed_at', 'is', null)
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

/**
 * An active owner: role owner, not disabled, not removed, and its invitation accepted (a password
 * set). While an organisation has one, its users, roles and passwords are the owner's alone.
 */
export function isActiveOwner(u: UserRecord): boolean {
  return u.role === 'owner' && u.disabledAt === null && u.removedAt === null && u.passwordHash !== null;
}

/** The active owners of an organisation (see isActiveOwner). */
export async function listActiveOwners(tx: Tx, orgId: string): Promise<UserRecord[]> {
  const rows = await tx.q
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .where('removed_at', 'is', null)
    .where('password_hash', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map(toUserRecord);
}

/**
 * Locks the organisation's user rows (PostgreSQL `FOR UPDATE`; SQLite has one writer) so two
 * owners demoting each other at the same moment cannot both pass the last-owner check.
 */
export async function lockUsersOfOrganization(tx: Tx, orgId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.q.selectFrom('users').select('id').where('organization_id', '=', orgId).forUpdate().execute();
}

/** Guarded update: only applies when the stored version is `expectedVersion`. */
export async function updateUser(
  tx: Tx,
  id: string,
  expectedVersion: number,
  patch: Partial<
    Pick<
      UserRecord,
      'locale' | 'name' | 'passwordHash' | 'role' | 'disabledAt' | 'removedAt' | 'email' | 'dailyDigest'
    >
  >,
  now: string,
): Promise<boolean> {
  const res = await tx.q
    .updateTable('users')
    .set({
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabledAt !== undefined ? { disabled_at: patch.disabledAt } : {}),
      ...(patch.removedAt !== undefined ? { removed_at: patch.removedAt } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.dailyDigest !== undefined ? { daily_digest: patch.dailyDigest ? 1 : 0 } : {}),
      version: expectedVersion + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
