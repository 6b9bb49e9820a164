import { z } from 'zod';
import { Id, LocalDateString, PartyCode } from '../../schemas.js';
import { AuditVerificationSchema } from '../audit/schema.js';

export const ParametersInput = z
  .object({
    noticeTargetHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .meta({ description: 'Art 3.1: notice target, hours after discovery' }),
    containmentTargetHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .meta({ description: 'Art 3.3: containment decision target, hours' }),
    itemRequestMinHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .meta({ description: 'Art 3.2(6): shortest answer time a request for further items may set, hours' }),
    cooperationResponseHours: z.number().int().min(1).max(720).meta({
      description: 'Art 4.2: answer time of a cooperation request that sets none, hours (default 72)',
    }),
    termMonths: z.number().int().min(1).max(120).meta({ description: 'Art 11.1: initial term in months' }),
    renewalMonths: z
      .number()
      .int()
      .min(0)
      .max(120)
      .meta({ description: 'Art 11.2: renewal term in months (0 = no renewal)' }),
    terminationNoticeMonths: z
      .number()
      .int()
      .min(0)
      .max(24)
      .meta({ description: 'Art 11.2: notice months before expiry' }),
    countSigningDay: z.boolean().meta({ description: 'Civil Code 138/140: the signing day counts' }),
    survivingArticles: z.array(z.number().int().min(1).max(13)).max(13).meta({ description: 'Art 11.3' }),
  })
  .strict()
  .partial();

export const ParametersSchema = z.object({
  noticeTargetHours: z.number().int(),
  containmentTargetHours: z.number().int(),
  itemRequestMinHours: z.number().int(),
  cooperationResponseHours: z.number().int(),
  termMonths: z.number().int(),
  renewalMonths: z.number().int(),
  terminationNoticeMonths: z.number().int(),
  countSigningDay: z.boolean(),
  survivingArticles: z.array(z.number().int()),
});

const DateOrNull = z.string().nullable();

/** A term date on a Saturday, Sunday or national holiday (domain/shared/calendar.ts). */
export const DateNoteSchema = z
  .object({
    date: z.string(),
    weekend: z.enum(['saturday', 'sunday']).nullable(),
    holiday: z
      .object({ kind: z.enum(['national', 'substitute', 'citizens']), ja: z.string(), en: z.string() })
      .nullable(),
    labels: z.array(z.object({ ja: z.string(), en: z.string() })),
  })
  .meta({ id: 'DateNote' });

export const TerminationNoticeMethodSchema = z
  .enum(['letter', 'pdf_email', 'other'])
  .meta({ description: 'Art 11.2 書面: letter (書面（郵送）), PDF by e-mail, other; absent = not stated' });
export const LateNoticeEffectSchema = z.enum(['next_term', 'not_effective']).meta({
  description:
    "A late notice: next_term = the system's reading (ends at the next term end), not_effective = recorded, ends nothing",
});
export const LateReadingSchema = z
  .object({
    effect: LateNoticeEffectSchema,
    nextTermEnd: z.string(),
    rule: z.object({ ja: z.string(), en: z.string() }),
  })
  .meta({ id: 'LateNoticeReading' });

export const TermSchema = z
  .object({
    status: z.enum(['draft', 'not_started', 'active', 'terminated', 'expired']),
    evaluatedOn: z.string(),
    start: DateOrNull,
    initialEnd: DateOrNull,
    currentTermNumber: z.number().int().nullable(),
    currentTermStart: DateOrNull,
    currentTermEnd: DateOrNull,
    terminationNoticeDeadline: DateOrNull,
    endsOn: DateOrNull,
    endReason: z.enum(['termination_notice', 'no_renewal', 'mutual_termination']).nullable(),
    rules: z.array(z.object({ field: z.string(), ruleId: z.string(), ja: z.string(), en: z.string() })),
    dateNotes: z.record(z.string(), DateNoteSchema).meta({
      description:
        'The dates above (by field name) that fall on a Saturday, Sunday or national holiday. They are not moved (Civil Code 142 is not applied).',
    }),
  })
  .meta({ id: 'Term' });

export const PartySchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable().meta({
    description: "null on a draft for the other company: until both sign, a party sees the other's name only",
  }),
  representative: z.string().nullable().meta({
    description: "null on a draft for the other company: until both sign, a party sees the other's name only",
  }),
});

export const SignatureSchema = z
  .object({
    by: z
      .object({ id: z.string(), name: z.string().nullable() })
      .nullable()
      .meta({ description: 'The signing user; null when the memorandum was signed on paper' }),
    at: z.string().meta({ description: 'When the signature was recorded (an instant, UTC)' }),
    onPaper: z.boolean().meta({
      description: 'Recorded by the instance administrator from a memorandum both companies signed on paper',
    }),
  })
  .meta({ id: 'Signature' });

export const TerminationNoticeSchema = z
  .object({
    id: z.string(),
    byParty: PartyCode,
    receivedOn: z.string(),
    onTime: z.boolean(),
    /** null when a late notice was recorded as not effective. */
    effectiveEnd: z.string().nullable(),
    method: TerminationNoticeMethodSchema.nullable(),
    lateReading: LateReadingSchema.nullable(),
    recordedAt: z.string(),
    recordedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'TerminationNotice' });

