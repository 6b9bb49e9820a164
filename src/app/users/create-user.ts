import { INSTANCE_CHAIN } from '../../domain/audit/chain.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId, newSecret } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction, isUniqueViolation } from '../../persistence/db.js';
import { insertInvitation } from '../../persistence/repositories/credentials.js';
import { findOrganization } from '../../persistence/repositories/organizations.js';
import { enqueueOutbox } from '../../persistence/repositories/outbox.js';
import {
  findUserByEmail,
  insertUser,
  normalizeEmail,
  type Locale,
  type Role,
  type UserRecord,
} from '../../persistence/repositories/users.js';
import { requireOrganizationAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { hashPassword, hashToken } from '../auth/secrets.js';
import type { Actor, AppContext } from '../context.js';
import { invitationMail } from '../mail/templates.js';

export type OrganizationRole = Exclude<Role, 'admin'>;

export interface CreateUserInput {
  organizationId: string;
  email: string;
  name: string;
  role: OrganizationRole;
  password?: string | undefined;
  locale?: Locale;
}

export interface CreateUserResult {
  user: UserRecord;
  invitationSent: boolean;
}

const INVITATION_DAYS = 7;

export async function createUser(
  ctx: AppContext,
  actor: Actor,
  input: CreateUserInput,
): Promise<CreateUserResult> {
  requireOrganizationAccess(actor, 'user.create', input.organizationId);
  const org = await findOrganization(ctx.db, input.organizationId);
  if (!org) throw new AppError('ORGANIZATION_NOT_FOUND');
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const user: UserRecord = {
    id: newId('user'),
    organizationId: org.id,
    email: normalizeEmail(input.email),
    name: input.name.trim(),
    role: input.role,
    isAdmin: false,
    passwordHash,
    locale: input.locale ?? 'ja',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  if (await findUserByEmail(ctx.db, user.email)) throw new AppError('EMAIL_TAKEN');
  try {
    await inTransaction(ctx.db, async (tx) => {
      await insertUser(tx, user);
      if (!passwordHash) {
        const token = newSecret();
        await insertInvitation(tx, {
          id: newId('invitation'),
          userId: user.id,
          tokenHash: hashToken(token),
          expiresAt: isoInstant(nowInstant.add({ hours: 24 * INVITATION_DAYS })),
          createdAt: now,
        });
        await enqueueOutbox(
          tx,
          {
            kind: 'mail',
            dedupeKey: `invitation:${user.id}`,
            payload: invitationMail({
              to: user.email,
              name: user.name,
              organizationName: org.name,
              link: `${ctx.config.publicUrl}/invite/${token}`,
              locale: user.locale,
              days: INVITATION_DAYS,
            }),
          },
          now,
        );
      }
      await recordAudit(tx, actor, now, {
        chain: INSTANCE_CHAIN,
        action: 'user.created',
        recordType: 'user',
        recordId: user.id,
        payload: {
          after: {
            id: user.id,
            organizationId: user.organizationId,
            email: user.email,
            name: user.name,
            role: user.role,
          },
          invited: !passwordHash,
        },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('EMAIL_TAKEN');
    throw e;
  }
  return { user, invitationSent: !passwordHash };
}
