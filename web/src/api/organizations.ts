import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type { z } from 'zod';
import type {
  CreateOrganizationBody,
  CreateUserBody,
  CreateUserResponse,
} from '../../../src/http/routes/organizations/schema';
import type { DirectoryEntry, Items, Organization, User } from './types';

export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations'],
    queryFn: () => api<Items<Organization>>('/api/v1/organizations'),
  });
}

/** Organisations to choose a counterparty from (admin and owners). */
export function useDirectory(enabled = true) {
  return useQuery({
    queryKey: ['organizations', 'directory'],
    queryFn: () => api<Items<DirectoryEntry>>('/api/v1/organizations/directory'),
    enabled,
  });
}

export function useOrganizationUsers(orgId: string, enabled = true) {
  return useQuery({
    queryKey: ['organizations', orgId, 'users'],
    queryFn: () => api<Items<User>>(`/api/v1/organizations/${encodeURIComponent(orgId)}/users`),
    enabled,
  });
}

/** What the server's validation accepts. */
export type CreateOrganizationInput = z.input<typeof CreateOrganizationBody>;

export function useCreateOrganization() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { input: CreateOrganizationInput; idempotencyKey: string }) =>
      api<Organization>('/api/v1/organizations', {
        method: 'POST',
        body: v.input,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['organizations'] }),
  });
}

export type AddUserInput = z.input<typeof CreateUserBody>;

export function useAddUser(orgId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { input: AddUserInput; idempotencyKey: string }) =>
      api<z.output<typeof CreateUserResponse>>(`/api/v1/organizations/${encodeURIComponent(orgId)}/users`, {
        method: 'POST',
        body: v.input,
        idempotencyKey: v.idempotencyKey,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['organizations', orgId, 'users'] }),
  });
}
