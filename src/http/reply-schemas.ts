import { z } from 'zod';

/**
 * Building blocks of the reply schemas that several resources share. Every reply shape is declared
 * once, as zod, beside its route (`routes/<resource>/schema.ts`); the serializers return its
 * `z.output` type, the route's `schema.response` puts it in the OpenAPI document, and the web app
 * imports the same types (`import type`, see web/src/api/types.ts). Replies are not re-validated
 * at run time (docs/ARCHITECTURE.md, hot read path): the types are the check.
 */

/** A text the API returns in both languages. */
export const Label = z.object({ ja: z.string(), en: z.string() });

/** An instant as the API writes it: ISO-8601 in UTC with milliseconds. */
export const Instant = z
  .string()
  .meta({ format: 'date-time', description: 'ISO-8601 instant in UTC', example: '2026-11-27T14:40:00.000Z' });

/** A calendar date as the API writes it (Asia/Tokyo contractual days). */
export const LocalDate = z
  .string()
  .meta({ format: 'date', description: 'Calendar date YYYY-MM-DD (Asia/Tokyo)', example: '2026-04-01' });

/** A user named in a record (the name is null once the user is gone). */
export const UserRef = z.object({ id: z.string(), name: z.string().nullable() });

/** A party (organisation) named in a record. */
export const PartyRef = z.object({ id: z.string(), name: z.string() });

/** A list reply: `{items: […]}` (DESIGN §5: one list style everywhere). */
export const itemsOf = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });
