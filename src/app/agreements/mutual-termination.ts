import { evaluateTerm } from '../../domain/agreement/term.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant, parseLocalDate, Temporal, todayIn, type LocalDate } from '../../domain/shared/time.js';
import { formatArticleList } from '../../documents/annex.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  listTerminationNotices,
  updateAgreement,
  type AgreementRecord,
} from '../../persistence/repositories/agreements.js';
import {
  decideMutualTermination,
  insertMutualTermination,
  listMutualTerminations,
  type MutualTerminationRecord,
} from '../../persistence/repositories/mutual-terminations.js';
import { findOrganizations } from '../../persistence/repositories/organizations.js';
import { findUsersByIds, listUsersOfOrganization } from '../../persistence/repositories/users.js';
import { enqueueOutbox } from '../../persistence/repositories/outbox.js';
import type { AgreementPermission, PartyCode } from '../access.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { mutualTerminationMail, type MutualTerminationMailKind } from '../mail/mutual-termination-mails.js';
import {
  loadAgreementFor,
  mutualTerminationOf,
  noticesAsTermInput,
  type MutualTerminationView,
} from './agreement-view.js';

/**
 * 合意解約 (mutual termination): the parties may end the memorandum early by agreement, e.g. when
 * the outsourcing contract behind it ends. It is a contract of its own (民法第521条): Art 11
 * neither requires nor limits it. One party's owner or legal proposes the first day on which the
 * memorandum no longer applies (`effectiveOn`); the other party's owner or legal confirms it. From
 * `effectiveOn` the term shows `terminated` (basis 合意解約) and only the articles surviving under
 * Art 11.3 apply.
 *
 * The date: today or later — a past date would end it retroactively, undoing duties that already
 * ran (refused, 400). A date beyond the current term's end is allowed while the agreement renews:
 * the parties may agree to end it during the next term, and nothing in Art 11 forbids that. It
 * must not be after the end Art 11 already set (a notice or no renewal): the agreement has ended
 * by then, and moving the end later would be an amendment of the term, not a termination (400).
 */
export interface MutualTerminationResult {
  proposal: MutualTerminationView;
  agreement: AgreementRecord;
}

async function withNames(tx: Tx, p: MutualTerminationRecord): Promise<MutualTerminationView> {
  const names = new Map(
    (
      await findUsersByIds(
        tx,
        [p.proposedBy, p.decidedBy].filter((x): x is string => !!x),
      )
    ).map((u) => [u.id, u.name]),
  );
  return {
    ...p,
    proposedByName: p.proposedBy ? (names.get(p.proposedBy) ?? null) : null,
    decidedByName: p.decidedBy ? (names.get(p.decidedBy) ?? null) : null,
  };
}

function invalidDate(message: { ja: string; en: string }, extras: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION_FAILED', {
    message,
    extras: { errors: [{ path: 'effectiveOn' }], ...extras },
  });
}

/** The actor's party, or 403 for the administrator (not a party: it cannot agree for a company). */
async function loadAsParty(
  tx: Tx,
  actor: Actor,
  agreementId: string,
  permission: AgreementPermission,
): Promise<{ agreement: AgreementRecord; myParty: PartyCode }> {
  const { agreement, myParty } = await loadAgreementFor(tx, actor, agreementId, permission);
  if (myParty === null) {
    throw new AppError('FORBIDDEN', {
      message: {
        ja: '合意解約は当事者（甲または乙）のオーナーまたは法務担当だけが行えます。',
        en: "A mutual termination is made by a party's owner or legal only.",
      },
    });
  }
  if (!agreement.signedOn) throw new AppError('AGREEMENT_NOT_SIGNED');
  return { agreement, myParty };
}

async function termOn(tx: Tx, agreement: AgreementRecord, on: LocalDate) {
  return evaluateTerm({
    signedOn: parseLocalDate(agreement.signedOn as string) as LocalDate,
    parameters: agreement.parameters,
    terminationNotices: noticesAsTermInput(await listTerminationNotices(tx, [agreement.id])),
    mutualTermination: mutualTerminationOf(agreement),
    on,
  });
}

/** Bumps the agreement's version (the agreement view cache key; serialises concurrent changes). */
async function bumpAgreement(
  tx: Tx,
  agreement: AgreementRecord,
  patch: { mutualTerminationOn?: string },
  now: string,
): Promise<AgreementRecord> {
  if (!(await updateAgreement(tx, agreement.id, { version: agreement.version }, patch, now))) {
    throw new AppError('VERSION_CONFLICT');
  }
  return { ...agreement, ...patch, version: agreement.version + 1, updatedAt: now };
}

