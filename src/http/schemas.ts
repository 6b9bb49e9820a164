import { z } from 'zod';
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

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    messageJa: z.string(),
    messageEn: z.string(),
    instance: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          code: z.string().optional(),
          messageJa: z.string(),
          messageEn: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with a stable code and ja/en messages' });

export const ErrorResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
} as const;

export const Role = z.enum(['owner', 'legal', 'responder', 'viewer']);
export const PartyCode = z.enum(['A', 'B']);
