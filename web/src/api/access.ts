import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { UpdateMemberBody } from '../../../src/http/routes/organizations/schema';
import type { ChangePasswordBody, ChangePasswordResponse } from '../../../src/http/routes/session/schema';
import type {
  ApiTokenList,
  CreateApiTokenBody,
  CreatedApiTokenSchema,
} from '../../../src/http/routes/tokens/schema';
import { api } from './client';
import type { User } from './types';

/** The access lifecycle (issue 7, finding 7): members' roles and states, my password, my API tokens. */

export type UpdateMemberInput = z.input<typeof UpdateMemberBody>;

const usersKey = (orgId: string) => ['organizations', orgId, 'users'];
const memberUrl = (orgId: string, userId: string) =>
  `/api/v1/organizations/${encodeURIComponent(orgId)}/users/${encodeURIComponent(userId)}`;

export function useUpdateMember(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { userId: string; input: UpdateMemberInput }) =>
      api<User>(memberUrl(orgId, v.userId), { method: 'PATCH', body: v.input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey(orgId) }),
  });
}

export function useRemoveMember(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api<void>(memberUrl(orgId, userId), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKey(orgId) }),
  });
}

export type ChangePasswordInput = z.input<typeof ChangePasswordBody>;

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: ChangePasswordInput) =>
      api<z.output<typeof ChangePasswordResponse>>('/api/v1/me/password', { method: 'POST', body: input }),
  });
}

export type ApiToken = z.output<typeof ApiTokenList>['items'][number];
export type CreateApiTokenInput = z.input<typeof CreateApiTokenBody>;
const tokensKey = ['tokens'] as const;

export function useMyTokens() {
  return useQuery({
    queryKey: tokensKey,
    queryFn: () => api<z.output<typeof ApiTokenList>>('/api/v1/tokens'),
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateApiTokenInput) =>
      api<z.output<typeof CreatedApiTokenSchema>>('/api/v1/tokens', { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: tokensKey }),
  });
}
