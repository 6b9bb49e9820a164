import { z } from 'zod';
import { Instant, itemsOf } from '../../reply-schemas.js';

export const CreateApiTokenBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export const ApiTokenParams = z.object({ id: z.string().min(1).max(64) });

/** A token as listed: never the secret (only its hash is stored). */
export const ApiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: Instant,
    lastUsedAt: Instant.nullable().meta({ description: 'Last use (recorded at most once a minute)' }),
    expiresAt: Instant.nullable().meta({ description: 'Null: the token does not expire' }),
  })
  .meta({ id: 'ApiToken' });

export const CreatedApiTokenSchema = ApiTokenSchema.extend({
  token: z.string().meta({ description: 'The secret (Authorization: Bearer …), shown only in this reply' }),
});

export const ApiTokenList = itemsOf(ApiTokenSchema);
