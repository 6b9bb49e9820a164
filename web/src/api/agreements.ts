import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  Agreement,
  AgreementParameters,
  AuditTrail,
  CreateAgreementInput,
  DateStyle,
  IsoDate,
  Items,
  LateNoticeEffect,
  PartySide,
  TerminationNoticeMethod,
  TerminationNoticeResult,
} from './types';

const base = (id: string) => `/api/v1/agreements/${encodeURIComponent(id)}`;

export function useAgreements() {
  return useQuery({
    queryKey: ['agreements'],
    queryFn: () => api<Items<Agreement>>('/api/v1/agreements'),
  });
}

/** One agreement with its term evaluated on `on` (the server's today when absent). */
export function useAgreement(id: string, on?: IsoDate, enabled = true) {
  return useQuery({
    queryKey: ['agreements', id, { on: on ?? null }],
    queryFn: () => api<Agreement>(on ? `${base(id)}?on=${encodeURIComponent(on)}` : base(id)),
    placeholderData: keepPreviousData,
    enabled: enabled && id !== '',
  });
}

export function useAuditTrail(id: string) {
  return useQuery({
    queryKey: ['agreements', id, 'audit-events'],
    queryFn: () => api<AuditTrail>(`${base(id)}/audit-events`),
  });
}

export function useCreateAgreement() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { input: CreateAgreementInput; idempotencyKey: string }) =>
      api<Agreement>('/api/v1/agreements', {
        method: 'POST',
        body: v.input,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agreements'] }),
  });
}

export function useSignAgreement(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { signedOn?: IsoDate | undefined; idempotencyKey: string }) =>
      api<Agreement>(`${base(id)}/sign`, {
        method: 'POST',
        body: v.signedOn ? { signedOn: v.signedOn } : {},
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agreements'] }),
  });
}

export function useUpdateAgreement(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { version: number; parameters?: Partial<AgreementParameters>; dateStyle?: DateStyle }) =>
      api<Agreement>(base(id), {
        method: 'PATCH',
        body: { parameters: v.parameters, dateStyle: v.dateStyle },
        version: v.version,
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['agreements'] }),
  });
}

export function useRecordTerminationNotice(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: {
      byParty: PartySide;
      receivedOn: IsoDate;
      method?: TerminationNoticeMethod;
      lateNoticeEffect?: LateNoticeEffect;
      idempotencyKey: string;
    }) =>
      api<TerminationNoticeResult>(`${base(id)}/termination-notices`, {
        method: 'POST',
        body: {
          byParty: v.byParty,
          receivedOn: v.receivedOn,
          ...(v.method ? { method: v.method } : {}),
          ...(v.lateNoticeEffect ? { lateNoticeEffect: v.lateNoticeEffect } : {}),
        },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agreements'] }),
  });
}

export function documentUrl(id: string, format: 'docx' | 'html'): string {
  return `${base(id)}/document?format=${format}`;
}