/** The owners and legal members of both companies, each mailed in their language. */
async function mailBothParties(
  ctx: AppContext,
  tx: Tx,
  agreement: AgreementRecord,
  kind: MutualTerminationMailKind,
  proposal: MutualTerminationRecord,
  byParty: PartyCode,
  now: string,
): Promise<void> {
  const orgs = new Map(
    (await findOrganizations(tx, [agreement.partyAId, agreement.partyBId])).map((o) => [o.id, o]),
  );
  const name = (id: string) => orgs.get(id)?.name ?? '';
  const surviving = agreement.parameters.survivingArticles;
  for (const orgId of [agreement.partyAId, agreement.partyBId]) {
    const users = (await listUsersOfOrganization(tx, orgId)).filter(
      (u) =>
        (u.role === 'owner' || u.role === 'legal') &&
        u.disabledAt === null &&
        u.removedAt === null &&
        u.passwordHash !== null,
    );
    for (const u of users) {
      await enqueueOutbox(
        tx,
        {
          kind: 'mail',
          dedupeKey: `mutual_termination.${kind}:${proposal.id}:${u.id}`,
          payload: mutualTerminationMail({
            kind,
            to: u.email,
            name: u.name,
            locale: u.locale,
            byOrganization: name(byParty === 'A' ? agreement.partyAId : agreement.partyBId),
            partyA: name(agreement.partyAId),
            partyB: name(agreement.partyBId),
            effectiveOn: proposal.effectiveOn,
            surviving: {
              ja: formatArticleList(surviving),
              en:
                surviving.length === 0
                  ? 'none'
                  : surviving.length === 1
                    ? `Art ${surviving[0]}`
                    : `Arts ${surviving.slice(0, -1).join(', ')} and ${surviving.at(-1)}`,
            },
            link: `${ctx.config.publicUrl}/agreements/${agreement.id}`,
          }),
        },
        now,
      );
    }
  }
}

export async function proposeMutualTermination(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  input: { effectiveOn: LocalDate },
): Promise<MutualTerminationResult> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const today = todayIn(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { agreement, myParty } = await loadAsParty(tx, actor, agreementId, 'mutual_termination.propose');
    const term = await termOn(tx, agreement, today);
    if (term.status === 'terminated' || term.status === 'expired') throw new AppError('AGREEMENT_ENDED');
    const proposals = await listMutualTerminations(tx, [agreementId]);
    if (proposals.some((p) => p.state === 'pending')) throw new AppError('MUTUAL_TERMINATION_PENDING');
    if (agreement.mutualTerminationOn !== null) {
      throw new AppError('MUTUAL_TERMINATION_DECIDED', {
        message: {
          ja: `この覚書は既に ${agreement.mutualTerminationOn} をもって合意解約されています。`,
          en: `This agreement has already been ended by mutual consent as of ${agreement.mutualTerminationOn}.`,
        },
        extras: { effectiveOn: agreement.mutualTerminationOn },
      });
    }
    const cmp = Temporal.PlainDate.compare;
    if (cmp(input.effectiveOn, today) < 0) {
      throw invalidDate(
        {
          ja: '解約日が過去の日付です。合意解約は遡って効力を生じさせられません（今日以降の日付を指定してください）。',
          en: 'The termination date is in the past. A mutual termination cannot take effect retroactively: give today or a later date.',
        },
        { today: today.toString() },
      );
    }
    const signedOn = parseLocalDate(agreement.signedOn as string) as LocalDate;
    if (cmp(input.effectiveOn, signedOn) <= 0) {
      throw invalidDate({
        ja: '解約日は締結日より後の日付にしてください。',
        en: 'The termination date must be after the signing date.',
      });
    }
    // After the end Art 11 already set, the agreement has ended anyway (see the header).
    if (term.endsOn !== null && cmp(input.effectiveOn, term.endsOn) > 0) {
      throw invalidDate(
        {
          ja: `この覚書は ${term.endsOn.toString()} をもって終了します（第11条）。合意解約の日付はそれ以前にしてください。`,
          en: `This agreement ends on ${term.endsOn.toString()} (Art 11). A mutual termination must take effect by then.`,
        },
        { endsOn: term.endsOn.toString() },
      );
    }
    const proposal: MutualTerminationRecord = {
      id: newId('mutualTermination'),
      agreementId,
      proposedByParty: myParty,
      proposedBy: actor.kind === 'user' ? actor.userId : null,
      proposedAt: now,
      effectiveOn: input.effectiveOn.toString(),
      state: 'pending',
      decidedBy: null,
      decidedAt: null,
    };
    const updated = await bumpAgreement(tx, agreement, {}, now);
    await insertMutualTermination(tx, proposal);
    await recordAudit(tx, actor, now, {
      chain: agreementId,
      action: 'mutual_termination.proposed',
      recordType: 'mutual_termination',
      recordId: proposal.id,
      payload: { after: proposal },
    });
    await mailBothParties(ctx, tx, updated, 'proposed', proposal, myParty, now);
    return { proposal: await withNames(tx, proposal), agreement: updated };
  });
}

