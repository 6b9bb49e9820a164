import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from './client';
import type { z } from 'zod';
import type { SessionResponse } from '../../../src/http/routes/session/schema';
import type { Locale, User } from './types';

/** The reply of login, GET session, PATCH me and accepting an invitation. */
type Session = z.output<typeof SessionResponse>;

export const sessionKey = ['session'] as const;

/** The signed-in user, or null when there is no session (401). */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<User | null> => {
      try {
        return (await api<Session>('/api/v1/session')).user;
      } catch (e) {
        if (isApiError(e) && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<Session>('/api/v1/session', { method: 'POST', body: input }),
    onSuccess: ({ user }) => {
      qc.clear();
      qc.setQueryData(sessionKey, user);
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/v1/session', { method: 'DELETE' }),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(sessionKey, null);
    },
  });
}

export function useUpdateLocale() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (locale: Locale) => api<Session>('/api/v1/me', { method: 'PATCH', body: { locale } }),
    onSuccess: ({ user }) => qc.setQueryData(sessionKey, user),
  });
}

/** Opt in to / out of the daily digest of open duties (9:00 Japan time). */
export function useUpdateDailyDigest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (dailyDigest: boolean) =>
      api<Session>('/api/v1/me', { method: 'PATCH', body: { dailyDigest } }),
    onSuccess: ({ user }) => qc.setQueryData(sessionKey, user),
  });
}

/** Sets the password of an invited user (the token comes from the mailed /invite/{token} link). */
export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (input: { token: string; password: string }) =>
      api<Session>('/api/v1/invitations/accept', { method: 'POST', body: input }),
  });
}
