import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { DiscoveryCorrectionSchema } from '../../../src/http/routes/discovery-corrections/schema';
import { api } from './client';
import type { Items } from './types';

/** A correction of an incident's discovery time (the server's reply schema's output type). */
export type DiscoveryCorrection = z.output<typeof DiscoveryCorrectionSchema>;

interface Target {
  id: string;
  agreementId: string;
}

const key = (incidentId: string) => ['incidents', incidentId, 'discovery-corrections'];

export function useDiscoveryCorrections(incidentId: string) {
  return useQuery({
    queryKey: key(incidentId),
    queryFn: () =>
      api<Items<DiscoveryCorrection>>(
        `/api/v1/incidents/${encodeURIComponent(incidentId)}/discovery-corrections`,
      ),
  });
}

function useRefresh(incident: Target) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['incidents', incident.id] }),
      qc.invalidateQueries({ queryKey: ['agreements', incident.agreementId] }),
    ]);
}

export function useRequestDiscoveryCorrection(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { discoveredAt: string; reason: string; idempotencyKey: string }) =>
      api<DiscoveryCorrection>(`/api/v1/incidents/${encodeURIComponent(incident.id)}/discovery-corrections`, {
        method: 'POST',
        body: { discoveredAt: v.discoveredAt, reason: v.reason },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function useDecideDiscoveryCorrection(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: {
      correctionId: string;
      decision: 'accepted' | 'rejected';
      reason?: string;
      idempotencyKey: string;
    }) =>
      api<DiscoveryCorrection>(
        `/api/v1/discovery-corrections/${encodeURIComponent(v.correctionId)}/decision`,
        {
          method: 'POST',
          body: { decision: v.decision, ...(v.reason ? { reason: v.reason } : {}) },
          idempotencyKey: v.idempotencyKey,
        },
      ),
    onSuccess: refresh,
  });
}
