import { z } from 'zod';
import { CLAUSES } from '../../../domain/obligation/clauses/index.js';
import { INCIDENT_STATES } from '../../../domain/incident/state.js';
import { Instant, Label } from '../../reply-schemas.js';
import { InstantString, PartyCode } from '../../schemas.js';

/** A clause of the registry (3.1, 3.3, 3.2(6), and whatever clause files are added to it). */
const ClauseId = z
  .enum(CLAUSES.map((e) => e.clause) as [string, ...string[]])
  .meta({ description: 'A clause of the obligation registry, e.g. 3.1, 3.3, 3.2(6)' });

export const ObligationStates = ['open', 'met', 'met_late', 'breached', 'waived'] as const;

/**
 * An obligation as every reply shows it (obligationJson in src/app/incidents/obligations.ts returns
 * this type). Derived as of now, never stored; the clause set is open (3.1, 3.2(6), 3.3, later
 * 4.2(7), APPI-26-final …), so `clause` is a string and ids are opaque.
 */
export const ObligationSchema = z
  .object({
    id: z.string().meta({ description: 'Opaque identifier (never parse it)' }),
    clause: z.string().meta({
      description: 'The clause that creates the duty: "3.1", "3.2(6)", "3.3", later others',
      example: '3.1',
    }),
    title: Label,
    incidentId: z.string(),
    agreementId: z.string(),
    owedBy: PartyCode,
    owedTo: z.enum(['A', 'B', 'authority']),
    startsAt: Instant,
    dueAt: Instant,
    state: z.enum(ObligationStates),
    secondsLeft: z.number().int().meta({ description: 'Seconds until dueAt (negative once past)' }),
    metBy: z
      .object({
        type: z.string().meta({ description: 'The kind of record that met it (notice, item_request, …)' }),
        id: z.string(),
        at: Instant.meta({ description: 'When the record was made in BreachPact (what counts)' }),
        takenAt: Instant.nullable()
          .optional()
          .meta({ description: 'The user-entered time of the act itself, if any' }),
      })
      .nullable(),
    metAt: Instant.nullable(),
    waived: z.object({ byUserId: z.string().nullable(), reason: z.string(), at: Instant }).nullable(),
    sourceId: z.string().meta({ description: 'The record that opened the duty' }),
    sourceType: z.string().meta({ description: 'Its kind (incident, item_request, …)' }),
    basis: z
      .object({
        article: z.string(),
        parameter: z.string().optional().meta({ description: 'The agreement parameter it reads' }),
        value: z.union([z.number(), z.string()]).optional(),
        rule: Label,
      })
      .meta({ description: 'Why the due time is what it is' }),
    survives: z.boolean().meta({ description: 'Art 11.3: the duty survives the end of the agreement' }),
  })
  .meta({ id: 'Obligation', description: 'A duty with its clock, derived as of now' });

export type ObligationReply = z.output<typeof ObligationSchema>;

/** An obligation in the agreement's list, with the incident it belongs to. */
export const AgreementObligationSchema = ObligationSchema.extend({
  incident: z.object({ id: z.string(), title: z.string(), state: z.enum(INCIDENT_STATES) }),
}).meta({ id: 'AgreementObligation' });

export type AgreementObligationReply = z.output<typeof AgreementObligationSchema>;

/** A row of the work queue (対応状況): the obligation, its incident, and the agreement with its parties. */
export const WorkQueueItemSchema = AgreementObligationSchema.extend({
  owedByUs: z
    .boolean()
    .meta({ description: "Whether the caller's organisation owes it (当社) or the other party (相手方)" }),
  agreement: z.object({
    id: z.string(),
    myParty: PartyCode,
    parties: z.object({
      A: z.object({ id: z.string(), name: z.string() }),
      B: z.object({ id: z.string(), name: z.string() }),
    }),
  }),
}).meta({ id: 'WorkQueueItem' });

export type WorkQueueItemReply = z.output<typeof WorkQueueItemSchema>;

/** GET /api/v1/obligations: the caller's work queue across its agreements. */
export const WorkQueueQuery = z
  .object({
    owedBy: z
      .enum(['us', 'them'])
      .optional()
      .meta({ description: 'us = 当社 owes it; them = 相手方 owes it' }),
    state: z
      .string()
      .optional()
      .transform((s) => (!s ? ['open', 'breached'] : s === 'all' ? [...ObligationStates] : s.split(',')))
      .pipe(z.array(z.enum(ObligationStates)))
      .meta({ description: 'Comma-separated states (default open,breached; all)' }),
    agreementId: z.string().min(1).max(120).optional(),
    dueBefore: InstantString.optional().meta({ description: 'Only duties due at or before this instant' }),
    clause: ClauseId.optional(),
  })
  .strict();

/** GET /api/v1/obligations/summary: the navigation's count of our duties overdue or due within 24 h. */
export const WorkQueueSummaryQuery = z
  .object({
    agreementId: z.string().min(1).max(120).optional(),
  })
  .strict();

export const WorkQueueSummarySchema = z
  .object({
    overdue: z.number().int().min(0).meta({ description: 'Our unmet duties past their due time' }),
    dueWithin24h: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Our open duties due within the next 24 hours (not yet overdue)' }),
  })
  .meta({
    id: 'WorkQueueSummary',
    description: "The count beside 対応状況 in the navigation: duties the caller's organisation owes",
  });

export type WorkQueueSummaryReply = z.output<typeof WorkQueueSummarySchema>;
