import { z } from 'zod';
import { CAUSE_ENTITIES, INCIDENT_KINDS, INFO_CATEGORIES } from '../../../domain/incident/classification.js';
import { NOTICE_ITEMS } from '../../../domain/incident/notice.js';
import { INCIDENT_STATES } from '../../../domain/incident/state.js';
import { Instant, Label, PartyRef, UserRef, itemsOf } from '../../reply-schemas.js';
import { InstantString, PartyCode } from '../../schemas.js';
import { AuditEventList } from '../agreements/schema.js';
import { ObligationSchema, ObligationStates } from '../obligations/schema.js';

/** Defined with the other shared edge types (1900–2100); re-exported for the routes that import it here. */
export { InstantString };

const Count = z.number().int().min(0).max(10_000_000_000).nullable();

const IncidentFields = {
  title: z.string().trim().min(1).max(200),
  summary: z.string().trim().max(10_000),
  infoCategories: z
    .array(z.enum(INFO_CATEGORIES))
    .max(INFO_CATEGORIES.length)
    .meta({ description: 'Art 2.1 対象情報' }),
  kinds: z
    .array(z.enum(INCIDENT_KINDS))
    .max(INCIDENT_KINDS.length)
    .meta({ description: 'Art 2.2 事故の種類' }),
  causeEntity: z.enum(CAUSE_ENTITIES).meta({ description: 'Art 3.1/7: who caused it' }),
  occurredAt: InstantString.nullable(),
  discoveredAt: InstantString,
  affectedPersons: Count,
  affectedPersonsEstimated: z.boolean(),
  affectedRecords: Count,
  affectedRecordsEstimated: z.boolean(),
  dataItems: z.array(z.string().trim().min(1).max(200)).max(100),
  sensitiveData: z.boolean().meta({ description: '要配慮個人情報 (APPI)' }),
  financialHarmRisk: z.boolean().meta({ description: '財産的被害のおそれ' }),
  improperPurpose: z.boolean().meta({ description: '不正の目的によるおそれ' }),
  encrypted: z.boolean().meta({ description: '高度な暗号化' }),
};

export const ReportIncidentBody = z
  .object({
    reportingParty: PartyCode.meta({
      description: 'The side where it arose, including its contractors (Art 3.1/7)',
    }),
    suspected: z.boolean().meta({ description: '発生のおそれ (a suspicion already starts Art 3.1)' }),
    ...IncidentFields,
  })
  .partial({
    summary: true,
    infoCategories: true,
    kinds: true,
    causeEntity: true,
    occurredAt: true,
    affectedPersons: true,
    affectedPersonsEstimated: true,
    affectedRecords: true,
    affectedRecordsEstimated: true,
    dataItems: true,
    sensitiveData: true,
    financialHarmRisk: true,
    improperPurpose: true,
    encrypted: true,
  })
  .strict();

export const UpdateIncidentBody = z.object(IncidentFields).partial().strict();

export const TransitionBody = z
  .object({ to: z.enum(INCIDENT_STATES), reason: z.string().trim().max(2000).nullable().optional() })
  .strict();

const NoticeItemValue = z
  .string()
  .trim()
  .min(1)
  .max(10_000)
  .nullable()
  .meta({ description: 'Text, or null meaning 調査中 (under investigation)' });

export const NoticeItemsSchema = z
  .object(
    Object.fromEntries(NOTICE_ITEMS.map((k) => [k, NoticeItemValue.optional()])) as Record<
      (typeof NOTICE_ITEMS)[number],
      z.ZodOptional<typeof NoticeItemValue>
    >,
  )
  .strict();

export const SendNoticeBody = z.object({ items: NoticeItemsSchema.optional() }).strict();

export const ItemRequestBody = z
  .object({ question: z.string().trim().min(1).max(5000), dueAt: InstantString.optional() })
  .strict();

export const AnswerBody = z.object({ answer: z.string().trim().min(1).max(10_000) }).strict();

export const ContainmentBody = z
  .object({
    kind: z.enum(['access_cutoff', 'system_stop', 'password_change', 'other', 'none_needed']),
    description: z.string().trim().min(1).max(5000).optional().meta({
      description:
        'What was done, or (none_needed) why no measure is needed; required unless reason is given',
    }),
    reason: z.string().trim().min(1).max(5000).optional().meta({
      description:
        'none_needed: the reason no measure is needed (stored as the description when that is absent)',
    }),
    takenAt: InstantString.optional(),
    result: z.string().trim().max(5000).nullable().optional(),
  })
  .strict();

export const WaiverBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

/** `state=a,b`: a comma-separated list of states. */
const stateList = () =>
  z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(z.enum(INCIDENT_STATES)).optional());

export const IncidentListQuery = z
  .object({
    state: stateList(),
    reportingParty: PartyCode.optional(),
    kind: z.enum(INCIDENT_KINDS).optional(),
    infoCategory: z.enum(INFO_CATEGORIES).optional(),
    // Plural aliases, parsed like their singular forms (`states` is a comma-separated list).
    states: stateList().meta({ description: 'Alias of state' }),
    kinds: z.enum(INCIDENT_KINDS).optional().meta({ description: 'Alias of kind' }),
    infoCategories: z.enum(INFO_CATEGORIES).optional().meta({ description: 'Alias of infoCategory' }),
  })
  .strict();

export { ObligationStates };

export const ObligationListQuery = z
  .object({
    state: z
      .string()
      .optional()
      .transform((s) => (!s ? ['open'] : s === 'all' ? [...ObligationStates] : s.split(',')))
      .pipe(z.array(z.enum(ObligationStates))),
  })
  .strict();

export const IdParams = z.object({ id: z.string().min(1).max(120) });

