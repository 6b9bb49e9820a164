import { z } from 'zod';
import { CAUSE_ENTITIES, INCIDENT_KINDS, INFO_CATEGORIES } from '../../../domain/incident/classification.js';
import { NOTICE_ITEMS } from '../../../domain/incident/notice.js';
import { INCIDENT_STATES } from '../../../domain/incident/state.js';
import { PartyCode } from '../../schemas.js';

/** An instant with an explicit offset (`2026-11-27T23:40:00+09:00` or `…Z`); stored as UTC. */
export const InstantString = z.iso
  .datetime({ offset: true })
  .meta({ description: 'ISO-8601 instant with offset', example: '2026-11-27T23:40:00+09:00' });

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

export const ObligationStates = ['open', 'met', 'met_late', 'breached', 'waived'] as const;

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
