import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AnnouncementBody,
  AnnouncementPublicationBody,
  AnnouncementSchema,
} from '../../../src/http/routes/announcements/schema';
import { api } from './client';
import type { Items } from './types';

/** An announcement (Art 6) with its versions and approvals (the server's reply schema's output type). */
export type Announcement = z.output<typeof AnnouncementSchema>;
export type AnnouncementInput = z.input<typeof AnnouncementBody>;
export type PublicationInput = z.input<typeof AnnouncementPublicationBody>;

interface Target {
  id: string;
  agreementId: string;
}

const key = (incidentId: string) => ['incidents', incidentId, 'announcements'];

export function useAnnouncements(incidentId: string) {
  return useQuery({
    queryKey: key(incidentId),
    queryFn: () =>
      api<Items<Announcement>>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/announcements`),
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

export function useCreateAnnouncement(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { body: AnnouncementInput; idempotencyKey: string }) =>
      api<Announcement>(`/api/v1/incidents/${encodeURIComponent(incident.id)}/announcements`, {
        method: 'POST',
        body: v.body,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function useAddAnnouncementVersion(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { announcementId: string; title: string; body: string; idempotencyKey: string }) =>
      api<Announcement>(`/api/v1/announcements/${encodeURIComponent(v.announcementId)}/versions`, {
        method: 'POST',
        body: { title: v.title, body: v.body },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function useApproveAnnouncement(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { announcementId: string; version: number; idempotencyKey: string }) =>
      api<Announcement>(`/api/v1/announcements/${encodeURIComponent(v.announcementId)}/approvals`, {
        method: 'POST',
        body: { version: v.version },
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}

export function usePublishAnnouncement(incident: Target) {
  const refresh = useRefresh(incident);
  return useMutation({
    mutationFn: (v: { announcementId: string; body: PublicationInput; idempotencyKey: string }) =>
      api<Announcement>(`/api/v1/announcements/${encodeURIComponent(v.announcementId)}/publication`, {
        method: 'POST',
        body: v.body,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: refresh,
  });
}
