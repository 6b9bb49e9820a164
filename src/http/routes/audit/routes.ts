import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agreementReceipts,
  auditPublicKey,
  runFullVerification,
  verifyReceipts,
} from '../../../app/audit/anchors.js';
import { agreementTimestamps } from '../../../app/audit/timestamps.js';
import type { AppContext } from '../../../app/context.js';
import { AppError } from '../../../domain/shared/errors.js';
import { requireUser } from '../../auth.js';
import {
  AuditPublicKeySchema,
  ReceiptFileSchema,
  ReceiptsBody,
  ReceiptsQuery,
  ReceiptsVerificationSchema,
  TimestampFileSchema,
  VerificationRunSchema,
} from './schema.js';

const Params = z.object({ id: z.string().min(1).max(64) });

/** The audit chains' anchors outside the database (issue 7, findings 4 and 9). */
export function auditRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['audit'];

    app.get(
      '/api/v1/audit/public-key',
      {
        schema: {
          tags,
          summary:
            "The instance's Ed25519 public key that signs audit chain heads and receipts (not secret: compare its fingerprint with the one you were given)",
          response: { 200: AuditPublicKeySchema },
        },
        config: { public: true },
      },
      async () => auditPublicKey(ctx),
    );

    app.get(
      '/api/v1/agreements/:id/audit-receipts',
      {
        schema: {
          tags,
          summary:
            "The signed head receipts of the agreement's audit chain, for the parties to keep (?download=true: as a file)",
          params: Params,
          querystring: ReceiptsQuery,
          response: { 200: ReceiptFileSchema },
        },
      },
      async (request, reply) => {
        const file = await agreementReceipts(ctx, requireUser(request), request.params.id);
        if (request.query.download === 'true') {
          void reply.header(
            'content-disposition',
            `attachment; filename="breachpact-audit-receipts-${file.agreementId}.json"`,
          );
        }
        return file;
      },
    );

    app.get(
      '/api/v1/agreements/:id/audit-timestamps',
      {
        schema: {
          tags,
          summary:
            "The RFC 3161 time-stamps of the agreement's audit chain heads with their tokens (AUDIT_TSA_URL), for the parties to keep (?download=true: as a file)",
          params: Params,
          querystring: ReceiptsQuery,
          response: { 200: TimestampFileSchema },
        },
      },
      async (request, reply) => {
        const file = await agreementTimestamps(ctx, requireUser(request), request.params.id);
        if (request.query.download === 'true') {
          void reply.header(
            'content-disposition',
            `attachment; filename="breachpact-audit-timestamps-${file.agreementId}.json"`,
          );
        }
        return file;
      },
    );

    app.post(
      '/api/v1/audit/receipts/verification',
      {
        schema: {
          tags,
          summary:
            'Check the database against receipts you kept (the downloaded file as is): each signature must verify and the stored event at (chain, seq) must have the hash; the first mismatch is named',
          body: ReceiptsBody,
          response: { 200: ReceiptsVerificationSchema },
        },
      },
      async (request) => verifyReceipts(ctx, requireUser(request), request.body.receipts),
    );

    app.post(
      '/api/v1/audit/verifications',
      {
        schema: {
          tags,
          summary:
            'Run a full verification of every audit chain now (administrator): recompute every hash, check every signed head and checkpoint; recorded and shown with each chain',
          response: { 201: VerificationRunSchema },
        },
      },
      async (request, reply) => {
        const actor = requireUser(request);
        if (!actor.isAdmin) throw new AppError('FORBIDDEN');
        const { run } = await runFullVerification(ctx, 'manual');
        return reply.code(201).send({
          ...run,
          breaks: run.breaks.map((b) => ({
            chain: b.chain,
            seq: b.seq,
            eventId: b.eventId,
            reason: b.reason,
          })),
        });
      },
    );
  };
}
