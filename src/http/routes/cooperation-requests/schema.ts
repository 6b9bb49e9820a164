import { z } from 'zod';
import { COOPERATION_CATEGORIES } from '../../../domain/cooperation/categories.js';
import { Instant, Label, itemsOf } from '../../reply-schemas.js';
import { InstantString, PartyCode } from '../../schemas.js';

const Category = z.enum(COOPERATION_CATEGORIES).meta({
  description:
    'Art 4.2 item: cause_analysis (1), damage_scope (2), prevention_plan (3), authority_report (4), individual_notice (5), public_relations (6), evidence_and_logs (7), other (8)',
});

export const CooperationRequestBody = z
  .object({
    category: Category,
    details: z.string().trim().min(1).max(10_000).meta({ description: 'What is asked for' }),
    dueAt: InstantString.optional().meta({
      description: "Answer by then; default: now + the agreement's cooperationResponseHours (72)",
    }),
  })
  .strict();

export const CooperationResponseBody = z
  .object({
    decision: z.enum(['accepted', 'declined', 'delivered']),
    reason: z.string().trim().max(5_000).optional().meta({
      description: 'Required with declined (recorded, not judged: Art 4.2 "within a reasonable range")',
    }),
    answer: z.string().trim().max(50_000).optional().meta({ description: 'Required with delivered' }),
    deliverBy: InstantString.optional().meta({
      description: 'With accepted: the promised delivery time (opens the delivery duty 4.2(n)-delivery)',
    }),
    evidenceIds: z
      .array(z.string().min(1).max(60))
      .max(100)
      .optional()
      .meta({ description: 'With delivered: evidence of the same incident, shared with the other party' }),
  })
  .strict();

/** An Art 4.2 cooperation request (協力の求め) and its answer. */
export const CooperationRequestSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  fromParty: PartyCode,
  toParty: PartyCode,
  category: Category,
  categoryLabel: Label,
  clause: z.string().meta({ description: 'The duty\'s clause, "4.2(n)" by category', example: '4.2(7)' }),
  details: z.string(),
  requestedBy: z.string().nullable(),
  requestedAt: Instant,
  dueAt: Instant,
  state: z.enum(['requested', 'accepted', 'declined', 'delivered']),
  respondedAt: Instant.nullable(),
  respondedBy: z.string().nullable(),
  reason: z.string().nullable().meta({ description: 'The reason given for declining' }),
  deliverBy: Instant.nullable(),
  deliveredAt: Instant.nullable(),
  deliveredBy: z.string().nullable(),
  answer: z.string().nullable(),
  evidenceIds: z.array(z.string()),
  version: z.number().int(),
});
export type CooperationRequestJson = z.output<typeof CooperationRequestSchema>;

export const CooperationRequestList = itemsOf(CooperationRequestSchema);
