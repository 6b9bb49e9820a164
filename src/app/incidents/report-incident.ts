import type { CauseEntity, IncidentKind, InfoCategory } from '../../domain/incident/classification.js';
import { initialState } from '../../domain/incident/state.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant, Temporal, todayIn } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findAgreement } from '../../persistence/repositories/agreements.js';
import { insertIncident, type IncidentRecord } from '../../persistence/repositories/incidents.js';
import { requireIncidentAccess, type PartyCode } from '../access.js';
import { requireArticleInForce } from '../agreements/survival.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { emitWebhook, incidentEventData, mailParty } from './notify.js';
import { clauseTitle } from '../../domain/obligation/engine.js';
import { refreshClocks } from './obligations.js';
import { checkIncidentTimes } from './validate.js';

export interface ReportIncidentInput {
  reportingParty: PartyCode;
  title: string;
  summary?: string | undefined;
  infoCategories?: InfoCategory[] | undefined;
  kinds?: IncidentKind[] | undefined;
  causeEntity?: CauseEntity | undefined;
  suspected: boolean;
  occurredAt?: string | null | undefined;
  discoveredAt: string;
  affectedPersons?: number | null | undefined;
  affectedPersonsEstimated?: boolean | undefined;
  affectedRecords?: number | null | undefined;
  affectedRecordsEstimated?: boolean | undefined;
  dataItems?: string[] | undefined;
  sensitiveData?: boolean | undefined;
  financialHarmRisk?: boolean | undefined;
  improperPurpose?: boolean | undefined;
  encrypted?: boolean | undefined;
}

/**
 * Art 3.1: an incident — or a suspicion of one — on a party's side (including its contractors,
 * Art 7) is registered; the clocks of Art 3.1 and 3.3 run from its discovery (not from the
 * registration), but never from before the memorandum took effect. The agreement must be in force
 * today or have been in force on the discovery date: a duty that arose during the term can be
 * registered after the end (Art 11.3 ends the agreement, not the duties that already arose).
 * Until its first notice the incident is the reporting party's own: the counterparty learns of it
 * from the notice (Art 3.1), not from the registration.
 */
export async function reportIncident(
  ctx: AppContext,
  actor: Actor,
  agreementId: string,
  input: ReportIncidentInput,
): Promise<IncidentRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  checkIncidentTimes(input.occurredAt ?? null, input.discoveredAt, nowInstant.epochMilliseconds);
  return inTransaction(ctx.db, async (tx) => {
    const agreement = await findAgreement(tx, agreementId);
    if (!agreement) throw new AppError('AGREEMENT_NOT_FOUND');
    requireIncidentAccess(actor, 'incident.report', agreement, input.reportingParty);
    // Art 3 (notice of an incident) must apply today, or have applied on the discovery day: a duty
    // that arose during the term can be registered after the end (Art 11.3 ends the agreement, not
    // the duties that already arose).
    await requireArticleInForce(tx, agreement, 3, nowInstant, {
      orOn: todayIn(Temporal.Instant.from(input.discoveredAt)),
    });
    const incident: IncidentRecord = {
      id: newId('incident'),
      agreementId,
      reportingParty: input.reportingParty,
      title: input.title.trim(),
      summary: input.summary?.trim() ?? '',
      infoCategories: [...new Set(input.infoCategories ?? [])],
      kinds: [...new Set(input.kinds ?? [])],
      causeEntity: input.causeEntity ?? 'unknown',
      suspected: input.suspected,
      state: initialState(input.suspected),
      dismissedReason: null,
      dismissedAt: null,
      occurredAt: input.occurredAt ?? null,
      discoveredAt: input.discoveredAt,
      affectedPersons: input.affectedPersons ?? null,
      affectedPersonsEstimated: input.affectedPersonsEstimated ?? false,
      affectedRecords: input.affectedRecords ?? null,
      affectedRecordsEstimated: input.affectedRecordsEstimated ?? false,
      dataItems: input.dataItems ?? [],
      sensitiveData: input.sensitiveData ?? false,
      financialHarmRisk: input.financialHarmRisk ?? false,
      improperPurpose: input.improperPurpose ?? false,
      encrypted: input.encrypted ?? false,
      version: 1,
      createdBy: actor.kind === 'user' ? actor.userId : null,
      createdAt: now,
      updatedAt: now,
      firstNoticeAt: null,
    };
    await insertIncident(tx, incident);
    await recordAudit(tx, actor, now, {
      chain: agreementId,
      action: 'incident.reported',
      recordType: 'incident',
      recordId: incident.id,
      payload: { after: incident },
    });
    const obligations = await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    // Internal escalation: the registering party's acting users hear of it at once, with the Art 3.1
    // deadline (the other company hears of it only from the first notice).
    const notice = obligations.find((o) => o.clause === '3.1');
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      incident.reportingParty,
      `incident.registered:${incident.id}`,
      {
        kind: 'incident_registered',
        ...(notice
          ? { dueAt: new Date(notice.dueAtMs).toISOString(), clause: clauseTitle(notice.clause) }
          : {}),
      },
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'incident.reported',
      `incident.reported:${incident.id}`,
      incidentEventData(ctx, incident),
      now,
      incident.reportingParty,
    );
    return incident;
  });
}
