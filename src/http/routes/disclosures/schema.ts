import { z } from 'zod';
import { DISCLOSURE_BASES, DISCLOSURE_STATES } from '../../../domain/disclosure/disclosure.js';
import { Instant, itemsOf, Label } from '../../reply-schemas.js';
import { PartyCode } from '../../schemas.js';
import { InstantString } from '../incidents/schema.js';

const Text = (max: number, description: string) => z.string().trim().min(1).max(max).meta({ description });

export const DisclosureBody = z
  .object({
    recipient: Text(500, 'Who receives the information (開示先), outside the two companies'),
    purpose: Text(2000, 'Why it is disclosed (目的)'),
    scope: Text(4000, 'What is disclosed (範囲)'),
    basis: z.enum(DISCLOSURE_BASES).meta({
      description:
        "consent: the other party's prior consent (Art 5.1); law / court_order / authority_request: the Art 5.1 proviso (no consent; the other party is told at once, Art 5.2)",
    }),
    basisReference: z.string().trim().max(1000).optional().meta({
      description:
        'The statute, order or request number; required for law, court_order and authority_request',
    }),
  })
  .strict();

export const DisclosureDecisionBody = z
  .object({
    decision: z.enum(['consented', 'refused']),
    conditions: z
      .string()
      .trim()
      .max(4000)
      .optional()
      .meta({ description: 'Conditions of the consent (承諾の条件)' }),
    reason: z.string().trim().max(4000).optional(),
  })
  .strict();

export const DisclosedBody = z
  .object({
    disclosedAt: InstantString.meta({ description: 'When the information was actually disclosed' }),
  })
  .strict();

export const PackageBody = z
  .object({
    noticeIds: z.array(z.string().min(1).max(64)).max(200).optional(),
    evidenceIds: z.array(z.string().min(1).max(64)).max(200).optional(),
    includeIncident: z.boolean().optional(),
  })
  .strict();

/** A package built for a disclosure's recipient (the ZIP is not kept; its manifest's SHA-256 is). */
export const DisclosurePackageSchema = z.object({
  id: z.string(),
  builtAt: Instant,
  builtBy: z.string().nullable(),
  manifestSha256: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), size: z.number().int() })),
});

/** A third-party disclosure (第三者開示, Art 5) in the register. */
export const DisclosureSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  byParty: PartyCode,
  filedBy: z.string().nullable(),
  recipient: z.string(),
  purpose: z.string(),
  scope: z.string(),
  basis: z.enum(DISCLOSURE_BASES),
  basisLabel: Label,
  basisReference: z.string().nullable(),
  clause: z
    .enum(['5.1', '5.1 proviso'])
    .meta({ description: '5.1: consent path; 5.1 proviso: exception (5.2 prior notice)' }),
  state: z.enum(DISCLOSURE_STATES),
  stateLabel: Label,
  filedAt: Instant,
  counterpartyNotifiedAt: Instant.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: Instant.nullable(),
  conditions: z.string().nullable(),
  decisionReason: z.string().nullable(),
  disclosedAt: Instant.nullable(),
  disclosureRecordedAt: Instant.nullable(),
  disclosureRecordedBy: z.string().nullable(),
  priorNotice: z.boolean().nullable().meta({
    description:
      'Art 5.2: whether the other party was told before the disclosure (null until it is recorded)',
  }),
  priorNoticeLabel: Label.nullable(),
  version: z.number().int(),
  packages: z.array(DisclosurePackageSchema),
});
export type DisclosureJson = z.output<typeof DisclosureSchema>;

export const DisclosureList = itemsOf(DisclosureSchema);
