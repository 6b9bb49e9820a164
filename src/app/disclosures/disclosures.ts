import {
  DISCLOSURE_BASIS_LABELS,
  checkDisclosed,
  initialDisclosureState,
  isException,
  type DisclosureBasis,
} from '../../domain/disclosure/disclosure.js';
import { AppError, type ErrorCode } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import type { AgreementRecord } from '../../persistence/repositories/agreements.js';
import {
  decideDisclosure as markDecided,
  findDisclosure,
  insertDisclosure,
  listDisclosurePackages,
  listDisclosures,
  recordDisclosed,
  type DisclosurePackageRecord,
  type DisclosureRecord,
} from '../../persistence/repositories/disclosures.js';
import type { IncidentRecord } from '../../persistence/repositories/incidents.js';
import type { IncidentPermission, PartyCode } from '../access.js';
import { requireArticleInForce } from '../agreements/survival.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, otherParty, type LoadedIncident } from '../incidents/load.js';
import { emitWebhook, incidentLink, mailParty } from '../incidents/notify.js';
import { checkNotFuture } from '../incidents/validate.js';

/** Art 5 survives the agreement by default (Art 11.3); whether it does is the agreement's `survivingArticles`. */
const ARTICLE = 5;

export interface FileDisclosureInput {
  recipient: string;
  purpose: string;
  scope: string;
  basis: DisclosureBasis;
  basisReference?: string | undefined;
}

const userId = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

/** What a disclosure is, in both languages, for the mails to the counterparty. */
function disclosureDetail(d: DisclosureRecord): string {
  return [
    `開示先 / Recipient: ${d.recipient}`,
    `目的 / Purpose: ${d.purpose}`,
    `範囲 / Scope: ${d.scope}`,
    `根拠 / Basis: ${DISCLOSURE_BASIS_LABELS[d.basis].ja} / ${DISCLOSURE_BASIS_LABELS[d.basis].en}${
      d.basisReference ? ` — ${d.basisReference}` : ''
    }`,
  ].join('\n');
}

function webhookData(ctx: AppContext, d: DisclosureRecord) {
  return {
    disclosureId: d.id,
    incidentId: d.incidentId,
    byParty: d.byParty,
    basis: d.basis,
    state: d.state,
    priorNotice: d.priorNotice,
    url: incidentLink(ctx, d.incidentId),
  };
}

/**
 * Loads a disclosure and its incident for the actor (404 DISCLOSURE_NOT_FOUND when the actor may
 * not see the incident), with Art 5 required to be in force (or surviving) today for a change.
 */
export async function loadDisclosureFor(
  tx: Tx,
  actor: Actor,
  disclosureId: string,
  permission: IncidentPermission,
  notFound: ErrorCode = 'DISCLOSURE_NOT_FOUND',
): Promise<LoadedIncident & { disclosure: DisclosureRecord }> {
  const disclosure = await findDisclosure(tx, disclosureId);
  if (!disclosure) throw new AppError(notFound);
  return { ...(await loadIncidentFor(tx, actor, disclosure.incidentId, permission, notFound)), disclosure };
}

/** Only the party that filed the disclosure discloses, records it and builds its packages. */
export function requireFilingParty(side: PartyCode, d: DisclosureRecord): void {
  if (side !== d.byParty) {
    throw new AppError('FORBIDDEN', {
      message: {
        ja: 'この操作は開示を申請した当事者だけが行えます。',
        en: 'Only the party that filed the disclosure can do this.',
      },
    });
  }
}

async function tellCounterparty(
  ctx: AppContext,
  tx: Tx,
  agreement: AgreementRecord,
  incident: IncidentRecord,
  d: DisclosureRecord,
  kind:
    'disclosure_consent_requested' | 'disclosure_excepted' | 'disclosure_decided' | 'disclosure_disclosed',
  to: PartyCode,
  detail: string,
  now: string,
): Promise<void> {
  await mailParty(ctx, tx, agreement, incident, to, `${kind}:${d.id}`, { kind, detail }, now);
}

