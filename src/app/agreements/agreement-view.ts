import { describeRule } from '../../domain/agreement/rules.js';
import { evaluateTerm, termDateNotes, type TermEvaluation } from '../../domain/agreement/term.js';
import type { TermField } from '../../domain/agreement/rules.js';
import type { DateNote } from '../../domain/shared/calendar.js';
import { changedParameters, type ParameterName } from '../../domain/agreement/parameters.js';
import { AppError } from '../../domain/shared/errors.js';
import { parseLocalDate, todayIn, type LocalDate } from '../../domain/shared/time.js';
import type { Tx } from '../../persistence/db.js';
import {
  findAgreement,
  listTerminationNotices,
  type AgreementRecord,
  type TerminationNoticeRecord,
} from '../../persistence/repositories/agreements.js';
import { findOrganizations, type OrganizationRecord } from '../../persistence/repositories/organizations.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import { requireAgreementAccess, type AgreementPermission, type PartyCode } from '../access.js';
import type { Actor, AppContext } from '../context.js';

export interface AgreementView {
  agreement: AgreementRecord;
  partyA: OrganizationRecord;
  partyB: OrganizationRecord;
  myParty: PartyCode | null;
  changedParameters: ParameterName[];
  /** dateNotes: the term's dates on a Saturday, Sunday or holiday (not moved, 民法第142条 not applied). */
  term: TermEvaluation & { evaluatedOn: LocalDate; dateNotes: Partial<Record<TermField, DateNote>> };
  ruleTexts: Array<{ field: string; ruleId: string; ja: string; en: string }>;
  terminationNotices: Array<TerminationNoticeRecord & { recordedByName: string | null }>;
}

/** Loads an agreement the actor may see, or throws AGREEMENT_NOT_FOUND (never reveals others'). */
export async function loadAgreementFor(
  tx: Tx,
  actor: Actor,
  id: string,
  permission: AgreementPermission,
): Promise<{ agreement: AgreementRecord; myParty: PartyCode | null }> {
  const agreement = await findAgreement(tx, id);
  if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND');
  const myParty = requireAgreementAccess(actor, permission, agreement);
  return { agreement, myParty };
}

export function noticesAsTermInput(notices: readonly TerminationNoticeRecord[]) {
  return notices.map((n) => ({
    byParty: n.byParty,
    receivedOn: parseLocalDate(n.receivedOn) as LocalDate,
    lateEffect: n.lateEffect,
  }));
}

export async function buildAgreementViews(
  ctx: AppContext,
  items: ReadonlyArray<{ agreement: AgreementRecord; myParty: PartyCode | null }>,
  on: LocalDate | null,
): Promise<AgreementView[]> {
  const evaluatedOn = on ?? todayIn(ctx.clock.now());
  const orgs = new Map(
    (
      await findOrganizations(
        ctx.db,
        items.flatMap((i) => [i.agreement.partyAId, i.agreement.partyBId]),
      )
    ).map((o) => [o.id, o]),
  );
  const notices = await listTerminationNotices(
    ctx.db,
    items.map((i) => i.agreement.id),
  );
  const userNames = new Map(
    (
      await findUsersByIds(
        ctx.db,
        notices.flatMap((n) => (n.recordedBy ? [n.recordedBy] : [])),
      )
    ).map((u) => [u.id, u.name]),
  );
  return items.map(({ agreement, myParty }) => {
    const own = notices.filter((n) => n.agreementId === agreement.id);
    const term = evaluateTerm({
      signedOn: agreement.signedOn ? parseLocalDate(agreement.signedOn) : null,
      parameters: agreement.parameters,
      terminationNotices: noticesAsTermInput(own),
      on: evaluatedOn,
    });
    return {
      agreement,
      partyA: orgs.get(agreement.partyAId) as OrganizationRecord,
      partyB: orgs.get(agreement.partyBId) as OrganizationRecord,
      myParty,
      changedParameters: changedParameters(agreement.parameters),
      term: { ...term, evaluatedOn, dateNotes: termDateNotes(term) },
      ruleTexts: term.rules.map((r) => ({
        field: r.field,
        ruleId: r.ruleId,
        ...describeRule(r.ruleId, agreement.parameters),
      })),
      terminationNotices: own.map((n) => ({
        ...n,
        recordedByName: n.recordedBy ? (userNames.get(n.recordedBy) ?? null) : null,
      })),
    };
  });
}
