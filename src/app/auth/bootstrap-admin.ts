import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId, newSecret } from '../../domain/shared/ids.js';
import { inTransaction } from '../../persistence/db.js';
import {
  countAdmins,
  findUserByEmail,
  insertUser,
  normalizeEmail,
} from '../../persistence/repositories/users.js';
import { recordAudit } from '../audit.js';
import { nowIso, type AppContext } from '../context.js';
import { hashPassword } from './secrets.js';

export interface BootstrapResult {
  created: boolean;
  email: string | null;
  /** Only when the password was generated: shown once, never stored in clear. */
  generatedPassword: string | null;
}

/**
 * First start: creates the instance administrator from BREACHPACT_ADMIN_EMAIL/PASSWORD, or with a
 * generated password printed once. Does nothing when an administrator exists.
 */
export async function ensureAdmin(ctx: AppContext): Promise<BootstrapResult> {
  if ((await countAdmins(ctx.db)) > 0) return { created: false, email: null, generatedPassword: null };
  const email = ctx.config.admin.email ?? 'admin@localhost';
  const generated = ctx.config.admin.password ? null : newSecret(12);
  await createAdmin(ctx, {
    email,
    name: '管理者',
    password: ctx.config.admin.password ?? (generated as string),
  });
  return { created: true, email: normalizeEmail(email), generatedPassword: generated };
}

export async function createAdmin(
  ctx: AppContext,
  input: { email: string; name: string; password: string },
): Promise<{ id: string }> {
  if (await findUserByEmail(ctx.db, input.email)) throw new AppError('EMAIL_TAKEN');
  const now = nowIso(ctx);
  const id = newId('user');
  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx.db, async (tx) => {
    await insertUser(tx, {
      id,
      organizationId: null,
      email: input.email,
      name: input.name,
      role: 'admin',
      isAdmin: true,
      passwordHash,
      locale: 'ja',
      version: 1,
      createdAt: now,
      updatedAt: now,
      disabledAt: null,
      removedAt: null,
      dailyDigest: true,
    });
    await recordAudit(tx, { kind: 'system', label: 'bootstrap' }, now, {
      chain: INSTANCE_CHAIN,
      action: 'admin.created',
      recordType: 'user',
      recordId: id,
      payload: { email: normalizeEmail(input.email) },
    });
  });
  return { id };
}
