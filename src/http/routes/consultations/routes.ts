import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import {
  addConsultationMessage,
  confirmConsultationOutcome,
  consultationMinutes,
  getConsultation,
  listConsultations,
  openConsultation,
  proposeConsultationOutcome,
  type ConsultationView,
} from '../../../app/consultations/consultations.js';
import { contentDisposition } from '../../../documents/filename.js';
import { requireUser } from '../../auth.js';
import { IdParams } from '../incidents/schema.js';
import {
  ConsultationBody,
  ConsultationConfirmationBody,
  ConsultationList,
  ConsultationMessageBody,
  ConsultationOutcomeBody,
  ConsultationSchema,
  type ConsultationJson,
} from './schema.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function consultationJson(c: ConsultationView): ConsultationJson {
  return {
    id: c.id,
    agreementId: c.agreementId,
    incidentId: c.incidentId,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    subjectLabel: c.subjectLabel,
    topic: c.topic,
    openedByParty: c.openedByParty,
    openedBy: c.openedBy,
    openedAt: c.openedAt,
    state: c.state,
    outcome: c.outcome,
    outcomeByParty: c.outcomeByParty,
    outcomeAt: c.outcomeAt,
    agreedBy: c.agreedBy,
    agreedAt: c.agreedAt,
    version: c.version,
    messages: c.messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      byParty: m.byParty,
      byUser: m.byUser,
      body: m.body,
      createdAt: m.createdAt,
    })),
  };
}

/** Art 12 consultations between the parties, with their minutes. */
export function consultationRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['consultations'];

    app.post(
      '/api/v1/consultations',
      {
        schema: {
          tags,
          summary: 'Open a consultation (Art 12) about an incident or one of its records',
          body: ConsultationBody,
          response: { 201: ConsultationSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(consultationJson(await openConsultation(ctx, requireUser(request), request.body))),
    );

    app.get(
      '/api/v1/consultations/:id',
      {
        schema: {
          tags,
          summary: 'A consultation with its messages, proposals and confirmation',
          params: IdParams,
          response: { 200: ConsultationSchema },
        },
      },
      async (request) =>
        consultationJson(await getConsultation(ctx, requireUser(request), request.params.id)),
    );

    app.get(
      '/api/v1/incidents/:id/consultations',
      {
        schema: {
          tags,
          summary: 'Consultations of the incident (about it or its records), oldest first',
          params: IdParams,
          response: { 200: ConsultationList },
        },
      },
      async (request) => ({
        items: (await listConsultations(ctx, requireUser(request), request.params.id)).map(consultationJson),
      }),
    );

    app.post(
      '/api/v1/consultations/:id/messages',
      {
        schema: {
          tags,
          summary: 'Write in a consultation',
          params: IdParams,
          body: ConsultationMessageBody,
          response: { 201: ConsultationSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            consultationJson(
              await addConsultationMessage(ctx, requireUser(request), request.params.id, request.body.body),
            ),
          ),
    );

    app.post(
      '/api/v1/consultations/:id/outcome',
      {
        schema: {
          tags,
          summary: 'Propose the agreed outcome (owner or legal); the other party confirms it',
          params: IdParams,
          body: ConsultationOutcomeBody,
          response: { 200: ConsultationSchema },
        },
      },
      async (request) =>
        consultationJson(
          await proposeConsultationOutcome(ctx, requireUser(request), request.params.id, request.body.text),
        ),
    );

    app.post(
      '/api/v1/consultations/:id/confirmation',
      {
        schema: {
          tags,
          summary: "The other party's owner or legal confirms the proposed outcome: agreed",
          params: IdParams,
          body: ConsultationConfirmationBody,
          response: { 200: ConsultationSchema },
        },
      },
      async (request) =>
        consultationJson(await confirmConsultationOutcome(ctx, requireUser(request), request.params.id)),
    );

    app.get(
      '/api/v1/consultations/:id/minutes.docx',
      {
        schema: {
          tags,
          summary: 'The minutes (協議記録) as DOCX',
          params: IdParams,
        },
      },
      async (request, reply) => {
        const m = await consultationMinutes(ctx, requireUser(request), request.params.id);
        return reply
          .type(DOCX)
          .header('content-disposition', contentDisposition(m.filename, 'attachment'))
          .send(m.body);
      },
    );
  };
}
