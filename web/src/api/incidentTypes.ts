/**
 * Shapes of the incident API (Art 2-3): incidents, notices, requests, containment, obligations.
 * The reply types are the server's zod reply schemas' output types (type-only imports: nothing of
 * the server is bundled; docs/ARCHITECTURE.md, "One shape per record").
 */
import type { z } from 'zod';
import type { Label as LabelSchema, UserRef as UserRefSchema } from '../../../src/http/reply-schemas';
import type {
  ContainmentActionSchema,
  ContainmentBody,
  ContainmentRecordSchema,
  IncidentSchema,
  IncidentSummarySchema,
  ItemRequestSchema,
  NoticeSchema,
  ReportIncidentBody,
} from '../../../src/http/routes/incidents/schema';
import type {
  AgreementObligationSchema,
  ObligationSchema,
} from '../../../src/http/routes/obligations/schema';

/** A label the API returns in both languages. */
export type Label = z.output<typeof LabelSchema>;

// The closed lists of Art 2 and the Art 3.2 items come from the server's pure domain modules,
// so the two sides cannot drift apart (those modules import nothing).
export {
  CAUSE_ENTITIES,
  INCIDENT_KINDS,
  INFO_CATEGORIES,
  type CauseEntity,
  type IncidentKind,
  type InfoCategory,
} from '../../../src/domain/incident/classification';
export { NOTICE_ITEMS, type NoticeItemKey, type NoticeItems } from '../../../src/domain/incident/notice';

/** The flags the regulator rules will read (要配慮, 財産的被害, 不正の目的, 高度な暗号化), in display order. */
export const INCIDENT_FLAGS = ['sensitiveData', 'financialHarmRisk', 'improperPurpose', 'encrypted'] as const;

export type { IncidentState } from '../../../src/domain/incident/state';

export type Obligation = z.output<typeof ObligationSchema>;
export type ObligationState = Obligation['state'];
/** An open set: '3.1', '3.2(6)', '3.3', later others. */
export type Clause = Obligation['clause'];
export type AgreementObligation = z.output<typeof AgreementObligationSchema>;

export type IncidentSummary = z.output<typeof IncidentSummarySchema>;
export type Incident = z.output<typeof IncidentSchema>;

export type UserRef = z.output<typeof UserRefSchema>;
export type Notice = z.output<typeof NoticeSchema>;
export type ItemChange = NonNullable<Notice['diff']>[number]['change'];
export type ItemRequest = z.output<typeof ItemRequestSchema>;

export type ContainmentKind = z.output<typeof ContainmentBody>['kind'];
/** The kinds in the order the form offers them; the type checks they are exactly the server's. */
export const CONTAINMENT_KINDS = [
  'access_cutoff',
  'system_stop',
  'password_change',
  'other',
  'none_needed',
] as const satisfies readonly ContainmentKind[];
const _allContainmentKinds: Exclude<ContainmentKind, (typeof CONTAINMENT_KINDS)[number]> extends never
  ? true
  : never = true;
void _allContainmentKinds;

/** A containment record inside the incident; the POST answers a `ContainmentRecord`. */
export type ContainmentAction = z.output<typeof ContainmentActionSchema>;
export type ContainmentRecord = z.output<typeof ContainmentRecordSchema>;

/** Request bodies: what the server's validation accepts. */
export type ReportIncidentInput = z.input<typeof ReportIncidentBody>;
export type ContainmentInput = z.input<typeof ContainmentBody>;