export const MutualTerminationSchema = z
  .object({
    id: z.string(),
    agreementId: z.string(),
    state: z.enum(['pending', 'confirmed', 'withdrawn']).meta({
      description:
        "pending: awaiting the other party's owner or legal; confirmed: agreed; withdrawn by the proposer",
    }),
    effectiveOn: z.string().meta({
      format: 'date',
      description: 'The first day the memorandum no longer applies (its last day is the day before)',
    }),
    proposedByParty: PartyCode,
    proposedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    proposedAt: z.string(),
    decidedBy: z
      .object({ id: z.string(), name: z.string().nullable() })
      .nullable()
      .meta({ description: "The confirming user (the other party's) or the withdrawing one" }),
    decidedAt: z.string().nullable(),
  })
  .meta({ id: 'MutualTermination' });

export const AgreementSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(['draft', 'not_started', 'active', 'terminated', 'expired']),
    partyA: PartySchema,
    partyB: PartySchema,
    signedOn: DateOrNull.meta({
      description:
        'Set once both parties have signed: the date the draft states, else the Japan date of the later signature',
    }),
    proposedSignedOn: DateOrNull.meta({
      description: 'The signing date the draft states (null: the date of the later signature)',
    }),
    signatures: z
      .object({ A: SignatureSchema.nullable(), B: SignatureSchema.nullable() })
      .meta({ description: 'Each party’s signature; the agreement takes effect when both are present' }),
    dateStyle: z.enum(['western', 'japanese']),
    court: z.string().nullable(),
    parameters: ParametersSchema,
    changedParameters: z.array(z.string()),
    myParty: PartyCode.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    term: TermSchema,
    terminationNotices: z.array(TerminationNoticeSchema),
    mutualTermination: MutualTerminationSchema.nullable().meta({
      description:
        'The latest proposal of a mutual termination (合意解約) that is pending or confirmed; null = none',
    }),
  })
  .meta({ id: 'Agreement' });

export const AgreementList = z.object({ items: z.array(AgreementSchema) });

export const CreateAgreementBody = z
  .object({
    partyA: Id('org'),
    partyB: Id('org'),
    signedOn: LocalDateString.nullable().optional(),
    parameters: ParametersInput.optional(),
    dateStyle: z.enum(['western', 'japanese']).optional(),
  })
  .strict();

export const UpdateAgreementBody = z
  .object({ parameters: ParametersInput.optional(), dateStyle: z.enum(['western', 'japanese']).optional() })
  .strict();

export const SignBody = z
  .object({
    signedOn: LocalDateString.optional().meta({
      description:
        'The first signature may state the signing date; the second may only repeat it. Absent: the date the draft states, else the Japan date of the later signature',
    }),
  })
  .strict();

export const AgreementParams = z.object({ id: z.string().min(1).max(64) });
export const OnQuery = z.object({ on: LocalDateString.optional() }).strict();

/** One page of a chain: events after `afterSeq`, at most `limit` (all of them without `limit`). */
export const AuditPageQuery = z
  .object({
    afterSeq: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const TerminationNoticeBody = z
  .object({
    byParty: PartyCode,
    receivedOn: LocalDateString.meta({
      description: 'The day the written notice was received; not in the future',
    }),
    method: TerminationNoticeMethodSchema.optional(),
    lateNoticeEffect: LateNoticeEffectSchema.optional().meta({
      description:
        "Only for a notice received after the deadline: next_term (default, the system's reading) or not_effective",
    }),
  })
  .strict();

export const TerminationNoticeResponse = z.object({
  notice: TerminationNoticeSchema,
  onTime: z.boolean(),
  effectiveEnd: z.string().nullable(),
  lateReading: LateReadingSchema.nullable(),
  termEnd: z.string(),
  deadline: z.string().nullable(),
  messageJa: z.string(),
  messageEn: z.string(),
});

export const MutualTerminationBody = z
  .object({
    effectiveOn: LocalDateString.meta({
      description:
        'The first day the memorandum no longer applies: today or later, not after the end Art 11 already set',
    }),
  })
  .strict();

export const DocumentQuery = z.object({ format: z.enum(['docx', 'html']).default('html') }).strict();

export const AuditEventSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    occurredAt: z.string(),
    action: z.string(),
    recordType: z.string(),
    recordId: z.string(),
    actor: z.object({
      userId: z.string().nullable(),
      name: z.string().nullable(),
      organizationId: z.string().nullable(),
    }),
    payload: z.unknown(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const AuditChainSummary = z
  .object({
    chain: z.string(),
    verified: z.boolean(),
    firstBrokenSeq: z.number().int().nullable(),
    eventCount: z.number().int(),
    headSeq: z.number().int().nullable(),
  })
  .meta({
    id: 'AuditChainSummary',
    description:
      "The chain's integrity and size: all the instance administrator sees (items stay empty for it)",
  });

export const AuditEventList = z.object({
  items: z.array(AuditEventSchema),
  summary: AuditChainSummary.optional(),
  /** Pass as `afterSeq` for the next page; null on the last one. */
  nextAfterSeq: z.number().int().nullable(),
  verification: AuditVerificationSchema,
});
