import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { createAgreement } from '../../../app/agreements/create-agreement.js';
import { getAgreement, listAgreements } from '../../../app/agreements/get-agreement.js';
import {
  confirmMutualTermination,
  proposeMutualTermination,
  withdrawMutualTermination,
} from '../../../app/agreements/mutual-termination.js';
import { recordTerminationNotice } from '../../../app/agreements/record-termination-notice.js';
import {
  contentDisposition,
  renderAgreementDocument,
} from '../../../app/agreements/render-agreement-document.js';
import { signAgreement } from '../../../app/agreements/sign-agreement.js';
import { updateAgreementDraft } from '../../../app/agreements/update-agreement.js';
import { listAgreementAuditEvents } from '../../../app/audit/audit-events.js';
import type { AppContext } from '../../../app/context.js';
import { parseLocalDate, type LocalDate } from '../../../domain/shared/time.js';
import { requireUser } from '../../auth.js';
import { parseIfMatch } from '../../idempotency.js';
import { ErrorResponses } from '../../schemas.js';
import {
  AgreementList,
  AgreementParams,
  AgreementSchema,
  AuditEventList,
  AuditPageQuery,
  CreateAgreementBody,
  DocumentQuery,
  MutualTerminationBody,
  MutualTerminationSchema,
  OnQuery,
  SignBody,
  TerminationNoticeBody,
  TerminationNoticeResponse,
  UpdateAgreementBody,
} from './schema.js';
import { agreementBody, agreementJson, mutualTerminationJson, noticeJson } from './serialize.js';

export function auditEventsJson(
  items: Awaited<ReturnType<typeof listAgreementAuditEvents>>['items'],
  verification: Awaited<ReturnType<typeof listAgreementAuditEvents>>['verification'],
): Omit<z.output<typeof AuditEventList>, 'nextAfterSeq'> {
  return {
    items: items.map((e) => ({
      id: e.id,
      seq: e.seq,
      occurredAt: e.occurredAt,
      action: e.action,
      recordType: e.recordType,
      recordId: e.recordId,
      actor: { userId: e.actorUserId, name: e.actorName, organizationId: e.actorOrgId },
      payload: JSON.parse(e.payload) as unknown,
      prevHash: e.prevHash,
      hash: e.hash,
    })),
    verification: {
      ok: verification.ok,
      checked: verification.checked,
      firstBrokenEventId: verification.firstBrokenEventId,
      reason: verification.firstBreak?.reason ?? null,
      reasonJa: verification.reason?.ja ?? null,
      reasonEn: verification.reason?.en ?? null,
      mode: verification.mode,
      checkpointSeq: verification.checkpointSeq,
      lastFullVerification: verification.lastFull,
    },
  };
}

/** Dates are validated at the edge by the schema, so parsing cannot fail here. */
const date = (s: string): LocalDate => parseLocalDate(s) as LocalDate;

