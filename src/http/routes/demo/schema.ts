import { z } from 'zod';
import { PartyCode } from '../../schemas.js';

export const DemoResultSchema = z.object({
  created: z.boolean(),
  password: z.string().nullable().meta({ description: 'The demo users’ password; null if already loaded' }),
  accounts: z.array(
    z.object({
      organization: z.string(),
      party: PartyCode,
      email: z.string(),
      name: z.string(),
      role: z.enum(['owner', 'legal', 'responder', 'viewer']),
    }),
  ),
  agreementId: z.string().nullable(),
  incidentId: z.string().nullable(),
});
