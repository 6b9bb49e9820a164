import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { DisclosureBody, DisclosureSchema } from '../../../src/http/routes/disclosures/schema';
import { api, ApiError } from './client';
import type { Items, Problem } from './types';

/** A third-party disclosure (Art 5) in the register (the server's reply schema's output type). */
export type Disclosure = z.output<typeof DisclosureSchema>;
export type DisclosureInput = z.input<typeof DisclosureBody>;

interface Target {
  id: string;
  agreementId: string;
}

const key = (incidentId: string) => ['incidents', incidentId, 'disclosures'];

export function useDisclosures(incidentId: string) {
  return useQuery({
    queryKey: key(incidentId),
    queryFn: () => api<Items<Disclosure>>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/disclosures`),
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

export function useFileDisclosure(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { body: DisclosureInput; idempotencyKey: string }) =>
      api<Disclosure>(`/api/v1/incidents/${encodeURIComponent(incident.id)}/disclosures`, {
        method: 'POST',
        body: v.body,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function useDecideDisclosure(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: {
      disclosureId: string;
      decision: 'consented' | 'refused';
      conditions?: string;
      reason?: string;
      idempotencyKey: string;
    }) =>
      api<Disclosure>(`/api/v1/disclosures/${encodeURIComponent(v.disclosureId)}/decision`, {
        method: 'POST',
        body: {
          decision: v.decision,
          ...(v.conditions ? { conditions: v.conditions } : {}),
          ...(v.reason ? { reason: v.reason } : {}),
        },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

/** Records when the information was actually disclosed (filing party; Art 5.2 marks a late notice). */
export function useRecordDisclosed(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { disclosureId: string; disclosedAt: string; idempotencyKey: string }) =>
      api<Disclosure>(`/api/v1/disclosures/${encodeURIComponent(v.disclosureId)}/disclosed`, {
        method: 'POST',
        body: { disclosedAt: v.disclosedAt },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

/** The file name of a Content-Disposition header (RFC 6266 filename* first). */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall back to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/**
 * Builds the disclosure's ZIP package (only when consented or excepted; the server refuses
 * otherwise) and hands it to the browser as a download.
 */
export function useBuildPackage(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: async (v: { disclosureId: string }) => {
      let res: Response;
      try {
        res = await fetch(`/api/v1/disclosures/${encodeURIComponent(v.disclosureId)}/package`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', Accept: 'application/zip, application/json' },
          body: JSON.stringify({ includeIncident: true }),
        });
      } catch {
        throw new ApiError({
          status: 0,
          code: 'NETWORK_ERROR',
          messageJa: 'サーバーに接続できませんでした。通信状態を確認して、もう一度お試しください。',
          messageEn: 'Could not reach the server. Check the connection and try again.',
        });
      }
      if (!res.ok) {
        let problem: Problem = { status: res.status, code: `HTTP_${res.status}` };
        try {
          problem = { ...problem, ...((await res.json()) as Partial<Problem>) };
        } catch {
          // not JSON: keep the status
        }
        throw new ApiError(problem);
      }
      const blob = await res.blob();
      const name = dispositionFilename(res.headers.get('content-disposition'), `${v.disclosureId}.zip`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return { name, size: blob.size };
    },
    onSuccess: refresh,
  });
}
