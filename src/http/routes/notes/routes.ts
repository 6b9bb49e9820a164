import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../app/context.js';
import { addIncidentNote, listIncidentNotes } from '../../../app/incidents/notes.js';
import type { IncidentNoteRecord } from '../../../persistence/repositories/incident-notes.js';
import { requireUser } from '../../auth.js';
import { IdParams } from '../incidents/schema.js';
import { IncidentNoteList, IncidentNoteSchema, NoteBody, type IncidentNoteJson } from './schema.js';

export function incidentNoteJson(n: IncidentNoteRecord): IncidentNoteJson {
  return {
    id: n.id,
    incidentId: n.incidentId,
    byParty: n.byParty,
    authorId: n.authorId,
    body: n.body,
    visibility: n.visibility,
    createdAt: n.createdAt,
  };
}

/** A party's notes on an incident: internal ones never reach the other company. */
export function incidentNoteRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['incidents'];

    app.post(
      '/api/v1/incidents/:id/notes',
      {
        schema: {
          tags,
          summary:
            "Write a note on the incident: party (your company's internal note) or shared (both parties read it)",
          params: IdParams,
          body: NoteBody,
          response: { 201: IncidentNoteSchema },
        },
      },
      async (request, reply) => {
        const note = await addIncidentNote(ctx, requireUser(request), request.params.id, request.body);
        return reply.code(201).send(incidentNoteJson(note));
      },
    );

    app.get(
      '/api/v1/incidents/:id/notes',
      {
        schema: {
          tags,
          summary:
            "The notes you may read: your company's (internal and shared) and the other party's shared ones",
          params: IdParams,
          response: { 200: IncidentNoteList },
        },
      },
      async (request) => ({
        items: (await listIncidentNotes(ctx, requireUser(request), request.params.id)).map(incidentNoteJson),
      }),
    );
  };
}