export function agreementRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['agreements'];

    app.post(
      '/api/v1/agreements',
      {
        schema: {
          tags,
          summary:
            "Create an agreement. A party's owner creates a draft the other party must sign (with signedOn: the proposed date, and the owner's party signs it). The instance administrator with signedOn records a memorandum both companies signed on paper: active at once, both owners mailed",
          body: CreateAgreementBody,
          response: { 201: AgreementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const view = await createAgreement(ctx, requireUser(request), {
          partyA: b.partyA,
          partyB: b.partyB,
          signedOn: b.signedOn ? date(b.signedOn) : null,
          ...(b.parameters ? { parameters: b.parameters } : {}),
          ...(b.dateStyle ? { dateStyle: b.dateStyle } : {}),
        });
        reply
          .header('etag', `"${view.agreement.version}"`)
          .header('location', `/api/v1/agreements/${view.agreement.id}`);
        return reply.code(201).send(agreementJson(view));
      },
    );

    app.get(
      '/api/v1/agreements',
      {
        schema: {
          tags,
          summary: 'My agreements, each with its term evaluated today (Asia/Tokyo) or ?on=',
          querystring: OnQuery,
          response: { 200: AgreementList, ...ErrorResponses },
        },
      },
      async (request) => {
        const views = await listAgreements(
          ctx,
          requireUser(request),
          request.query.on ? date(request.query.on) : null,
        );
        return { items: views.map(agreementJson) };
      },
    );

    app.get(
      '/api/v1/agreements/:id',
      {
        schema: {
          tags,
          summary: 'One agreement with its term evaluated on ?on= (default: today in Asia/Tokyo)',
          params: AgreementParams,
          querystring: OnQuery,
          response: { 200: AgreementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const view = await getAgreement(
          ctx,
          requireUser(request),
          request.params.id,
          request.query.on ? date(request.query.on) : null,
        );
        reply.header('etag', `"${view.agreement.version}"`);
        // A pre-serialised body (see agreementBody); the schema above still documents its shape.
        return reply.type('application/json; charset=utf-8').send(agreementBody(view) as never);
      },
    );

    app.patch(
      '/api/v1/agreements/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft (If-Match: the version is required)',
          params: AgreementParams,
          body: UpdateAgreementBody,
          response: { 200: AgreementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const expectedVersion = parseIfMatch(request, true) as number;
        const view = await updateAgreementDraft(ctx, requireUser(request), request.params.id, {
          expectedVersion,
          parameters: request.body.parameters,
          dateStyle: request.body.dateStyle,
        });
        reply.header('etag', `"${view.agreement.version}"`);
        return agreementJson(view);
      },
    );

    app.post(
      '/api/v1/agreements/:id/sign',
      {
        schema: {
          tags,
          summary:
            "Record the caller's party's signature on a draft (owner or legal). It takes effect when both parties have signed, on the date the draft states or else the Japan date of the later signature (If-Match optional)",
          params: AgreementParams,
          body: SignBody,
          response: { 200: AgreementSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const view = await signAgreement(ctx, requireUser(request), request.params.id, {
          signedOn: request.body.signedOn ? date(request.body.signedOn) : null,
          expectedVersion: parseIfMatch(request, false),
        });
        reply.header('etag', `"${view.agreement.version}"`);
        return agreementJson(view);
      },
    );

    app.post(
      '/api/v1/agreements/:id/termination-notices',
      {
        schema: {
          tags,
          summary:
            'Record a written notice of termination (Art 11.2), received today or earlier: on time → this term is the last; late → by the system reading it ends with the next term, or lateNoticeEffect not_effective records it without effect',
          params: AgreementParams,
          body: TerminationNoticeBody,
          response: { 201: TerminationNoticeResponse, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const r = await recordTerminationNotice(ctx, requireUser(request), request.params.id, {
          byParty: request.body.byParty,
          receivedOn: date(request.body.receivedOn),
          method: request.body.method ?? null,
          lateNoticeEffect: request.body.lateNoticeEffect ?? null,
        });
        return reply.code(201).send({
          notice: noticeJson({ ...r.notice, recordedByName: request.actor?.name ?? null }),
          onTime: r.onTime,
          effectiveEnd: r.effectiveEnd,
          lateReading: r.lateReading,
          termEnd: r.termEnd,
          deadline: r.deadline,
          messageJa: r.message.ja,
          messageEn: r.message.en,
        });
      },
    );

    app.post(
      '/api/v1/agreements/:id/mutual-termination',
      {
        schema: {
          tags,
          summary:
            "Propose ending the memorandum by mutual consent (合意解約) from effectiveOn (today or later; owner or legal of a party). It ends only once the other party's owner or legal confirms",
          params: AgreementParams,
          body: MutualTerminationBody,
          response: { 201: MutualTerminationSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const r = await proposeMutualTermination(ctx, requireUser(request), request.params.id, {
          effectiveOn: date(request.body.effectiveOn),
        });
        reply.header('etag', `"${r.agreement.version}"`);
        return reply.code(201).send(mutualTerminationJson(r.proposal));
      },
    );

    app.post(
      '/api/v1/agreements/:id/mutual-termination/confirmation',
      {
        schema: {
          tags,
          summary:
            "Confirm the other party's pending proposal of a mutual termination (owner or legal): from its effectiveOn the term is terminated and only the articles surviving under Art 11.3 apply",
          params: AgreementParams,
          response: { 200: MutualTerminationSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const r = await confirmMutualTermination(ctx, requireUser(request), request.params.id);
        reply.header('etag', `"${r.agreement.version}"`);
        return mutualTerminationJson(r.proposal);
      },
    );

    app.post(
      '/api/v1/agreements/:id/mutual-termination/withdrawal',
      {
        schema: {
          tags,
          summary: "Withdraw the caller's party's pending proposal of a mutual termination (owner or legal)",
          params: AgreementParams,
          response: { 200: MutualTerminationSchema, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const r = await withdrawMutualTermination(ctx, requireUser(request), request.params.id);
        reply.header('etag', `"${r.agreement.version}"`);
        return mutualTerminationJson(r.proposal);
      },
    );

    app.get(
      '/api/v1/agreements/:id/document',
      {
        schema: {
          tags,
          summary:
            'The memorandum as DOCX or printable HTML, parties and date filled in, with its annex (運用細則)',
          params: AgreementParams,
          querystring: DocumentQuery,
        },
      },
      async (request, reply) => {
        const doc = await renderAgreementDocument(
          ctx,
          requireUser(request),
          request.params.id,
          request.query.format,
        );
        reply
          .type(doc.contentType)
          .header(
            'content-disposition',
            contentDisposition(doc.filename, request.query.format === 'docx' ? 'attachment' : 'inline'),
          );
        if (request.query.format === 'html') {
          reply.header(
            'content-security-policy',
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          );
        }
        return reply.send(doc.body);
      },
    );

    app.get(
      '/api/v1/agreements/:id/audit-events',
      {
        schema: {
          tags,
          summary:
            "The agreement's audit events (its SHA-256 chain) and whether the chain verifies; the administrator gets the chain summary only",
          params: AgreementParams,
          querystring: AuditPageQuery,
          response: { 200: AuditEventList, ...ErrorResponses },
        },
      },
      async (request) => {
        const { items, verification, nextAfterSeq, summary } = await listAgreementAuditEvents(
          ctx,
          requireUser(request),
          request.params.id,
          request.query,
        );
        return { ...auditEventsJson(items, verification), nextAfterSeq, summary };
      },
    );
  };
}
