import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  AgreementObligation,
  ContainmentAction,
  ContainmentInput,
  Incident,
  IncidentState,
  IncidentSummary,
  ItemRequest,
  Notice,
  NoticeItems,
  Obligation,
  ReportIncidentInput,
} from './incidentTypes';
import type { FactsPatch } from '../lib/incidentFacts';
import type { Items } from './types';

const agreementBase = (id: string) => `/api/v1/agreements/${encodeURIComponent(id)}`;
const incidentBase = (id: string) => `/api/v1/incidents/${encodeURIComponent(id)}`;

/** Every view that shows the incident or its agreement's lists, clocks and audit trail. */
function invalidateIncident(qc: QueryClient, incidentId: string, agreementId: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ['incidents', incidentId] }),
    qc.invalidateQueries({ queryKey: ['agreements', agreementId] }),
  ]);
}

export function useAgreementIncidents(agreementId: string, enabled = true) {
  return useQuery({
    queryKey: ['agreements', agreementId, 'incidents'],
    queryFn: () => api<Items<IncidentSummary>>(`${agreementBase(agreementId)}/incidents`),
    enabled,
  });
}

/** Unmet obligations of the agreement (open and overdue), soonest first. */
export function useAgreementObligations(agreementId: string, enabled = true) {
  return useQuery({
    queryKey: ['agreements', agreementId, 'obligations'],
    queryFn: () =>
      api<Items<AgreementObligation>>(`${agreementBase(agreementId)}/obligations?state=open,breached`),
    enabled,
    refetchInterval: 60_000,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: ['incidents', id],
    queryFn: () => api<Incident>(incidentBase(id)),
    refetchInterval: 60_000,
  });
}

export function useReportIncident(agreementId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { input: ReportIncidentInput; idempotencyKey: string }) =>
      api<Incident>(`${agreementBase(agreementId)}/incidents`, {
        method: 'POST',
        body: v.input,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: (incident) => {
      qc.setQueryData(['incidents', incident.id], incident);
      return qc.invalidateQueries({ queryKey: ['agreements', agreementId] });
    },
  });
}

/** The incident mutations share their target and what they refresh afterwards. */
interface Target {
  id: string;
  agreementId: string;
}

export function useSendNotice(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { items: NoticeItems; idempotencyKey: string }) =>
      api<Notice>(`${incidentBase(incident.id)}/notices`, {
        method: 'POST',
        body: { items: v.items },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}

export function useAcknowledgeNotice(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { noticeId: string; idempotencyKey: string }) =>
      api<Notice>(`/api/v1/notices/${encodeURIComponent(v.noticeId)}/acknowledgement`, {
        method: 'POST',
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}

export function useRequestItems(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { question: string; dueAt?: string; idempotencyKey: string }) =>
      api<ItemRequest>(`${incidentBase(incident.id)}/item-requests`, {
        method: 'POST',
        body: { question: v.question, ...(v.dueAt ? { dueAt: v.dueAt } : {}) },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}

export function useAnswerItemRequest(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { requestId: string; answer: string; idempotencyKey: string }) =>
      api<ItemRequest>(`/api/v1/item-requests/${encodeURIComponent(v.requestId)}/answer`, {
        method: 'POST',
        body: { answer: v.answer },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}

export function useRecordContainment(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { input: ContainmentInput; idempotencyKey: string }) =>
      api<ContainmentAction>(`${incidentBase(incident.id)}/containment-actions`, {
        method: 'POST',
        body: v.input,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}

/** Fills in or corrects the facts; only the changed fields, guarded by the incident's version (If-Match). */
export function useUpdateIncident(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { patch: FactsPatch; version: number }) =>
      api<Incident>(incidentBase(incident.id), { method: 'PATCH', body: v.patch, version: v.version }),
    onSuccess: (updated) => {
      qc.setQueryData(['incidents', incident.id], updated);
      return invalidateIncident(qc, incident.id, incident.agreementId);
    },
  });
}

/** A state change, guarded by the incident's version (If-Match). */
export function useTransitionIncident(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { to: IncidentState; reason?: string; version: number; idempotencyKey: string }) =>
      api<Incident>(`${incidentBase(incident.id)}/transitions`, {
        method: 'POST',
        body: { to: v.to, ...(v.reason ? { reason: v.reason } : {}) },
        version: v.version,
        idempotencyKey: v.idempotencyKey,
      }),
    onSettled: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}

export function useWaiveObligation(incident: Target) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { obligationId: string; reason: string; idempotencyKey: string }) =>
      api<Obligation>(`/api/v1/obligations/${encodeURIComponent(v.obligationId)}/waiver`, {
        method: 'POST',
        body: { reason: v.reason },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => invalidateIncident(qc, incident.id, incident.agreementId),
  });
}
