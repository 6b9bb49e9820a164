import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { enableAuditSigning } from '../app/audit/anchors.js';
import type { AppContext } from '../app/context.js';
import type { TrustProxy } from '../config/config.js';
import { AppError } from '../domain/shared/errors.js';
import { authPlugin } from './auth.js';
import { securityHeadersPlugin } from './security-headers.js';
import { idempotencyPlugin } from './idempotency.js';
import { openApiTransforms } from './openapi.js';
import { errorHandler, sendProblem } from './problem.js';
import { textCheckingValidatorCompiler } from './schemas.js';
import { agreementRoutes } from './routes/agreements/routes.js';
import { auditRoutes } from './routes/audit/routes.js';
import { demoRoutes } from './routes/demo/routes.js';
import { discoveryCorrectionRoutes } from './routes/discovery-corrections/routes.js';
import { cooperationRequestRoutes } from './routes/cooperation-requests/routes.js';
import { consultationRoutes } from './routes/consultations/routes.js';
import { evidenceRoutes } from './routes/evidence/routes.js';
import { disclosureRoutes } from './routes/disclosures/routes.js';
import { announcementRoutes } from './routes/announcements/routes.js';
import { incidentNoteRoutes } from './routes/notes/routes.js';
import { incidentRoutes } from './routes/incidents/routes.js';
import { obligationRoutes } from './routes/obligations/routes.js';
import { webhookRoutes } from './routes/webhooks/routes.js';
import { organizationRoutes } from './routes/organizations/routes.js';
import { sessionRoutes } from './routes/session/routes.js';
import { systemRoutes } from './routes/system/routes.js';
import { tokenRoutes } from './routes/tokens/routes.js';
import { calendarRoutes } from './routes/calendar/routes.js';

export interface ServerOptions {
  logger?: boolean | object;
  /** Folder of the built web app; defaults to <project>/dist/web. */
  webDir?: string | null;
}

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** TRUST_PROXY as Fastify takes it: a hop count becomes the function Fastify itself would make. */
function trustProxyOption(tp: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof tp === 'number' ? (_address, hop) => hop < tp : tp;
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  // Audit chain heads are signed as they are appended (key under DATA_DIR/keys/, made if absent).
  enableAuditSigning(ctx);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    // X-Forwarded-* are believed only from configured proxies (TRUST_PROXY); by default the
    // socket address is the client, so a forged X-Forwarded-For cannot dodge the login rate limit.
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    genReqId: () => crypto.randomUUID(),
    // One line per request is noise at the default level (a short visit printed hundreds): requests
    // are logged at debug below, warnings and errors as always.
    logController: new LogController({ disableRequestLogging: true }),
    // Errors raised before routing are problem+json too: an over-long id names no record (404);
    // a malformed URL is bad input (400).
    frameworkErrors: (error, request, reply) => {
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      void sendProblem(request, reply, new AppError(code, { detail: error.message }));
    },
  });
  // Every request part is checked for unacceptable text first (lone surrogates, control characters).
  app.setValidatorCompiler(textCheckingValidatorCompiler);
  // Responses are built from trusted, typed values (validated at the edge); their zod schemas
  // document the API (OpenAPI) but are not re-validated on every reply: plain JSON.stringify.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  // The route's pattern, not the raw URL: a calendar feed's URL carries its secret token.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
    done();
  });
  // Bodies are JSON only (a cross-site form cannot send it, see auth.ts). An empty body with a JSON
  // content type means "no body", as many clients send the header on every request; text/plain is
  // not parsed at all (415).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  const parseJson = app.getDefaultJsonParser('error', 'error'); // rejects __proto__ / constructor poisoning
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    void parseJson(request, body as string, done);
  });

  await app.register(securityHeadersPlugin, {
    options: {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'BreachPact API',
        version: '1',
        description:
          '情報漏えい事故対応協力覚書 (information-leakage incident cooperation memorandum) as an API. ' +
          'Errors are application/problem+json with a stable `code` and Japanese and English messages. ' +
          'POSTs accept Idempotency-Key; updates take If-Match with the record version.',
        // Not open source (package.json: UNLICENSED); LicenseRef- is SPDX's form for other licences.
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      // Relative: the API is served by the instance that serves this document.
      servers: [{ url: '/', description: 'This BreachPact instance' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'bp_session' },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Token from `breachpact token create --email …`',
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    // fastify-type-provider-zod's transforms, completed by ./openapi.ts: success statuses,
    // Idempotency-Key / If-Match headers and problem+json responses per operation.
    ...openApiTransforms(jsonSchemaTransform, jsonSchemaTransformObject),
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(authPlugin, { ctx });
  await app.register(idempotencyPlugin, { ctx });

  await app.register(systemRoutes(ctx));
  await app.register(sessionRoutes(ctx));
  await app.register(organizationRoutes(ctx));
  await app.register(agreementRoutes(ctx));
  await app.register(incidentRoutes(ctx));
  await app.register(discoveryCorrectionRoutes(ctx));
  await app.register(cooperationRequestRoutes(ctx));
  await app.register(consultationRoutes(ctx));
  await app.register(evidenceRoutes(ctx));
  await app.register(disclosureRoutes(ctx));
  await app.register(announcementRoutes(ctx));
  await app.register(incidentNoteRoutes(ctx));
  await app.register(obligationRoutes(ctx));
  await app.register(webhookRoutes(ctx));
  await app.register(tokenRoutes(ctx));
  await app.register(calendarRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(demoRoutes(ctx));

  const webDir = options.webDir === undefined ? path.join(projectRoot(), 'dist', 'web') : options.webDir;
  const hasWeb = webDir !== null && fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: 'index.html' });
  }
  app.setNotFoundHandler((request, reply) => {
    if (/^\/api(?:[/?]|$)/.test(request.url) || request.method !== 'GET') {
      return sendProblem(request, reply, new AppError('NOT_FOUND'));
    }
    if (hasWeb) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="ja"><meta charset="utf-8"><title>BreachPact</title>' +
          '<p>画面がまだビルドされていません。<code>npm run build</code> を実行してください。' +
          '<p>The web app is not built yet: run <code>npm run build</code>. API: <a href="/api/docs">/api/docs</a>',
      );
  });
  return app;
}
