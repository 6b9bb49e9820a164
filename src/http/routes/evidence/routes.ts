import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import {
  evidenceCustody,
  evidenceUserNames,
  getEvidence,
  listEvidence,
  openEvidenceContent,
  shareEvidence,
  uploadEvidence,
} from '../../../app/evidence/evidence.js';
import { AppError } from '../../../domain/shared/errors.js';
import type { CustodyRecord, EvidenceRecord } from '../../../persistence/repositories/evidence.js';
import { requireUser } from '../../auth.js';
import { IdParams } from '../incidents/schema.js';
import { contentDisposition, reprDigest } from './headers.js';
import {
  CustodyList,
  EvidenceList,
  EvidenceSchema,
  UploadQuery,
  type CustodyEntryJson,
  type EvidenceJson,
} from './schema.js';

const ref = (id: string | null, names: Map<string, string>) =>
  id ? { id, name: names.get(id) ?? null } : null;

export function evidenceJson(e: EvidenceRecord, names: Map<string, string>): EvidenceJson {
  return {
    id: e.id,
    incidentId: e.incidentId,
    clause: '4.2(7)',
    party: e.party,
    filename: e.filename,
    description: e.description,
    size: e.size,
    sha256: e.sha256,
    visibility: e.visibility,
    collectedBy: ref(e.collectedBy, names),
    collectedAt: e.collectedAt,
    sharedBy: ref(e.sharedBy, names),
    sharedAt: e.sharedAt,
    version: e.version,
  };
}

function custodyJson(c: CustodyRecord, names: Map<string, string>): CustodyEntryJson {
  return {
    id: c.id,
    action: c.action,
    party: c.party,
    actor: ref(c.actorUserId, names),
    at: c.at,
    detail: c.detail,
    audit: { chain: c.auditChain, seq: c.auditSeq },
  };
}

async function oneJson(ctx: AppContext, e: EvidenceRecord): Promise<EvidenceJson> {
  return evidenceJson(e, await evidenceUserNames(ctx, [e.collectedBy, e.sharedBy]));
}

const OCTET_STREAM = /^application\/octet-stream\s*(;|$)/i;

/** Evidence of an incident (Art 4.2(7)) with its chain of custody. */
export function evidenceRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const tags = ['incidents'];

    // The upload takes the file as the raw body. Only in this scope, application/octet-stream is
    // handed through unread (the stream goes to the evidence store, never into memory); everywhere
    // else bodies stay JSON only (server.ts).
    await root.register(async (scope) => {
      scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => {
        done(null, payload);
      });
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/incidents/:id/evidence',
        {
          // Fastify does not count a stream it hands through; the store enforces the limit as the
          // bytes arrive, and a Content-Length over it is refused before reading.
          bodyLimit: ctx.config.evidenceMaxBytes,
          // The body is a stream: it cannot be hashed for Idempotency-Key before it is stored.
          config: { storeIdempotentReplies: false },
          schema: {
            tags,
            operationId: 'uploadEvidence',
            summary:
              'Upload an evidence file (the raw body); visible to the uploading party until it shares it',
            params: IdParams,
            querystring: UploadQuery,
            response: { 201: EvidenceSchema },
          },
        },
        async (request, reply) => {
          const actor = requireUser(request);
          if (!OCTET_STREAM.test(request.headers['content-type'] ?? '')) {
            throw new AppError('UNSUPPORTED_MEDIA_TYPE', {
              message: {
                ja: '証拠資料はファイルそのものを Content-Type: application/octet-stream で送ってください。',
                en: 'Send the evidence file itself as the body, with Content-Type: application/octet-stream.',
              },
            });
          }
          const raw = request.body as IncomingMessage;
          const length = request.headers['content-length'];
          try {
            const e = await uploadEvidence(ctx, actor, request.params.id, {
              filename: request.query.filename,
              description: request.query.description,
              declaredSize: length !== undefined ? Number(length) : undefined,
              // Not destroyed when the store stops reading (over the limit): the 413 still gets out.
              body: raw.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>,
            });
            reply.header('location', `/api/v1/evidence/${e.id}`).header('etag', `"${e.version}"`);
            return reply.code(201).send(await oneJson(ctx, e));
          } catch (err) {
            // The rest of a refused body is not read: the connection closes after the problem.
            if (!raw.complete) reply.header('connection', 'close');
            if (raw.destroyed && !(err instanceof AppError)) {
              throw new AppError('VALIDATION_FAILED', {
                message: { ja: 'アップロードが途中で切断されました。', en: 'The upload was cut off.' },
                detail: String(err),
              });
            }
            throw err;
          }
        },
      );
    });

    const app = root.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/v1/incidents/:id/evidence',
      {
        schema: {
          tags,
          operationId: 'listEvidence',
          summary: "Evidence files the caller may see: its party's own and those the other party shared",
          params: IdParams,
          response: { 200: EvidenceList },
        },
      },
      async (request) => {
        const items = await listEvidence(ctx, requireUser(request), request.params.id);
        const names = await evidenceUserNames(
          ctx,
          items.flatMap((e) => [e.collectedBy, e.sharedBy]),
        );
        return { items: items.map((e) => evidenceJson(e, names)) };
      },
    );

    app.get(
      '/api/v1/evidence/:id',
      {
        schema: {
          tags,
          operationId: 'getEvidence',
          summary: 'An evidence file’s metadata (name, size, SHA-256, visibility)',
          params: IdParams,
          response: { 200: EvidenceSchema },
        },
      },
      async (request, reply) => {
        const e = await getEvidence(ctx, requireUser(request), request.params.id);
        reply.header('etag', `"${e.version}"`);
        return oneJson(ctx, e);
      },
    );

    app.post(
      '/api/v1/evidence/:id/share',
      {
        schema: {
          tags,
          operationId: 'shareEvidence',
          summary:
            'The uploading party shares the file with the other party (idempotent: sharing a shared file returns it unchanged)',
          params: IdParams,
          response: { 200: EvidenceSchema },
        },
      },
      async (request, reply) => {
        const e = await shareEvidence(ctx, requireUser(request), request.params.id);
        reply.header('etag', `"${e.version}"`);
        return oneJson(ctx, e);
      },
    );

    app.get(
      '/api/v1/evidence/:id/content',
      {
        schema: {
          tags,
          operationId: 'downloadEvidence',
          summary: 'The bytes, after checking them against the SHA-256 recorded at upload (Repr-Digest)',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const { evidence, stream } = await openEvidenceContent(ctx, requireUser(request), request.params.id);
        return reply
          .header('repr-digest', reprDigest(evidence.sha256))
          .header('content-disposition', contentDisposition(evidence.filename))
          .header('content-length', evidence.size)
          .header('cache-control', 'private, no-store')
          .type('application/octet-stream')
          .send(stream);
      },
    );

    app.get(
      '/api/v1/evidence/:id/custody',
      {
        schema: {
          tags,
          operationId: 'getEvidenceCustody',
          summary: 'Chain of custody: uploaded, shared, downloaded (by whom, when), integrity failures',
          params: IdParams,
          response: { 200: CustodyList },
        },
      },
      async (request) => {
        const { evidence, entries } = await evidenceCustody(ctx, requireUser(request), request.params.id);
        const names = await evidenceUserNames(
          ctx,
          entries.map((c) => c.actorUserId),
        );
        return {
          evidenceId: evidence.id,
          sha256: evidence.sha256,
          items: entries.map((c) => custodyJson(c, names)),
        };
      },
    );
  };
}
