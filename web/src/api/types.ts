/**
 * Shapes of the BreachPact HTTP API (JSON under /api/v1). Every reply type is the output type of
 * the server's zod reply schema (`src/http/routes/<resource>/schema.ts`), imported as a type only:
 * nothing of the server is bundled, and a field the server changes is a type error here
 * (docs/ARCHITECTURE.md, "One shape per record").
 */
import type { z } from 'zod';
import type {
  AgreementSchema,
  AuditEventList,
  CreateAgreementBody,
  DateNoteSchema,
  LateNoticeEffectSchema,
  LateReadingSchema,
  ParametersSchema,
  PartySchema,
  TerminationNoticeMethodSchema,
  TerminationNoticeResponse,
  TerminationNoticeSchema,
  TermSchema,
} from '../../../src/http/routes/agreements/schema';
import type { Directory, OrganizationSchema } from '../../../src/http/routes/organizations/schema';
import type { UserSchema } from '../../../src/http/routes/session/schema';
import type { PartyCode, Problem as ProblemSchema } from '../../../src/http/schemas';

export type User = z.output<typeof UserSchema>;
export type Locale = User['locale'];
export type Role = User['role'];
export type PartySide = z.output<typeof PartyCode>;
export type IsoDate = string; // YYYY-MM-DD

export type Organization = z.output<typeof OrganizationSchema>;
export type DirectoryEntry = z.output<typeof Directory>['items'][number];
export type Party = z.output<typeof PartySchema>;

export type AgreementParameters = z.output<typeof ParametersSchema>;
export type ParameterName = keyof AgreementParameters;
/** The memorandum's own values (Art 3, 11): the server's defaults, from its pure domain module. */
export { DEFAULT_PARAMETERS } from '../../../src/domain/agreement/parameters';

export type Agreement = z.output<typeof AgreementSchema>;
export type DateStyle = Agreement['dateStyle'];
export type AgreementStatus = Agreement['status'];
export type Term = z.output<typeof TermSchema>;
export type TermRule = Term['rules'][number];
/** The dated fields of a term, which its rules and date notes are keyed by. */
export type { TermField } from '../../../src/domain/agreement/rules';
export type DateNote = z.output<typeof DateNoteSchema>;

/** Art 11.2 書面: how the written notice was given (null = not stated). */
export type TerminationNoticeMethod = z.output<typeof TerminationNoticeMethodSchema>;
export type LateNoticeEffect = z.output<typeof LateNoticeEffectSchema>;
/** How the system reads a late notice, and what the recorder chose. */
export type LateReading = z.output<typeof LateReadingSchema>;
export type TerminationNotice = z.output<typeof TerminationNoticeSchema>;
export type TerminationNoticeResult = z.output<typeof TerminationNoticeResponse>;

/** What the server's validation accepts. */
export type CreateAgreementInput = z.input<typeof CreateAgreementBody>;

export type AuditTrail = z.output<typeof AuditEventList>;
export type AuditEvent = AuditTrail['items'][number];
export type AuditVerification = AuditTrail['verification'];

export interface Items<T> {
  items: T[];
}

type ServerProblem = z.output<typeof ProblemSchema>;
/**
 * RFC 9457 problem details with BreachPact's localized messages: the server's, or one the client
 * makes itself when there is no problem+json to read (NETWORK_ERROR, HTTP_<status>).
 */
export type Problem = Partial<
  Pick<ServerProblem, 'type' | 'title' | 'detail' | 'messageJa' | 'messageEn' | 'instance' | 'errors'>
> & {
  status: number;
  code: ServerProblem['code'] | 'NETWORK_ERROR' | `HTTP_${number}`;
};