async function pendingProposal(tx: Tx, agreementId: string): Promise<MutualTerminationRecord> {
  const proposals = await listMutualTerminations(tx, [agreementId]);
  const pending = proposals.find((p) => p.state === 'pending');
  if (pending) return pending;
  throw new AppError(proposals.length === 0 ? 'MUTUAL_TERMINATION_NOT_FOUND' : 'MUTUAL_TERMINATION_DECIDED');
}

/** The other party's owner or legal confirms the pending proposal: the mutual termination is agreed. */
export async function confirmMutualTermination(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
): Promise<MutualTerminationResult> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const today = todayIn(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { agreement, myParty } = await loadAsParty(tx, actor, agreementId, 'mutual_termination.confirm');
    const pending = await pendingProposal(tx, agreementId);
    if (pending.proposedByParty === myParty) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '合意解約の申入れは相手方が確認します（自社の申入れは確認できません）。',
          en: 'A proposal of a mutual termination is confirmed by the other party, not by the party that proposed it.',
        },
      });
    }
    // A proposal whose date has passed would now end the agreement retroactively.
    if (Temporal.PlainDate.compare(parseLocalDate(pending.effectiveOn) as LocalDate, today) < 0) {
      throw new AppError('MUTUAL_TERMINATION_LAPSED', { extras: { effectiveOn: pending.effectiveOn } });
    }
    const term = await termOn(tx, agreement, today);
    if (term.status === 'terminated' || term.status === 'expired') throw new AppError('AGREEMENT_ENDED');
    if (
      !(await decideMutualTermination(tx, pending.id, {
        state: 'confirmed',
        decidedBy: actorId(actor),
        decidedAt: now,
      }))
    ) {
      throw new AppError('MUTUAL_TERMINATION_DECIDED');
    }
    const updated = await bumpAgreement(tx, agreement, { mutualTerminationOn: pending.effectiveOn }, now);
    const proposal: MutualTerminationRecord = {
      ...pending,
      state: 'confirmed',
      decidedBy: actorId(actor),
      decidedAt: now,
    };
    const after = await termOn(tx, updated, parseLocalDate(pending.effectiveOn) as LocalDate);
    await recordAudit(tx, actor, now, {
      chain: agreementId,
      action: 'mutual_termination.confirmed',
      recordType: 'mutual_termination',
      recordId: pending.id,
      payload: {
        before: pending,
        after: proposal,
        endsOn: after.endsOn?.toString() ?? null,
        survivingArticles: agreement.parameters.survivingArticles,
      },
    });
    await mailBothParties(ctx, tx, updated, 'confirmed', proposal, myParty, now);
    return { proposal: await withNames(tx, proposal), agreement: updated };
  });
}

/** The proposing party's owner or legal withdraws its pending proposal. */
export async function withdrawMutualTermination(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
): Promise<MutualTerminationResult> {
  const now = isoInstant(ctx.clock.now());
  return inTransaction(ctx.db, async (tx) => {
    const { agreement, myParty } = await loadAsParty(tx, actor, agreementId, 'mutual_termination.propose');
    const pending = await pendingProposal(tx, agreementId);
    if (pending.proposedByParty !== myParty) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '合意解約の申入れを撤回できるのは申し入れた当事者だけです。',
          en: 'Only the party that proposed the mutual termination can withdraw it.',
        },
      });
    }
    if (
      !(await decideMutualTermination(tx, pending.id, {
        state: 'withdrawn',
        decidedBy: actorId(actor),
        decidedAt: now,
      }))
    ) {
      throw new AppError('MUTUAL_TERMINATION_DECIDED');
    }
    const updated = await bumpAgreement(tx, agreement, {}, now);
    const proposal: MutualTerminationRecord = {
      ...pending,
      state: 'withdrawn',
      decidedBy: actorId(actor),
      decidedAt: now,
    };
    await recordAudit(tx, actor, now, {
      chain: agreementId,
      action: 'mutual_termination.withdrawn',
      recordType: 'mutual_termination',
      recordId: pending.id,
      payload: { before: pending, after: proposal },
    });
    await mailBothParties(ctx, tx, updated, 'withdrawn', proposal, myParty, now);
    return { proposal: await withNames(tx, proposal), agreement: updated };
  });
}

const actorId = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);
