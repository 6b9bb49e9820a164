import { evaluateTerm } from '../../domain/agreement/term.js';
import type { CauseEntity, IncidentKind, InfoCategory } from '../../domain/incident/classification.js';
import { initialState } from '../../domain/incident/state.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant, parseLocalDate, todayIn, type LocalDate } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findAgreement, listTerminationNotices } from '../../persistence/repositories/agreements.js';
import { insertIncident, type IncidentRecord } from '../../persistence/repositories/incidents.js';
import { requireIncidentAccess, type PartyCode } from '../access.js';
import { noticesAsTermInput } from '../agreements/agreement-view.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { emitWebhook, incidentEventData } from './notify.js';
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
 * Art 7) is recorded; from this moment the clocks of Art 3.1 and 3.3 run. Only an agreement that
 * is active today accepts new incidents (Art 11.3: after its end only Arts 5, 8, 9 survive).
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
    const term = evaluateTerm({
      signedOn: agreement.signedOn ? (parseLocalDate(agreement.signedOn) as LocalDate) : null,
      parameters: agreement.parameters,
      terminationNotices: noticesAsTermInput(await listTerminationNotices(tx, [agreement.id])),
      on: todayIn(nowInstant),
    });
    if (term.status !== 'active') {
      throw new AppError('AGREEMENT_NOT_ACTIVE', { extras: { agreementStatus: term.status } });
    }
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
    };
    await insertIncident(tx, incident);
    await recordAudit(tx, actor, now, {
      chain: agreementId,
      action: 'incident.reported',
      recordType: 'incident',
      recordId: incident.id,
      payload: { after: incident },
    });
    await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    await emitWebhook(
      ctx,
      tx,
      agreement,
      'incident.reported',
      `incident.reported:${incident.id}`,
      incidentEventData(ctx, incident),
      now,
    );
    return incident;
  });
}
