import { z } from 'zod';
import { Role } from '../../schemas.js';
import { UserSchema } from '../session/schema.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const OrganizationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    address: z.string().meta({ description: 'Head-office address (本店所在地)' }),
    representative: z.string(),
    court: z
      .string()
      .nullable()
      .meta({ description: 'Art 13 district court (合意管轄), derived from the address or set' }),
    courtDerived: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Organization' });

export const CreateOrganizationBody = z
  .object({
    name: text(200),
    address: text(500),
    representative: text(200),
    court: z.string().trim().max(100).nullable().optional(),
  })
  .strict();

export const OrganizationList = z.object({ items: z.array(OrganizationSchema) });
export const Directory = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });

export const CreateUserBody = z
  .object({
    email: z.email().max(320),
    name: text(200),
    role: Role,
    password: z.string().min(8).max(1024).optional(),
    locale: z.enum(['ja', 'en']).optional(),
  })
  .strict();

export const CreateUserResponse = UserSchema.extend({ user: UserSchema, invitationSent: z.boolean() });
export const UserList = z.object({ items: z.array(UserSchema) });
export const OrgParams = z.object({ id: z.string().min(1).max(64) });

export const UserParams = z.object({ id: z.string().min(1).max(64), userId: z.string().min(1).max(64) });

export const UpdateMemberBody = z
  .object({
    role: Role.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, {
    message: 'role or disabled is required',
  });
