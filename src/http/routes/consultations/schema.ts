import { z } from 'zod';
import { CONSULTATION_SUBJECT_TYPES } from '../../../app/consultations/subjects.js';
import { Instant, Label, itemsOf } from '../../reply-schemas.js';
import { PartyCode } from '../../schemas.js';

export const ConsultationBody = z
  .object({
    subjectType: z.enum(CONSULTATION_SUBJECT_TYPES).meta({
      description:
        'What the consultation is about (incident, cooperation_request, disclosure, announcement …)',
    }),
    subjectId: z.string().min(1).max(60),
    topic: z.string().trim().min(1).max(500),
  })
  .strict();

export const ConsultationMessageBody = z.object({ body: z.string().trim().min(1).max(20_000) }).strict();

export const ConsultationOutcomeBody = z
  .object({ text: z.string().trim().min(1).max(20_000).meta({ description: 'The proposed agreed outcome' }) })
  .strict();

export const ConsultationConfirmationBody = z.object({}).strict();

const MessageSchema = z.object({
  id: z.string(),
  kind: z.enum(['message', 'outcome_proposed', 'outcome_confirmed']),
  byParty: PartyCode,
  byUser: z.string().nullable(),
  body: z.string(),
  createdAt: Instant,
});

/** An Art 12 consultation (協議) with its messages, proposals and confirmation in order. */
export const ConsultationSchema = z.object({
  id: z.string(),
  agreementId: z.string(),
  incidentId: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  subjectLabel: Label,
  topic: z.string(),
  openedByParty: PartyCode,
  openedBy: z.string().nullable(),
  openedAt: Instant,
  state: z.enum(['open', 'proposed', 'agreed']).meta({
    description: 'open; proposed: an outcome awaits the other party; agreed: the other party confirmed it',
  }),
  outcome: z.string().nullable(),
  outcomeByParty: PartyCode.nullable(),
  outcomeAt: Instant.nullable(),
  agreedBy: z.string().nullable(),
  agreedAt: Instant.nullable(),
  version: z.number().int(),
  messages: z.array(MessageSchema),
});
export type ConsultationJson = z.output<typeof ConsultationSchema>;

export const ConsultationList = itemsOf(ConsultationSchema);