/**
 * Art 5.1: before disclosing incident information to anyone outside the two companies, a party
 * files the disclosure. On consent (本文) it waits for the counterparty's legal or owner; on an
 * exception of the proviso (law, court order, authority request: with its reference) it applies at
 * once, and the counterparty is told at once by mail and webhook — the prior notice of Art 5.2.
 * The counterparty must already know of the incident (its first notice, Art 3.1).
 */
export async function fileDisclosure(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: FileDisclosureInput,
): Promise<DisclosureRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const reference = input.basisReference?.trim() || null;
  if (isException(input.basis) && !reference) {
    throw new AppError('VALIDATION_FAILED', {
      message: {
        ja: '法令・裁判所・行政機関に基づく開示（第5条第1項ただし書）には、根拠（法令名・命令の番号等）を入力してください。',
        en: 'A disclosure under the Art 5.1 proviso (law, court order, authority request) needs its basisReference (the statute, the order number, …).',
      },
      extras: { errors: [{ path: 'basisReference' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(tx, actor, incidentId, 'disclosure.file');
    await requireArticleInForce(tx, agreement, ARTICLE, nowInstant);
    if (incident.firstNoticeAt === null) throw new AppError('DISCLOSURE_BEFORE_NOTICE');
    const state = initialDisclosureState(input.basis);
    const d: DisclosureRecord = {
      id: newId('disclosure'),
      incidentId: incident.id,
      agreementId: agreement.id,
      byParty: side,
      filedBy: userId(actor),
      recipient: input.recipient.trim(),
      purpose: input.purpose.trim(),
      scope: input.scope.trim(),
      basis: input.basis,
      basisReference: reference,
      state,
      filedAt: now,
      // The counterparty is told now: its mail and webhook are queued in this transaction.
      counterpartyNotifiedAt: now,
      decidedBy: null,
      decidedAt: null,
      conditions: null,
      decisionReason: null,
      disclosedAt: null,
      disclosureRecordedAt: null,
      disclosureRecordedBy: null,
      priorNotice: null,
      version: 1,
    };
    await insertDisclosure(tx, d);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: state === 'excepted' ? 'disclosure.excepted' : 'disclosure.requested',
      recordType: 'disclosure',
      recordId: d.id,
      payload: { incidentId: incident.id, after: d },
    });
    await tellCounterparty(
      ctx,
      tx,
      agreement,
      incident,
      d,
      state === 'excepted' ? 'disclosure_excepted' : 'disclosure_consent_requested',
      otherParty(side),
      disclosureDetail(d),
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'disclosure.filed',
      `disclosure.filed:${d.id}`,
      webhookData(ctx, d),
      now,
    );
    return d;
  });
}

/**
 * Art 5.1: the counterparty's legal or owner consents (with conditions, if any) or refuses. The
 * filing party never decides its own disclosure (403); a decision is final (409 on a second).
 */
export async function decideDisclosure(
  ctx: AppContext,
  actor: Actor,
  disclosureId: string,
  input: { decision: 'consented' | 'refused'; conditions?: string | undefined; reason?: string | undefined },
): Promise<DisclosureRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side, disclosure } = await loadDisclosureFor(
      tx,
      actor,
      disclosureId,
      'disclosure.decide',
    );
    if (side === disclosure.byParty) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '開示を申請した当事者は、自らの申請を承諾・不承諾できません（第5条第1項：相手方の承諾）。',
          en: 'The party that filed a disclosure cannot decide it (Art 5.1: the other party consents).',
        },
      });
    }
    await requireArticleInForce(tx, agreement, ARTICLE, nowInstant);
    if (disclosure.state !== 'pending_consent') {
      throw new AppError('DISCLOSURE_DECIDED', { extras: { state: disclosure.state } });
    }
    const decided = {
      state: input.decision,
      decidedBy: userId(actor),
      decidedAt: now,
      conditions: input.decision === 'consented' ? input.conditions?.trim() || null : null,
      reason: input.reason?.trim() || null,
    } as const;
    if (!(await markDecided(tx, disclosureId, decided))) throw new AppError('DISCLOSURE_DECIDED');
    const after: DisclosureRecord = {
      ...disclosure,
      state: decided.state,
      decidedBy: decided.decidedBy,
      decidedAt: now,
      conditions: decided.conditions,
      decisionReason: decided.reason,
      version: disclosure.version + 1,
    };
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: `disclosure.${input.decision}`,
      recordType: 'disclosure',
      recordId: disclosureId,
      payload: {
        incidentId: incident.id,
        decision: input.decision,
        conditions: decided.conditions,
        reason: decided.reason,
      },
    });
    const detail =
      input.decision === 'consented'
        ? `承諾 / consented${decided.conditions ? ` — 条件 / conditions: ${decided.conditions}` : ''}`
        : `不承諾 / refused${decided.reason ? ` — ${decided.reason}` : ''}`;
    await tellCounterparty(
      ctx,
      tx,
      agreement,
      incident,
      after,
      'disclosure_decided',
      disclosure.byParty,
      detail,
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'disclosure.decided',
      `disclosure.decided:${disclosureId}`,
      webhookData(ctx, after),
      now,
    );
    return after;
  });
}

