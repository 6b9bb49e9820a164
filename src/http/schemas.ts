import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_STATUS } from '../domain/shared/errors.js';
import { parseLocalDate } from '../domain/shared/time.js';

/**
 * Dates and instants are accepted from 1900 to 2100 only (issue 7, finding 8): earlier ones have no
 * Japanese era in the document and a year-0 discovery would open duties breached long ago.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;
const yearInRange = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

/** `YYYY-MM-DD` that exists in the calendar (2026-02-30 is rejected, not clamped), 1900–2100. */
export const LocalDateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'INVALID_DATE_FORMAT' })
  .refine((s) => parseLocalDate(s) !== null, { message: 'INVALID_DATE' })
  .refine((s) => yearInRange(Number(s.slice(0, 4))), { message: 'DATE_OUT_OF_RANGE' })
  .meta({
    format: 'date',
    description: 'Calendar date YYYY-MM-DD (Asia/Tokyo), 1900–2100',
    example: '2026-04-01',
  });

/** An instant with an explicit offset (`2026-11-27T23:40:00+09:00` or `…Z`), 1900–2100; stored as UTC. */
export const InstantString = z.iso
  .datetime({ offset: true })
  // Both the year as written (at its offset) and the UTC year.
  .refine((s) => yearInRange(Number(s.slice(0, 4))) && yearInRange(new Date(s).getUTCFullYear()), {
    message: 'DATE_OUT_OF_RANGE',
  })
  .meta({ description: 'ISO-8601 instant with offset, 1900–2100', example: '2026-11-27T23:40:00+09:00' });

/**
 * Text the API accepts: well-formed UTF-16 (no lone surrogates) without control characters other
 * than tab and newline (CR only as part of CRLF). Checked for every string of every request part.
 */
export function isAcceptableText(s: string): boolean {
  // A high surrogate not followed by a low one, or a low one not preceded by a high one.
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  // eslint-disable-next-line no-control-regex
  return !loneSurrogate.test(s) && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/.test(s);
}

function checkStrings(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    if (!isAcceptableText(value)) ctx.addIssue({ code: 'custom', message: 'INVALID_CHARACTERS', path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStrings(v, [...path, i], ctx));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkStrings(v, [...path, k], ctx);
  }
}

/**
 * The route validator: every request part is first checked for unacceptable text (once, here at
 * the edge, for every route), then parsed by the route's own zod schema.
 */
export const textCheckingValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) =>
  validatorCompiler({
    ...route,
    schema: z
      .unknown()
      .superRefine((v, ctx) => checkStrings(v, [], ctx))
      .pipe(route.schema),
  });

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
