import { z } from 'zod';

const BreakReason = z.enum([
  'hash_mismatch',
  'prev_hash_mismatch',
  'sequence_gap',
  'head_mismatch',
  'signed_head_mismatch',
  'signature_invalid',
  'timestamp_mismatch',
]);

/** A chain's verification as a page of its events reports it (issue 7, finding 9). */
export const AuditVerificationSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().meta({ description: 'Events recomputed for this reply' }),
    firstBrokenEventId: z.string().nullable(),
    reason: z.string().nullable(),
    reasonJa: z.string().nullable(),
    reasonEn: z.string().nullable(),
    mode: z.enum(['full', 'incremental']).meta({
      description:
        'full: the whole chain was recomputed; incremental: only the events after its signed checkpoint (long chains)',
    }),
    checkpointSeq: z.number().int().nullable(),
    lastFullVerification: z
      .object({
        kind: z.enum(['scheduled', 'manual', 'cli']),
        startedAt: z.string(),
        finishedAt: z.string(),
        ok: z.boolean().meta({ description: 'What it found on this chain' }),
        firstBrokenSeq: z.number().int().nullable(),
        reason: BreakReason.nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'AuditVerification' });

/** An RFC 3161 time-stamp of a head, as the receipts download names it (issue 7, finding 4c). */
const ReceiptTimestampSchema = z
  .object({
    genTime: z.string().meta({ description: "The TSA's time (TSTInfo genTime)" }),
    tsa: z.string().meta({ description: "The TSA's URL (AUDIT_TSA_URL)" }),
  })
  .nullable()
  .meta({ description: 'The RFC 3161 time-stamp of this head, if it has one (tokens: audit-timestamps)' });

export const SignedHeadSchema = z
  .object({
    chain: z.string().min(1).max(64),
    seq: z.number().int().min(1),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.string().min(1).max(40),
    signature: z.string().min(1).max(200),
    timestamp: ReceiptTimestampSchema.optional(),
  })
  .meta({
    id: 'AuditReceipt',
    description:
      'A signed chain head: Ed25519 signature (base64) over the UTF-8 string `chain|seq|hash|at`; `timestamp` (not signed, always present in the download) names its RFC 3161 time-stamp',
  });

export const AuditPublicKeySchema = z.object({
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
  fingerprint: z.string().meta({ description: 'SHA-256 of the public key (SPKI DER), hex' }),
});

export const ReceiptFileSchema = AuditPublicKeySchema.extend({
  agreementId: z.string(),
  receipts: z.array(SignedHeadSchema),
}).meta({ id: 'AuditReceiptFile' });

export const TimestampFileSchema = z
  .object({
    agreementId: z.string(),
    hashAlgorithm: z.literal('SHA-256'),
    imprintOf: z.literal('chain|seq|hash|at').meta({
      description: "Each token's messageImprint is SHA-256 of this UTF-8 string of its head",
    }),
    timestamps: z.array(
      z.object({
        chain: z.string(),
        seq: z.number().int(),
        hash: z.string(),
        at: z.string(),
        genTime: z.string(),
        tsa: z.string(),
        tsaCertificate: z.object({ subject: z.string(), sha256: z.string() }).meta({
          description:
            "The certificate that signed the token (carried in it; its CMS signature was verified against it): compare the fingerprint with the TSA's",
        }),
        token: z.string().meta({
          description:
            'The RFC 3161 TimeStampToken (CMS SignedData), DER in base64: check it with `openssl ts -verify`',
        }),
      }),
    ),
  })
  .meta({ id: 'AuditTimestampFile' });

export const ReceiptsBody = z
  .object({ receipts: z.array(SignedHeadSchema).min(1).max(10_000) })
  // The downloaded file is accepted as it is (its other fields are ignored).
  .loose();

export const ReceiptsVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstMismatch: z
    .object({
      index: z.number().int(),
      chain: z.string(),
      seq: z.number().int(),
      reason: z.enum(['signature_invalid', 'event_missing', 'hash_mismatch']),
    })
    .nullable(),
});

export const VerificationRunSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['scheduled', 'manual', 'cli']),
    startedAt: z.string(),
    finishedAt: z.string(),
    ok: z.boolean(),
    checked: z.number().int(),
    chains: z.number().int(),
    breaks: z.array(
      z.object({
        chain: z.string(),
        seq: z.number().int(),
        eventId: z.string().nullable(),
        reason: BreakReason,
      }),
    ),
  })
  .meta({ id: 'AuditVerificationRun' });

export const ReceiptsQuery = z.object({ download: z.enum(['true', 'false']).optional() }).strict();