// ---------------------------------------------------------------------------------------------
// Replies (serialize.ts returns these types; the web app imports them)

const NoticeItemsOut = z.object(
  Object.fromEntries(NOTICE_ITEMS.map((k) => [k, z.string().nullable()])) as Record<
    (typeof NOTICE_ITEMS)[number],
    z.ZodNullable<z.ZodString>
  >,
);

export const NoticeSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    agreementId: z.string(),
    fromParty: PartyCode,
    number: z.number().int(),
    version: z.number().int().meta({ description: 'The same as number (続報 carry a version)' }),
    kind: z.enum(['first', 'follow_up']),
    label: Label,
    items: NoticeItemsOut.meta({ description: 'Art 3.2 items; null = 調査中 (under investigation)' }),
    pendingItems: z.array(z.enum(NOTICE_ITEMS)),
    diff: z
      .array(
        z.object({
          item: z.enum(NOTICE_ITEMS),
          change: z.enum(['unchanged', 'added', 'changed', 'withdrawn']),
          before: z.string().nullable(),
          after: z.string().nullable(),
        }),
      )
      .nullable()
      .meta({ description: 'Against the previous notice; null for the 第一報' }),
    sentAt: Instant,
    sentBy: UserRef.nullable(),
    acknowledgedAt: Instant.nullable(),
    acknowledgedBy: UserRef.nullable(),
  })
  .meta({ id: 'Notice', description: 'A notice under Art 3.1-3.2 (第一報 or 続報)' });

export const NoticeList = itemsOf(NoticeSchema);

export const AcknowledgementSchema = NoticeSchema.extend({
  alreadyAcknowledged: z.boolean().meta({ description: 'true: the first acknowledgement stands' }),
});

export const ItemRequestSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    requestedByParty: PartyCode,
    requestedBy: z.string().nullable(),
    question: z.string(),
    requestedAt: Instant,
    dueAt: Instant,
    answer: z.string().nullable(),
    answeredAt: Instant.nullable(),
    answeredBy: z.string().nullable(),
    requestedByName: z.string().nullable(),
    answeredByName: z.string().nullable(),
  })
  .meta({ id: 'ItemRequest', description: 'A request for further items (Art 3.2(6)) and its answer' });

const ContainmentKind = ContainmentBody.shape.kind;
const ContainmentReason = z
  .string()
  .nullable()
  .meta({ description: 'none_needed: why no measure is needed (the description); otherwise null' });

/** A containment record as the POST returns it. */
export const ContainmentRecordSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    byParty: PartyCode,
    kind: ContainmentKind,
    description: z.string(),
    reason: ContainmentReason,
    takenAt: Instant,
    result: z.string().nullable(),
    recordedBy: z.string().nullable(),
    createdAt: Instant,
  })
  .meta({ id: 'ContainmentRecord' });

/** A containment record inside the incident, with the recorder's name. */
export const ContainmentActionSchema = z.object({
  id: z.string(),
  byParty: PartyCode,
  kind: ContainmentKind,
  description: z.string(),
  reason: ContainmentReason,
  takenAt: Instant,
  result: z.string().nullable(),
  recordedBy: UserRef.nullable(),
  createdAt: Instant,
});

const IncidentState = z.enum(INCIDENT_STATES);

const incidentReplyFields = {
  id: z.string().meta({ example: 'inc_01jz0000000000000000000000' }),
  agreementId: z.string(),
  version: z.number().int().meta({ description: 'Send it back in If-Match' }),
  reportingParty: PartyCode,
  title: z.string(),
  summary: z.string(),
  infoCategories: z.array(z.enum(INFO_CATEGORIES)),
  infoCategoryLabels: z.array(Label),
  kinds: z.array(z.enum(INCIDENT_KINDS)),
  kindLabels: z.array(Label),
  causeEntity: z.enum(CAUSE_ENTITIES),
  causeEntityLabel: Label,
  suspected: z.boolean(),
  state: IncidentState,
  stateLabel: Label,
  dismissedReason: z.string().nullable(),
  dismissedAt: Instant.nullable(),
  occurredAt: Instant.nullable(),
  discoveredAt: Instant,
  affectedPersons: z.number().int().nullable(),
  affectedPersonsEstimated: z.boolean(),
  affectedRecords: z.number().int().nullable(),
  affectedRecordsEstimated: z.boolean(),
  dataItems: z.array(z.string()),
  sensitiveData: z.boolean(),
  financialHarmRisk: z.boolean(),
  improperPurpose: z.boolean(),
  encrypted: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
};

export const IncidentSummarySchema = z
  .object({ ...incidentReplyFields, obligations: z.array(ObligationSchema).optional() })
  .meta({ id: 'IncidentSummary', description: 'An incident in a list, with its obligations' });

export const IncidentList = itemsOf(IncidentSummarySchema);

export const IncidentSchema = z
  .object({
    ...incidentReplyFields,
    obligations: z.array(ObligationSchema),
    myParty: PartyCode,
    allowedTransitions: z.array(IncidentState),
    agreement: z.object({
      id: z.string(),
      noticeTargetHours: z.number().int(),
      containmentTargetHours: z.number().int(),
    }),
    notices: z.array(NoticeSchema),
    itemRequests: z.array(ItemRequestSchema),
    parties: z.object({ A: PartyRef, B: PartyRef }),
    containmentActions: z.array(ContainmentActionSchema),
    createdByName: z.string().nullable(),
  })
  .meta({
    id: 'Incident',
    description: 'An incident with its notices, requests, containment and obligations (ETag: its version)',
  });

export const IncidentAuditEventList = AuditEventList.omit({ nextAfterSeq: true });

export const ObligationList = itemsOf(ObligationSchema);
