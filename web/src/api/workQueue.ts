import { useIsMutating, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { z } from 'zod';
import type {
  WorkQueueItemSchema,
  WorkQueueSummarySchema,
} from '../../../src/http/routes/obligations/schema';
import { api } from './client';
import type { Items } from './types';

/** A row of the work queue (the server's reply schema's output type). */
export type WorkQueueItem = z.output<typeof WorkQueueItemSchema>;
/** Our own duties overdue and due within 24 hours (the navigation's count). */
export type WorkQueueSummary = z.output<typeof WorkQueueSummarySchema>;

/** The work queue's filters as the URL carries them (absent = all). */
export interface WorkQueueFilters {
  owedBy?: 'us' | 'them' | undefined;
  agreementId?: string | undefined;
  clause?: string | undefined;
}

/** Everything that shows duties (the queue, its count, an agreement's next duty) starts with this key. */
export const workQueueKey = ['work-queue'] as const;

export function workQueuePath(f: WorkQueueFilters): string {
  const q = new URLSearchParams({ state: 'open,breached' });
  if (f.owedBy) q.set('owedBy', f.owedBy);
  if (f.agreementId) q.set('agreementId', f.agreementId);
  if (f.clause) q.set('clause', f.clause);
  return `/api/v1/obligations?${q.toString()}`;
}

/** Open and overdue duties across every agreement of the user's organisation, soonest first. */
export function useWorkQueue(f: WorkQueueFilters, enabled = true) {
  return useQuery({
    queryKey: [...workQueueKey, 'items', f.owedBy ?? 'all', f.agreementId ?? null, f.clause ?? null],
    queryFn: () => api<Items<WorkQueueItem>>(workQueuePath(f)),
    enabled,
    refetchInterval: 60_000,
  });
}

/**
 * The navigation's count, refreshed every minute, when the window regains focus, and after every
 * change made in this tab (a settled mutation may have met a duty).
 */
export function useWorkQueueSummary(enabled: boolean) {
  return useQuery({
    queryKey: [...workQueueKey, 'summary'],
    queryFn: () => api<WorkQueueSummary>('/api/v1/obligations/summary'),
    enabled,
    refetchInterval: 60_000,
    refetchOnWindowFocus: 'always',
    staleTime: 0,
  });
}

/** Marks every duty view stale when the last running mutation of this tab settles. */
export function useRefreshDutiesAfterChanges(): void {
  const qc = useQueryClient();
  const running = useIsMutating();
  const was = useRef(running);
  useEffect(() => {
    if (was.current > 0 && running === 0) void qc.invalidateQueries({ queryKey: workQueueKey });
    was.current = running;
  }, [running, qc]);
}
