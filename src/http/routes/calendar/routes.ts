import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  createCalendarFeed,
  listMyCalendarFeeds,
  renderCalendarFeed,
  revokeCalendarFeed,
} from '../../../app/calendar/feeds.js';
import type { AppContext } from '../../../app/context.js';
import type { CalendarFeedRecord } from '../../../persistence/repositories/calendar-feeds.js';
import { requireUser } from '../../auth.js';
import { ErrorResponses } from '../../schemas.js';
import {
  CalendarFeedList,
  CalendarFeedParams,
  CalendarFileParams,
  CreatedCalendarFeedSchema,
  ICalendarText,
  type CalendarFeedSchema,
} from './schema.js';

const json = (f: CalendarFeedRecord): z.output<typeof CalendarFeedSchema> => ({
  id: f.id,
  createdAt: f.createdAt,
  lastUsedAt: f.lastUsedAt,
});

/** Calendar feeds (issue 8, item 4): manage my secret .ics URLs; read one with its token, no session. */
export function calendarRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['calendar'];

    app.post(
      '/api/v1/calendar-feeds',
      {
        schema: {
          tags,
          summary: 'Create a secret calendar (iCalendar) URL of my organisation’s open duties; shown once',
          response: { 201: CreatedCalendarFeedSchema, ...ErrorResponses },
        },
        // Its reply holds the feed's secret URL: never stored as an idempotent replay.
        config: { storeIdempotentReplies: false },
      },
      async (request, reply) => {
        const created = await createCalendarFeed(ctx, requireUser(request));
        return reply.code(201).send({ id: created.record.id, url: created.url });
      },
    );

    app.get(
      '/api/v1/calendar-feeds',
      {
        schema: {
          tags,
          summary: 'My calendar feeds (created, last read; never the URL)',
          response: { 200: CalendarFeedList, ...ErrorResponses },
        },
      },
      async (request) => ({ items: (await listMyCalendarFeeds(ctx, requireUser(request))).map(json) }),
    );

    app.delete(
      '/api/v1/calendar-feeds/:id',
      {
        schema: {
          tags,
          summary: 'End one of my calendar feeds (its URL answers 404 at once)',
          params: CalendarFeedParams,
        },
      },
      async (request, reply) => {
        await revokeCalendarFeed(ctx, requireUser(request), request.params.id);
        return reply.code(204).send();
      },
    );

    // The token is the credential: calendar clients send no cookie, so the route is public (no
    // session, and a GET, so no CSRF check); its owner's current access decides what it lists.
    app.get(
      '/api/v1/calendar/:feedToken.ics',
      {
        schema: {
          tags,
          summary:
            'The iCalendar feed of open and overdue duties (no session: the secret URL is the credential)',
          params: CalendarFileParams,
          response: { 200: ICalendarText, ...ErrorResponses },
        },
        config: { public: true },
      },
      async (request, reply) => {
        const body = await renderCalendarFeed(ctx, request.params.feedToken);
        return reply
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('cache-control', 'private, max-age=300')
          .header('content-disposition', 'inline; filename="breachpact.ics"')
          .send(body);
      },
    );
  };
}
