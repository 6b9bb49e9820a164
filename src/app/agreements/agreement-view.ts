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
import {
  listMutualTerminations,
  type MutualTerminationRecord,
} from '../../persistence/repositories/mutual-terminations.js';
import { findOrganizations, type OrganizationRecord } from '../../persistence/repositories/organizations.js';
import { findUsersByIds } from '../../persistence/repositories/users.js';
import { requireAgreementAccess, type AgreementPermission, type PartyCode } from '../access.js';
import type { Actor, AppContext } from '../context.js';

/**
 * A party as shown with an agreement. While the agreement is a draft a party's user sees the other
 * company's name only (address and representative null): proposing a draft opens nothing of the
 * other company's record, and neither does receiving one (issue 7, finding 1).
 */
export interface PartyView {
  id: string;
  name: string;
  address: string | null;
  representative: string | null;
}

/** A party's signature; `by` is null for a memorandum signed on paper (recorded by the administrator). */
export interface SignatureView {
  by: { id: string; name: string | null } | null;
  at: string;
  onPaper: boolean;
}

export interface AgreementView {
  agreement: AgreementRecord;
  partyA: PartyView;
  partyB: PartyView;
  signatures: { A: SignatureView | null; B: SignatureView | null };
  myParty: PartyCode | null;
  changedParameters: ParameterName[];
  /** dateNotes: the term's dates on a Saturday, Sunday or holiday (not moved, 民法第142条 not applied). */
  term: TermEvaluation & { evaluatedOn: LocalDate; dateNotes: Partial<Record<TermField, DateNote>> };
  ruleTexts: Array<{ field: string; ruleId: string; ja: string; en: string }>;
  terminationNotices: Array<TerminationNoticeRecord & { recordedByName: string | null }>;
  /** The latest proposal of a mutual termination (合意解約) that is pending or confirmed; null = none. */
  mutualTermination: MutualTerminationView | null;
}

export type MutualTerminationView = MutualTerminationRecord & {
  proposedByName: string | null;
  decidedByName: string | null;
};

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

const party = (o: OrganizationRecord): PartyView => ({
  id: o.id,
  name: o.name,
  address: o.address,
  representative: o.representative,
});
const nameOnly = (p: PartyView): PartyView => ({ ...p, address: null, representative: null });

/**
 * The view as `myParty` may see it: on a draft, the other company's name only. The administrator
 * (myParty null) and the parties of a signed agreement see both records.
 */
export function viewFor(view: AgreementView, myParty: PartyCode | null): AgreementView {
  if (myParty === null || view.agreement.signedOn !== null) return { ...view, myParty };
  return myParty === 'A'
    ? { ...view, myParty, partyB: nameOnly(view.partyB) }
    : { ...view, myParty, partyA: nameOnly(view.partyA) };
}

/** The confirmed mutual termination (合意解約) as the term engine takes it; null when none. */
export function mutualTerminationOf(agreement: Pick<AgreementRecord, 'mutualTerminationOn'>) {
  return agreement.mutualTerminationOn
    ? { effectiveOn: parseLocalDate(agreement.mutualTerminationOn) as LocalDate }
    : null;
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
  const proposals = new Map<string, MutualTerminationRecord>();
  for (const p of await listMutualTerminations(
    ctx.db,
    items.map((i) => i.agreement.id),
  )) {
    // Oldest first: the last pending or confirmed one is the one that counts.
    if (p.state !== 'withdrawn') proposals.set(p.agreementId, p);
  }
  const userNames = new Map(
    (
      await findUsersByIds(ctx.db, [
        ...notices.flatMap((n) => (n.recordedBy ? [n.recordedBy] : [])),
        ...[...proposals.values()].flatMap((p) =>
          [p.proposedBy, p.decidedBy].filter((x): x is string => !!x),
        ),
        ...items.flatMap(({ agreement: a }) =>
          [a.signatures.A?.by, a.signatures.B?.by].filter((x): x is string => !!x),
        ),
      ])
    ).map((u) => [u.id, u.name]),
  );
  return items.map(({ agreement, myParty }) => {
    const own = notices.filter((n) => n.agreementId === agreement.id);
    const term = evaluateTerm({
      signedOn: agreement.signedOn ? parseLocalDate(agreement.signedOn) : null,
      parameters: agreement.parameters,
      terminationNotices: noticesAsTermInput(own),
      mutualTermination: mutualTerminationOf(agreement),
      on: evaluatedOn,
    });
    const signature = (x: AgreementRecord['signatures']['A']): SignatureView | null =>
      x
        ? { by: x.by ? { id: x.by, name: userNames.get(x.by) ?? null } : null, at: x.at, onPaper: x.onPaper }
        : null;
    return viewFor(
      {
        agreement,
        partyA: party(orgs.get(agreement.partyAId) as OrganizationRecord),
        partyB: party(orgs.get(agreement.partyBId) as OrganizationRecord),
        signatures: { A: signature(agreement.signatures.A), B: signature(agreement.signatures.B) },
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
        mutualTermination: mutualTerminationView(proposals.get(agreement.id), userNames),
      },
      myParty,
    );
  });
}

function mutualTerminationView(
  p: MutualTerminationRecord | undefined,
  names: ReadonlyMap<string, string>,
): MutualTerminationView | null {
  if (!p) return null;
  return {
    ...p,
    proposedByName: p.proposedBy ? (names.get(p.proposedBy) ?? null) : null,
    decidedByName: p.decidedBy ? (names.get(p.decidedBy) ?? null) : null,
  };
}
