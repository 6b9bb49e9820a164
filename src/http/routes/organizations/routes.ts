import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../../app/context.js';
import { createOrganization } from '../../../app/organizations/create-organization.js';
import {
  getOrganization,
  listOrganizations,
  organizationDirectory,
} from '../../../app/organizations/list-organizations.js';
import { createUser } from '../../../app/users/create-user.js';
import { removeMember, updateMember } from '../../../app/users/manage-users.js';
import { listUsers } from '../../../app/users/user-profile.js';
import type { OrganizationRecord } from '../../../persistence/repositories/organizations.js';
import { requireUser } from '../../auth.js';
import { ErrorResponses } from '../../schemas.js';
import { userJson } from '../session/routes.js';
import {
  CreateOrganizationBody,
  CreateUserBody,
  CreateUserResponse,
  Directory,
  OrganizationList,
  OrganizationSchema,
  OrgParams,
  UpdateMemberBody,
  UserList,
  UserParams,
} from './schema.js';
import { UserSchema } from '../session/schema.js';

function orgJson(o: OrganizationRecord): z.output<typeof OrganizationSchema> {
  return {
    id: o.id,
    name: o.name,
    address: o.address,
    representative: o.representative,
    court: o.court,
    courtDerived: o.courtDerived,
    version: o.version,
    createdAt: o.createdAt,
  };
}

export function organizationRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['organizations'];

    app.post(
      '/api/v1/organizations',
      {
        schema: {
          tags,
          summary: 'Create an organisation (administrator)',
          body: CreateOrganizationBody,
          response: { 201: OrganizationSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const org = await createOrganization(ctx, requireUser(request), request.body);
        return reply.code(201).send(orgJson(org));
      },
    );

    app.get(
      '/api/v1/organizations',
      {
        schema: {
          tags,
          summary: 'Organisations visible to me',
          response: { 200: OrganizationList, ...ErrorResponses },
        },
      },
      async (request) => ({ items: (await listOrganizations(ctx, requireUser(request))).map(orgJson) }),
    );

    app.get(
      '/api/v1/organizations/directory',
      {
        schema: {
          tags,
          summary: 'Names of all organisations, to pick a counterparty (administrator, owners)',
          response: { 200: Directory, ...ErrorResponses },
        },
      },
      async (request) => ({ items: await organizationDirectory(ctx, requireUser(request)) }),
    );

    app.get(
      '/api/v1/organizations/:id',
      {
        schema: {
          tags,
          summary: 'One organisation',
          params: OrgParams,
          response: { 200: OrganizationSchema, ...ErrorResponses },
        },
      },
      async (request) => orgJson(await getOrganization(ctx, requireUser(request), request.params.id)),
    );

    app.get(
      '/api/v1/organizations/:id/users',
      {
        schema: {
          tags,
          summary: 'Users of an organisation',
          params: OrgParams,
          response: { 200: UserList, ...ErrorResponses },
        },
      },
      async (request) => {
        const users = await listUsers(ctx, requireUser(request), request.params.id);
        return { items: await Promise.all(users.map((u) => userJson(ctx, u))) };
      },
    );

    app.post(
      '/api/v1/organizations/:id/users',
      {
        schema: {
          tags,
          summary:
            'Add a user (administrator or the organisation owner); without a password an invitation is mailed',
          params: OrgParams,
          body: CreateUserBody,
          response: { 201: CreateUserResponse, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const result = await createUser(ctx, requireUser(request), {
          ...request.body,
          organizationId: request.params.id,
        });
        // The user's fields at the top level, like every other create; `user` kept for older clients.
        const user = await userJson(ctx, result.user);
        return reply.code(201).send({ ...user, user, invitationSent: result.invitationSent });
      },
    );

    app.patch(
      '/api/v1/organizations/:id/users/:userId',
      {
        schema: {
          tags,
          summary:
            "Change a user's role, disable or re-enable it (the owner; the administrator may only disable or re-enable)",
          params: UserParams,
          body: UpdateMemberBody,
          response: { 200: UserSchema, ...ErrorResponses },
        },
      },
      async (request) => {
        const user = await updateMember(
          ctx,
          requireUser(request),
          request.params.id,
          request.params.userId,
          request.body,
        );
        return userJson(ctx, user);
      },
    );

    app.delete(
      '/api/v1/organizations/:id/users/:userId',
      {
        schema: {
          tags,
          summary: 'Remove a user from the organisation (the owner); its sessions and API tokens end',
          params: UserParams,
        },
      },
      async (request, reply) => {
        await removeMember(ctx, requireUser(request), request.params.id, request.params.userId);
        return reply.code(204).send();
      },
    );
  };
}
