import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticateApiToken, authenticateSession, toActor } from '../app/auth/sessions.js';
import type { AppContext, UserActor } from '../app/context.js';
import { AppError } from '../domain/shared/errors.js';

export const SESSION_COOKIE = 'bp_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: UserActor | null;
    authMethod: 'session' | 'token' | null;
  }
  interface FastifyContextConfig {
    /** Routes are private unless they say `public: true` (deny by default). */
    public?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for cookie-authenticated writes (OWASP: verify origin with standard headers,
 * plus Fetch Metadata): a browser always sends Origin or Sec-Fetch-Site on cross-site requests;
 * SameSite=Strict keeps the cookie off them anyway, and JSON-only bodies force a preflight.
 */
function checkSameOrigin(request: FastifyRequest, publicUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') throw new AppError('CSRF_REJECTED');
  const origin = request.headers.origin;
  if (origin) {
    // Whole origins (scheme, host and port), not hosts: http://host must not write to https://host.
    const allowed = new Set([new URL(publicUrl).origin, ownOrigin(request)]);
    if (!allowed.has(originOf(origin))) throw new AppError('CSRF_REJECTED');
  }
}

/** The serialised origin of a URL (`null` for anything that is not one). */
function originOf(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/** The origin this request was sent to (the protocol and host a trusted proxy reports, else the socket's). */
function ownOrigin(request: FastifyRequest): string | null {
  const host = request.host;
  return host ? originOf(`${request.protocol}://${host}`) : null;
}

export function requireUser(request: FastifyRequest): UserActor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

async function plugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.decorateRequest('actor', null);
  app.decorateRequest('authMethod', null);

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    const header = request.headers.authorization;
    // RFC 9110 §11.1: the scheme is case-insensitive.
    const bearer = header && /^bearer\s+(.+)$/i.exec(header);
    if (bearer) {
      const user = await authenticateApiToken(ctx, (bearer[1] as string).trim());
      if (!user) throw new AppError('UNAUTHENTICATED', { detail: 'unknown API token' });
      request.actor = toActor(user);
      request.authMethod = 'token';
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        const user = await authenticateSession(ctx, token);
        if (user) {
          request.actor = toActor(user);
          request.authMethod = 'session';
        }
      }
    }
    const isPublic = request.routeOptions.config?.public === true;
    if (!isPublic && !request.actor && request.routeOptions.url !== undefined) {
      throw new AppError('UNAUTHENTICATED');
    }
    if (request.authMethod !== 'token' && UNSAFE.has(request.method)) {
      checkSameOrigin(request, ctx.config.publicUrl);
    }
  });
}

export const authPlugin = fp(plugin, { name: 'breachpact-auth', dependencies: ['@fastify/cookie'] });