/**
 * Records the actual disclosure by the filing party. Consent path: not before the consent (409
 * CONSENT_REQUIRED — Art 5.1 demands it beforehand). Exception path: always, but one made before
 * the counterparty was told is marked `priorNotice: false` (事前通知なし, Art 5.2). The counterparty
 * is mailed either way.
 */
export async function recordDisclosure(
  ctx: AppContext,
  actor: Actor,
  disclosureId: string,
  input: { disclosedAt: string },
): Promise<DisclosureRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  checkNotFuture('disclosedAt', input.disclosedAt, nowInstant.epochMilliseconds);
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side, disclosure } = await loadDisclosureFor(
      tx,
      actor,
      disclosureId,
      'disclosure.file',
    );
    requireFilingParty(side, disclosure);
    await requireArticleInForce(tx, agreement, ARTICLE, nowInstant);
    if (disclosure.disclosedAt !== null) throw new AppError('DISCLOSURE_ALREADY_RECORDED');
    const check = checkDisclosed(disclosure, input.disclosedAt);
    if (!check.ok) {
      throw new AppError('CONSENT_REQUIRED', {
        status: 409,
        message:
          check.reason === 'before_consent'
            ? {
                ja: '相手方の承諾より前に開示したことになります。承諾前の開示は第5条第1項に反するため記録できません。',
                en: "That is before the other party's consent: a disclosure before consent breaches Art 5.1 and cannot be recorded as one.",
              }
            : {},
        extras: { state: disclosure.state, decidedAt: disclosure.decidedAt },
      });
    }
    const recorded = {
      disclosedAt: input.disclosedAt,
      recordedAt: now,
      recordedBy: userId(actor),
      priorNotice: check.priorNotice,
    };
    if (!(await recordDisclosed(tx, disclosureId, recorded)))
      throw new AppError('DISCLOSURE_ALREADY_RECORDED');
    const after: DisclosureRecord = {
      ...disclosure,
      disclosedAt: input.disclosedAt,
      disclosureRecordedAt: now,
      disclosureRecordedBy: recorded.recordedBy,
      priorNotice: check.priorNotice,
      version: disclosure.version + 1,
    };
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'disclosure.disclosed',
      recordType: 'disclosure',
      recordId: disclosureId,
      payload: { incidentId: incident.id, disclosedAt: input.disclosedAt, priorNotice: check.priorNotice },
    });
    const detail = `${disclosureDetail(after)}\n開示日時 / Disclosed at: ${input.disclosedAt}${
      check.priorNotice ? '' : '\n事前通知なし / Not notified beforehand (Art 5.2)'
    }`;
    await tellCounterparty(
      ctx,
      tx,
      agreement,
      incident,
      after,
      'disclosure_disclosed',
      otherParty(side),
      detail,
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'disclosure.disclosed',
      `disclosure.disclosed:${disclosureId}`,
      webhookData(ctx, after),
      now,
    );
    return after;
  });
}

/** The disclosure register of an incident (both parties see it), with each disclosure's packages. */
export async function listDisclosureRegister(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<{ disclosures: DisclosureRecord[]; packages: DisclosurePackageRecord[] }> {
  await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  return {
    disclosures: await listDisclosures(ctx.db, incidentId),
    packages: await listDisclosurePackages(ctx.db, incidentId),
  };
}
