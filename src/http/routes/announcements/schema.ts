import { z } from 'zod';
import { Instant, itemsOf, Label, UserRef } from '../../reply-schemas.js';
import { PartyCode } from '../../schemas.js';
import { InstantString } from '../incidents/schema.js';

export const ANNOUNCEMENT_CHANNELS = ['press_release', 'website', 'individual_notice', 'other'] as const;
export const EMERGENCY_REASONS = ['law_compliance', 'prevent_harm'] as const;

const Title = z.string().trim().min(1).max(500).meta({ description: 'The announcement’s title (見出し)' });
const Body = z
  .string()
  .max(100_000)
  .refine((s) => s.trim().length > 0, { message: 'The body must not be empty' })
  .meta({ description: 'The full text of the announcement' });
const VersionNumber = z.number().int().min(1).max(100_000);

export const AnnouncementBody = z
  .object({
    channel: z.enum(ANNOUNCEMENT_CHANNELS).meta({
      description:
        'press_release (報道発表), website (ウェブサイト掲載), individual_notice (本人への通知), other',
    }),
    title: Title,
    body: Body,
  })
  .strict();

export const AnnouncementVersionBody = z.object({ title: Title, body: Body }).strict();

export const AnnouncementApprovalBody = z
  .object({
    version: VersionNumber.meta({ description: 'The version approved: must be the latest (Art 6.1)' }),
  })
  .strict();

export const AnnouncementPublicationBody = z
  .object({
    version: VersionNumber.meta({
      description: 'The version published: the latest, approved by both parties',
    }),
    publishedAt: InstantString.optional().meta({
      description: 'When it was made public; default now, not in the future',
    }),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .meta({ description: 'Where it is published' }),
    emergency: z
      .object({
        reason: z.enum(EMERGENCY_REASONS).meta({
          description: 'Art 6.2: law_compliance (法令遵守) or prevent_harm (被害拡大防止)',
        }),
        explanation: z
          .string()
          .trim()
          .min(1)
          .max(4000)
          .meta({ description: 'Why it could not wait for consultation' }),
      })
      .strict()
      .optional()
      .meta({
        description:
          "Art 6.2: publish without the other party's approval (owner or legal); the other party is told at once and is owed a consultation within 24 h",
      }),
  })
  .strict();

export const AnnouncementVersionSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  byParty: PartyCode,
  createdBy: UserRef.nullable(),
  createdAt: Instant,
  /** The parties that approved this version. */
  approvedBy: z.array(PartyCode),
});

export const AnnouncementApprovalSchema = z.object({
  version: z.number().int(),
  party: PartyCode,
  approvedBy: UserRef.nullable(),
  approvedAt: Instant,
});

export const AnnouncementSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    byParty: PartyCode,
    clause: z.enum(['6.1', '6.2']).meta({ description: '6.2 once published in an emergency, else 6.1' }),
    channel: z.enum(ANNOUNCEMENT_CHANNELS),
    channelLabel: Label,
    state: z.enum(['draft', 'published']),
    latestVersion: z.number().int(),
    createdBy: UserRef.nullable(),
    createdAt: Instant,
    /** Both parties approved the latest version (Art 6.1): it may be published. */
    approvedByBoth: z.boolean(),
    versions: z.array(AnnouncementVersionSchema),
    approvals: z.array(AnnouncementApprovalSchema),
    publication: z
      .object({
        version: z.number().int(),
        publishedAt: Instant,
        recordedAt: Instant,
        url: z.string().nullable(),
        byParty: PartyCode,
        by: UserRef.nullable(),
        title: z.string(),
        body: z.string(),
        emergency: z
          .object({ reason: z.enum(EMERGENCY_REASONS), reasonLabel: Label, explanation: z.string() })
          .nullable(),
      })
      .nullable()
      .meta({ description: 'The publication and its final text; null while a draft' }),
  })
  .meta({ id: 'Announcement' });

export const AnnouncementList = itemsOf(AnnouncementSchema);

export type AnnouncementJson = z.output<typeof AnnouncementSchema>;
