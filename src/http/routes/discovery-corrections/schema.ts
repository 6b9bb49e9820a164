import { z } from 'zod';
import { Instant, itemsOf } from '../../reply-schemas.js';
import { PartyCode } from '../../schemas.js';
import { InstantString } from '../incidents/schema.js';

export const CorrectionBody = z
  .object({
    discoveredAt: InstantString.meta({ description: 'The corrected discovery time (発覚日時)' }),
    reason: z.string().trim().min(1).max(2000).meta({ description: 'Why the discovery time was wrong' }),
  })
  .strict();

export const DecisionBody = z
  .object({
    decision: z.enum(['accepted', 'rejected']),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict();

/** A correction of an incident's discovery time (発覚日時の訂正). */
export const DiscoveryCorrectionSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  byParty: PartyCode,
  requestedBy: z.string().nullable(),
  fromDiscoveredAt: Instant,
  toDiscoveredAt: Instant,
  reason: z.string(),
  state: z.enum(['pending', 'accepted', 'rejected', 'applied', 'superseded']).meta({
    description: 'applied: moved earlier (at once); pending: moved later, awaiting the other party',
  }),
  requestedAt: Instant,
  decidedBy: z.string().nullable(),
  decidedAt: Instant.nullable(),
  decisionReason: z.string().nullable(),
});
export type DiscoveryCorrectionJson = z.output<typeof DiscoveryCorrectionSchema>;

export const DiscoveryCorrectionList = itemsOf(DiscoveryCorrectionSchema);
