import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CooperationRequestSchema,
  CooperationResponseBody,
} from '../../../src/http/routes/cooperation-requests/schema';
import type { EvidenceSchema } from '../../../src/http/routes/evidence/schema';
import { api, ApiError } from './client';
import type { Items, Problem } from './types';

/** An Art 4.2 cooperation request and its answer (the server's reply schema's output type). */
export type CooperationRequest = z.output<typeof CooperationRequestSchema>;
export type CooperationResponse = z.input<typeof CooperationResponseBody>;
/** An evidence file (Art 4.2(7)). */
export type Evidence = z.output<typeof EvidenceSchema>;

interface Target {
  id: string;
  agreementId: string;
}

function useRefresh(incident: Target) {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['incidents', incident.id] }),
      qc.invalidateQueries({ queryKey: ['agreements', incident.agreementId] }),
    ]);
}

export function useCooperationRequests(incidentId: string) {
  return useQuery({
    queryKey: ['incidents', incidentId, 'cooperation-requests'],
    queryFn: () =>
      api<Items<CooperationRequest>>(
        `/api/v1/incidents/${encodeURIComponent(incidentId)}/cooperation-requests`,
      ),
  });
}

export function useRequestCooperation(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { category: CooperationRequest['category']; details: string; idempotencyKey: string }) =>
      api<CooperationRequest>(`/api/v1/incidents/${encodeURIComponent(incident.id)}/cooperation-requests`, {
        method: 'POST',
        body: { category: v.category, details: v.details },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function useRespondCooperation(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { requestId: string; body: CooperationResponse; idempotencyKey: string }) =>
      api<CooperationRequest>(`/api/v1/cooperation-requests/${encodeURIComponent(v.requestId)}/response`, {
        method: 'POST',
        body: v.body,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function useEvidence(incidentId: string) {
  return useQuery({
    queryKey: ['incidents', incidentId, 'evidence'],
    queryFn: () => api<Items<Evidence>>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/evidence`),
  });
}

export function useShareEvidence(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { evidenceId: string }) =>
      api<Evidence>(`/api/v1/evidence/${encodeURIComponent(v.evidenceId)}/share`, { method: 'POST' }),
    onSuccess: refresh,
  });
}

/**
 * Uploads a file as the raw body (application/octet-stream) with XMLHttpRequest, whose upload
 * events report progress (fetch has none); `onProgress` gets the fraction sent, 0..1.
 */
export function uploadEvidence(
  incidentId: string,
  file: File,
  description: string,
  onProgress: (fraction: number) => void,
): Promise<Evidence> {
  const q = new URLSearchParams({ filename: file.name });
  if (description) q.set('description', description);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/incidents/${encodeURIComponent(incidentId)}/evidence?${q.toString()}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: 'NETWORK_ERROR',
          messageJa: 'サーバーに接続できませんでした。通信状態を確認して、もう一度お試しください。',
          messageEn: 'Could not reach the server. Check the connection and try again.',
        }),
      );
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(json as Evidence);
      } else {
        const problem: Problem = {
          status: xhr.status,
          code: `HTTP_${xhr.status}`,
          ...((json ?? {}) as Partial<Problem>),
        };
        reject(new ApiError(problem));
      }
    };
    xhr.send(file);
  });
}

export function useUploadEvidence(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { file: File; description: string; onProgress: (f: number) => void }) =>
      uploadEvidence(incident.id, v.file, v.description, v.onProgress),
    onSuccess: refresh,
  });
}
