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
  isActiveOwner,
  listActiveOwners,
  lockUsersOfOrganization,
  normalizeEmail,
  type Locale,
  type Role,
  type UserRecord,
} from '../../persistence/repositories/users.js';
import { requireMembershipAccess } from '../access.js';
import { recordAudit } from '../audit.js';
import { hashPassword, hashToken } from '../auth/secrets.js';
import type { Actor, AppContext } from '../context.js';
import { addressInUseMail } from '../mail/account-mails.js';
import { invitationMail } from '../mail/templates.js';
import { mailOwners } from './manage-users.js';

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
  if (actor.kind === 'user' && !actor.isAdmin && actor.organizationId !== input.organizationId) {
    throw new AppError('ORGANIZATION_NOT_FOUND');
  }
  const org = await findOrganization(ctx.db, input.organizationId);
  if (!org) throw new AppError('ORGANIZATION_NOT_FOUND');
  // The administrator adds users only to an organisation without an active owner (its first owner);
  // after that the owner alone manages them (issue 7, finding 2b). Checked again in the transaction.
  requireMembershipAccess(actor, 'user.create', org.id, (await listActiveOwners(ctx.db, org.id)).length > 0);
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
    disabledAt: null,
    removedAt: null,
    dailyDigest: true,
  };
  const existing = await findUserByEmail(ctx.db, user.email);
  if (existing) return addressTaken(ctx, actor, user, existing, org.name, now);
  try {
    await inTransaction(ctx.db, async (tx) => {
      await lockUsersOfOrganization(tx, org.id);
      const owners = await listActiveOwners(tx, org.id);
      requireMembershipAccess(actor, 'user.create', org.id, owners.length > 0);
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
      // Every change of membership is told to the organisation's owners (the new one included).
      const ownersAfter = isActiveOwner(user) ? [...owners, user] : owners;
      await mailOwners(
        tx,
        actor,
        org,
        ownersAfter,
        user,
        [{ kind: 'added', role: user.role }],
        'created',
        now,
      );
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const raced = await findUserByEmail(ctx.db, user.email);
    if (!raced) throw new AppError('EMAIL_TAKEN');
    return addressTaken(ctx, actor, user, raced, org.name, now);
  }
  return { user, invitationSent: !passwordHash };
}

/**
 * The address is already a user's. The administrator, who sees every user, and an owner adding
 * someone already in its own organisation get 409 EMAIL_TAKEN. An owner must not learn that the
 * address belongs to another company (e-mail enumeration, issue 7 finding 10): it gets the same
 * 201 as for a new address, nothing is created, the address's holder is told by mail, and the
 * attempt is recorded on the instance chain for the operator.
 */
async function addressTaken(
  ctx: AppContext,
  actor: Actor,
  wanted: UserRecord,
  existing: UserRecord,
  organizationName: string,
  now: string,
): Promise<CreateUserResult> {
  if (actor.kind === 'system' || actor.isAdmin || existing.organizationId === wanted.organizationId) {
    throw new AppError('EMAIL_TAKEN');
  }
  await inTransaction(ctx.db, async (tx) => {
    await enqueueOutbox(
      tx,
      {
        kind: 'mail',
        dedupeKey: `address-in-use:${existing.id}:${wanted.id}`,
        payload: addressInUseMail({
          to: existing.email,
          name: existing.name,
          organizationName,
          locale: existing.locale,
        }),
      },
      now,
    );
    await recordAudit(tx, actor, now, {
      chain: INSTANCE_CHAIN,
      action: 'user.creation_refused',
      recordType: 'user',
      recordId: existing.id,
      payload: { organizationId: wanted.organizationId, reason: 'email_in_other_organization' },
    });
  });
  // What a new user would have looked like; it is not stored.
  return { user: wanted, invitationSent: wanted.passwordHash === null };
}
