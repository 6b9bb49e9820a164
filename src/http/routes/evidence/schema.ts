import { z } from 'zod';
import { Instant, UserRef, itemsOf } from '../../reply-schemas.js';
import { PartyCode } from '../../schemas.js';

/** The query of an upload (the body is the file itself, application/octet-stream). */
export const UploadQuery = z
  .object({
    filename: z.string().max(1024).meta({
      description: 'The file name to keep (at most 255 UTF-8 bytes; no path separators or controls)',
    }),
    description: z
      .string()
      .max(2000)
      .optional()
      .meta({ description: 'What the file is and how it was collected' }),
  })
  .strict();

/** An evidence file of an incident (証拠資料, Art 4.2(7)). */
export const EvidenceSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  clause: z.literal('4.2(7)'),
  party: PartyCode.meta({ description: 'The party that uploaded (collected) it' }),
  filename: z.string(),
  description: z.string().nullable(),
  size: z.number().int().meta({ description: 'Bytes' }),
  sha256: z.string().meta({ description: 'SHA-256 of the bytes at upload, lower-case hex' }),
  visibility: z.enum(['party', 'shared']).meta({
    description: "party: the uploading party's own (the other party gets 404); shared: both parties",
  }),
  collectedBy: UserRef.nullable(),
  collectedAt: Instant,
  sharedBy: UserRef.nullable(),
  sharedAt: Instant.nullable(),
  version: z.number().int(),
});
export type EvidenceJson = z.output<typeof EvidenceSchema>;

export const EvidenceList = itemsOf(EvidenceSchema);

/** One entry of the chain of custody; the same fact is event `audit.seq` of the agreement's audit chain. */
export const CustodyEntrySchema = z.object({
  id: z.string(),
  action: z.enum(['uploaded', 'shared', 'downloaded', 'integrity_failed']),
  party: PartyCode.nullable().meta({ description: "The acting user's party" }),
  actor: UserRef.nullable(),
  at: Instant,
  detail: z
    .record(z.string(), z.unknown())
    .meta({ description: 'What was recorded: hash and size; on a failure the expected and found values' }),
  audit: z.object({ chain: z.string(), seq: z.number().int() }),
});
export type CustodyEntryJson = z.output<typeof CustodyEntrySchema>;

export const CustodyList = z.object({
  evidenceId: z.string(),
  sha256: z.string(),
  items: z.array(CustodyEntrySchema),
});
