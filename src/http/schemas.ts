import { z } from 'zod';
import { ERROR_STATUS } from '../domain/shared/errors.js';
import { parseLocalDate } from '../domain/shared/time.js';

/** `YYYY-MM-DD` that exists in the calendar (2026-02-30 is rejected, not clamped). */
export const LocalDateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'INVALID_DATE_FORMAT' })
  .refine((s) => parseLocalDate(s) !== null, { message: 'INVALID_DATE' })
  .meta({ format: 'date', description: 'Calendar date YYYY-MM-DD (Asia/Tokyo)', example: '2026-04-01' });

export const Id = (prefix: string) =>
  z
    .string()
    .min(1)
    .max(40)
    .meta({ description: `Identifier (${prefix}_…)`, example: `${prefix}_01jz0000000000000000000000` });

/**
 * RFC 9457 problem details as `sendProblem` (src/http/problem.ts) writes them. Extension members
 * vary by code (`currentVersion` on VERSION_CONFLICT, `missing` on NOTICE_ITEMS_MISSING, …).
 */
export const Problem = z
  .looseObject({
    type: z.string().meta({ example: 'https://breachpact.dev/problems/version-conflict' }),
    title: z.string().meta({ description: 'The code' }),
    status: z.number().int(),
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    detail: z.string().meta({ description: 'messageJa or messageEn, by the user’s language' }),
    messageJa: z.string(),
    messageEn: z.string(),
    instance: z.string().meta({ description: 'The request path' }),
    errors: z
      .array(
        z.object({
          path: z.string(),
          code: z.string().optional(),
          messageJa: z.string(),
          messageEn: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Invalid fields, each with its own message' }),
    correlationId: z.string().optional().meta({ description: 'INTERNAL only: quote it to the operator' }),
    currentVersion: z
      .number()
      .int()
      .optional()
      .meta({ description: 'VERSION_CONFLICT: the current version' }),
  })
  .meta({
    description:
      'RFC 9457 problem details with a stable `code` and Japanese and English messages; ' +
      'some codes add extension members.',
  });

export const ErrorResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
} as const;

export const Role = z.enum(['owner', 'legal', 'responder', 'viewer']);
export const PartyCode = z.enum(['A', 'B']);
