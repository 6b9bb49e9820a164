import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import { buildDisclosurePackage } from '../../../app/disclosures/build-package.js';
import {
  decideDisclosure,
  fileDisclosure,
  listDisclosureRegister,
  recordDisclosure,
} from '../../../app/disclosures/disclosures.js';
import {
  DISCLOSURE_BASIS_LABELS,
  DISCLOSURE_STATE_LABELS,
  isException,
  PRIOR_NOTICE_LABELS,
} from '../../../domain/disclosure/disclosure.js';
import { contentDisposition } from '../../../documents/filename.js';
import type {
  DisclosurePackageRecord,
  DisclosureRecord,
} from '../../../persistence/repositories/disclosures.js';
import { requireUser } from '../../auth.js';
import { IdParams } from '../incidents/schema.js';
import {
  DisclosedBody,
  DisclosureBody,
  DisclosureDecisionBody,
  DisclosureList,
  DisclosureSchema,
  PackageBody,
  type DisclosureJson,
} from './schema.js';

export function disclosureJson(
  d: DisclosureRecord,
  packages: readonly DisclosurePackageRecord[] = [],
): DisclosureJson {
  return {
    id: d.id,
    incidentId: d.incidentId,
    byParty: d.byParty,
    filedBy: d.filedBy,
    recipient: d.recipient,
    purpose: d.purpose,
    scope: d.scope,
    basis: d.basis,
    basisLabel: DISCLOSURE_BASIS_LABELS[d.basis],
    basisReference: d.basisReference,
    clause: isException(d.basis) ? '5.1 proviso' : '5.1',
    state: d.state,
    stateLabel: DISCLOSURE_STATE_LABELS[d.state],
    filedAt: d.filedAt,
    counterpartyNotifiedAt: d.counterpartyNotifiedAt,
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
    conditions: d.conditions,
    decisionReason: d.decisionReason,
    disclosedAt: d.disclosedAt,
    disclosureRecordedAt: d.disclosureRecordedAt,
    disclosureRecordedBy: d.disclosureRecordedBy,
    priorNotice: d.priorNotice,
    priorNoticeLabel: d.priorNotice === null ? null : PRIOR_NOTICE_LABELS[d.priorNotice ? 'true' : 'false'],
    version: d.version,
    packages: packages
      .filter((p) => p.disclosureId === d.id)
      .map((p) => ({
        id: p.id,
        builtAt: p.builtAt,
        builtBy: p.builtBy,
        manifestSha256: p.manifestSha256,
        files: p.files,
      })),
  };
}

/** Third-party disclosures (Art 5): the consent gate, the exception's prior notice, the register, packages. */
export function disclosureRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['disclosures'];

    app.post(
      '/api/v1/incidents/:id/disclosures',
      {
        schema: {
          tags,
          summary:
            'File a third-party disclosure (Art 5.1): on consent it awaits the other party; an exception (law, court order, authority request) applies at once and the other party is told at once (Art 5.2)',
          params: IdParams,
          body: DisclosureBody,
          response: { 201: DisclosureSchema },
        },
      },
      async (request, reply) => {
        const d = await fileDisclosure(ctx, requireUser(request), request.params.id, request.body);
        return reply.code(201).send(disclosureJson(d));
      },
    );

    app.get(
      '/api/v1/incidents/:id/disclosures',
      {
        schema: {
          tags,
          summary:
            "The incident's disclosure register (both parties), oldest first, with each disclosure's packages",
          params: IdParams,
          response: { 200: DisclosureList },
        },
      },
      async (request) => {
        const r = await listDisclosureRegister(ctx, requireUser(request), request.params.id);
        return { items: r.disclosures.map((d) => disclosureJson(d, r.packages)) };
      },
    );

    app.post(
      '/api/v1/disclosures/:id/decision',
      {
        schema: {
          tags,
          summary: "The other party's legal or owner consents to or refuses a disclosure (Art 5.1); final",
          params: IdParams,
          body: DisclosureDecisionBody,
          response: { 200: DisclosureSchema },
        },
      },
      async (request) =>
        disclosureJson(await decideDisclosure(ctx, requireUser(request), request.params.id, request.body)),
    );

    app.post(
      '/api/v1/disclosures/:id/disclosed',
      {
        schema: {
          tags,
          summary:
            'Record the actual disclosure: not before consent (409 CONSENT_REQUIRED); an exception made before the other party was told is marked priorNotice: false',
          params: IdParams,
          body: DisclosedBody,
          response: { 200: DisclosureSchema },
        },
      },
      async (request) =>
        disclosureJson(
          await recordDisclosure(ctx, requireUser(request), request.params.id, {
            disclosedAt: new Date(request.body.disclosedAt).toISOString(),
          }),
        ),
    );

    app.post(
      '/api/v1/disclosures/:id/package',
      {
        schema: {
          tags,
          summary:
            'Build the ZIP for the recipient (records as JSON and text, evidence files, manifest.json with SHA-256s) — only for a consented or excepted disclosure (403 CONSENT_REQUIRED)',
          params: IdParams,
          body: PackageBody,
        },
        // The reply is a stream (not stored for Idempotency-Key replays); every build is in the audit chain.
        config: { storeIdempotentReplies: false },
      },
      async (request, reply) => {
        const built = await buildDisclosurePackage(
          ctx,
          requireUser(request),
          request.params.id,
          request.body,
        );
        return reply
          .type('application/zip')
          .header('content-disposition', contentDisposition({ ascii: built.filename, utf8: built.filename }))
          .header('breachpact-package-id', built.record.id)
          .header('breachpact-manifest-sha256', built.record.manifestSha256)
          .send(built.stream);
      },
    );
  };
}
