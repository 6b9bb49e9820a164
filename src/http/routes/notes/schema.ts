import { z } from 'zod';
import { Instant, itemsOf } from '../../reply-schemas.js';
import { PartyCode } from '../../schemas.js';

export const NoteBody = z
  .object({
    body: z.string().trim().min(1).max(20000).meta({ description: 'The note (メモ)' }),
    visibility: z.enum(['party', 'shared']).meta({
      description:
        "party: your company's internal note, never shown to the other company; shared: both parties read it",
    }),
  })
  .strict();

/** A party's note on an incident (社内メモ / 共有メモ). */
export const IncidentNoteSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  byParty: PartyCode,
  authorId: z.string().nullable(),
  body: z.string(),
  visibility: z.enum(['party', 'shared']),
  createdAt: Instant,
});
export type IncidentNoteJson = z.output<typeof IncidentNoteSchema>;

export const IncidentNoteList = itemsOf(IncidentNoteSchema);
