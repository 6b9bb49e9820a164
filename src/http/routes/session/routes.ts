import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { changeMyPassword } from '../../../app/auth/change-password.js';
import { login, logout, organizationNameOf } from '../../../app/auth/sessions.js';
import type { AppContext } from '../../../app/context.js';
import { acceptInvitation, updateMe } from '../../../app/users/user-profile.js';
import { findUserById, type UserRecord } from '../../../persistence/repositories/users.js';
import { requireUser, SESSION_COOKIE } from '../../auth.js';
import { ErrorResponses } from '../../schemas.js';
import {
  AcceptInvitationBody,
  ChangePasswordBody,
  ChangePasswordResponse,
  LoginBody,
  SessionResponse,
  UpdateMeBody,
  type UserSchema,
} from './schema.js';

export async function userJson(ctx: AppContext, u: UserRecord): Promise<z.output<typeof UserSchema>> {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organizationId: u.organizationId,
    organizationName: await organizationNameOf(ctx, u),
    locale: u.locale,
    isAdmin: u.isAdmin,
    /** Invited, password not set yet: cannot log in and gets no incident mail. */
    invitationPending: u.passwordHash === null,
    disabled: u.disabledAt !== null,
    dailyDigest: u.dailyDigest,
  };
}

/** Login attempts are counted per client and account (the e-mail as the login matches it). */
function loginRateLimitKey(request: FastifyRequest): string {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return `${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
}

export function sessionRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['session'];

    app.post(
      '/api/v1/session',
      {
        schema: {
          tags,
          summary: 'Log in (sets an httpOnly session cookie)',
          body: LoginBody,
          response: { 200: SessionResponse, ...ErrorResponses },
        },
        config: {
          public: true,
          rateLimit: {
            max: ctx.config.loginRateLimit,
            timeWindow: '1 minute',
            // The key reads the body, which onRequest (the plugin's default hook) has not parsed yet.
            hook: 'preValidation',
            keyGenerator: loginRateLimitKey,
          },
        },
      },
      async (request, reply) => {
        const result = await login(ctx, request.body.email, request.body.password);
        reply.setCookie(SESSION_COOKIE, result.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: ctx.config.secureCookies,
          expires: new Date(result.expiresAt),
        });
        return { user: await userJson(ctx, result.user) };
      },
    );

    app.get(
      '/api/v1/session',
      {
        schema: {
          tags,
          summary: 'The logged-in user',
          response: { 200: SessionResponse, ...ErrorResponses },
        },
      },
      async (request) => {
        const actor = requireUser(request);
        const user = (await findUserById(ctx.db, actor.userId)) as UserRecord;
        return { user: await userJson(ctx, user) };
      },
    );

    app.delete(
      '/api/v1/session',
      { schema: { tags, summary: 'Log out' }, config: { public: true } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await logout(ctx, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/me',
      {
        schema: {
          tags,
          summary: 'Me: my account and preferences (language, daily digest)',
          response: { 200: SessionResponse, ...ErrorResponses },
        },
      },
      async (request) => {
        const actor = requireUser(request);
        const user = (await findUserById(ctx.db, actor.userId)) as UserRecord;
        return { user: await userJson(ctx, user) };
      },
    );

    app.patch(
      '/api/v1/me',
      {
        schema: {
          tags,
          summary: 'Change my language (ja/en) or opt in to / out of the daily digest mail',
          body: UpdateMeBody,
          response: { 200: SessionResponse, ...ErrorResponses },
        },
      },
      async (request) => {
        const user = await updateMe(ctx, requireUser(request), request.body);
        return { user: await userJson(ctx, user) };
      },
    );

    app.post(
      '/api/v1/me/password',
      {
        schema: {
          tags,
          summary: 'Change my password (the current one is required); my other sessions end',
          body: ChangePasswordBody,
          response: { 200: ChangePasswordResponse, ...ErrorResponses },
        },
        // Guessing the current password through this route is limited like logging in.
        config: { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
      },
      async (request) => {
        const actor = requireUser(request);
        const result = await changeMyPassword(ctx, actor, {
          ...request.body,
          sessionToken: request.authMethod === 'session' ? (request.cookies[SESSION_COOKIE] ?? null) : null,
        });
        return { sessionsEnded: result.sessionsEnded };
      },
    );

    app.post(
      '/api/v1/invitations/accept',
      {
        schema: {
          tags,
          summary: 'Set the password of an invited user',
          body: AcceptInvitationBody,
          response: { 200: SessionResponse, ...ErrorResponses },
        },
        config: { public: true, rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
      },
      async (request) => {
        const user = await acceptInvitation(ctx, request.body.token, request.body.password);
        return { user: await userJson(ctx, user) };
      },
    );
  };
}
