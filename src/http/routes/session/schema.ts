import { z } from 'zod';

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['owner', 'legal', 'responder', 'viewer', 'admin']),
    organizationId: z.string().nullable(),
    organizationName: z.string().nullable(),
    locale: z.enum(['ja', 'en']),
    isAdmin: z.boolean(),
    invitationPending: z.boolean().meta({ description: 'Invited; no password set yet' }),
    disabled: z
      .boolean()
      .meta({ description: 'Disabled by an owner or the administrator: no login, sessions and tokens 401' }),
    dailyDigest: z.boolean().meta({
      description: 'Gets the daily digest of open duties at 9:00 Japan time (opt-out; default true)',
    }),
  })
  .meta({ id: 'User' });

export const LoginBody = z
  .object({
    email: z.string().min(1).max(320),
    password: z.string().min(1).max(1024),
  })
  .strict();

export const SessionResponse = z.object({ user: UserSchema });

export const UpdateMeBody = z
  .object({
    locale: z.enum(['ja', 'en']).optional(),
    dailyDigest: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.locale !== undefined || b.dailyDigest !== undefined, {
    message: 'locale or dailyDigest is required',
  });

export const AcceptInvitationBody = z
  .object({ token: z.string().min(10).max(200), password: z.string().min(8).max(1024) })
  .strict();

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(8).max(1024) })
  .strict();

export const ChangePasswordResponse = z.object({
  sessionsEnded: z.number().int().meta({ description: 'How many other sessions of the user were ended' }),
});
