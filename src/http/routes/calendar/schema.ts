import { z } from 'zod';
import { Instant, itemsOf } from '../../reply-schemas.js';

export const CalendarFeedParams = z.object({ id: z.string().min(1).max(64) });

/** The secret feed token (base64url of 32 random bytes), in the .ics URL. */
export const CalendarFileParams = z.object({
  // Lenient on purpose: a malformed token is just an unknown one (404), like a revoked one.
  feedToken: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: 'The secret feed token from the URL given when the feed was created' }),
});

/** A feed as listed: never its token (only its hash is stored). */
export const CalendarFeedSchema = z
  .object({
    id: z.string(),
    createdAt: Instant,
    lastUsedAt: Instant.nullable().meta({
      description: 'Last read by a calendar (recorded at most once a minute)',
    }),
  })
  .meta({ id: 'CalendarFeed' });

export const CreatedCalendarFeedSchema = z
  .object({
    id: z.string(),
    url: z.string().meta({
      description: 'The secret iCalendar URL (…/api/v1/calendar/{feedToken}.ics), shown only in this reply',
    }),
  })
  .meta({ id: 'CreatedCalendarFeed' });

export const CalendarFeedList = itemsOf(CalendarFeedSchema);

/** The .ics body (text/calendar), documented in OPERATIONS' `content`. */
export const ICalendarText = z.string().meta({ description: 'An iCalendar (RFC 5545) stream' });
