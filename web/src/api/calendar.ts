import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CalendarFeedList, CreatedCalendarFeedSchema } from '../../../src/http/routes/calendar/schema';
import { api } from './client';

/** My calendar feeds (issue 8, item 4): secret .ics URLs of my organisation's open duties. */

export type CalendarFeed = z.output<typeof CalendarFeedList>['items'][number];
export type CreatedCalendarFeed = z.output<typeof CreatedCalendarFeedSchema>;
const feedsKey = ['calendar-feeds'] as const;

export function useMyCalendarFeeds() {
  return useQuery({
    queryKey: feedsKey,
    queryFn: () => api<z.output<typeof CalendarFeedList>>('/api/v1/calendar-feeds'),
  });
}

export function useCreateCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<CreatedCalendarFeed>('/api/v1/calendar-feeds', { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedsKey }),
  });
}

export function useRevokeCalendarFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<void>(`/api/v1/calendar-feeds/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedsKey }),
  });
}
