import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../app/context.js';
import { AppError } from '../domain/shared/errors.js';
import { canonicalJson } from '../domain/shared/json.js';
import { isoInstant } from '../domain/shared/time.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeIdempotencyKeys,
  releaseIdempotencyKey,
} from '../persistence/repositories/idempotency.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { userId: string; key: string } | null;
  }
  interface FastifyContextConfig {
    /** false: the route is idempotent by itself and its reply must not be stored (it holds a secret). */
    storeIdempotentReplies?: boolean;
  }
}

const HEADER = 'idempotency-key';
const KEEP_HOURS = 24;

/**
 * `Idempotency-Key` on POST: the first request's response is stored per (user, key) and replayed
 * for retries with the same body; the same key with a different body is refused (422); a retry
 * while the first is still running gets 409. Refusals (4xx) and errors (5xx) release the key, so a
 * retry runs again: they changed nothing.
 */
async function plugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.decorateRequest('idempotency', null);
  let lastPurge = 0;

  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return;
    if (key.length === 0 || key.length > 255) {
      throw new AppError('VALIDATION_FAILED', { detail: 'Idempotency-Key must be 1-255 characters' });
    }
    const nowInstant = ctx.clock.now();
    if (nowInstant.epochMilliseconds - lastPurge > 3_600_000) {
      lastPurge = nowInstant.epochMilliseconds;
      await purgeIdempotencyKeys(ctx.db, isoInstant(nowInstant.subtract({ hours: KEEP_HOURS })));
    }
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    const userId = request.actor.userId;
    const stored = await claimIdempotencyKey(ctx.db, userId, key, requestHash, isoInstant(nowInstant));
    if (!stored) {
      request.idempotency = { userId, key };
      return;
    }
    if (stored.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (stored.statusCode === null) throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    reply.header('idempotent-replayed', 'true');
    await reply
      .code(stored.statusCode)
      .type(stored.contentType ?? 'application/json')
      .send(stored.body ?? '');
    return reply;
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    // Only successes are kept. A refusal (4xx) changed nothing, and its cause may go away without
    // the request changing (an obligation met, a duty waived): a retry with the same key runs again.
    if (reply.statusCode >= 400 || typeof payload !== 'string') {
      await releaseIdempotencyKey(ctx.db, claim.userId, claim.key);
      return payload;
    }
    await completeIdempotencyKey(ctx.db, claim.userId, claim.key, {
      statusCode: reply.statusCode,
      body: payload,
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
    });
    return payload;
  };

  // Only POST routes carry the hooks, so GETs pay nothing for idempotency.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    // A route that is idempotent by itself and answers with a secret (the demo's passwords) opts
    // out, so the secret is not kept in the idempotency table for a day.
    if ((route.config as { storeIdempotentReplies?: boolean } | undefined)?.storeIdempotentReplies === false)
      return;
    const asArray = <T>(h: T | T[] | undefined): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
    route.preHandler = [...asArray(route.preHandler), preHandler] as typeof route.preHandler;
    route.onSend = [...asArray(route.onSend), onSend] as typeof route.onSend;
  });
}

export const idempotencyPlugin = fp(plugin, { name: 'breachpact-idempotency' });

/** Parses `If-Match: "3"` / `W/"3"` / `3` into a version number. */
export function parseIfMatch(request: FastifyRequest, required: boolean): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined || raw === '') {
    if (required) throw new AppError('VERSION_REQUIRED');
    return undefined;
  }
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(raw).trim());
  if (!m)
    throw new AppError('VALIDATION_FAILED', { detail: 'If-Match must be the record version, e.g. "3"' });
  return Number(m[1]);
}
