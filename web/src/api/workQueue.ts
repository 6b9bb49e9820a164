import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { WorkQueueItemSchema } from '../../../src/http/routes/obligations/schema';
import { api } from './client';
import type { Items } from './types';

/** A row of the work queue (the server's reply schema's output type). */
export type WorkQueueItem = z.output<typeof WorkQueueItemSchema>;

/** Open and overdue duties across every agreement of the user's organisation, soonest first. */
export function useWorkQueue(owedBy: 'us' | 'them' | 'all', enabled = true) {
  return useQuery({
    queryKey: ['work-queue', owedBy],
    queryFn: () =>
      api<Items<WorkQueueItem>>(
        `/api/v1/obligations?state=open,breached${owedBy === 'all' ? '' : `&owedBy=${owedBy}`}`,
      ),
    enabled,
    refetchInterval: 60_000,
  });
}
