import { AppError, type ErrorCode } from '../../domain/shared/errors.js';
import type { Tx } from '../../persistence/db.js';
import { findAgreement, type AgreementRecord } from '../../persistence/repositories/agreements.js';
import { findIncident, type IncidentRecord } from '../../persistence/repositories/incidents.js';
import { findNotice, type NoticeRecord } from '../../persistence/repositories/notices.js';
import {
  incidentVisibleTo,
  requireIncidentAccess,
  sideOf,
  type IncidentPermission,
  type PartyCode,
} from '../access.js';
import type { Actor } from '../context.js';

export interface LoadedIncident {
  incident: IncidentRecord;
  agreement: AgreementRecord;
  /** The actor's side (the reporting party for system actors). */
  side: PartyCode;
}

/**
 * Loads an incident the actor may act on, or throws (404 for non-parties; 403 for the rest). Loading
 * it for a record of the incident (a notice, a request, …), pass that record's not-found code: a
 * party that may not see the incident is told the record does not exist, not that the incident does.
 */
export async function loadIncidentFor(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  permission: IncidentPermission,
  notFound: ErrorCode = 'INCIDENT_NOT_FOUND',
): Promise<LoadedIncident> {
  const incident = await findIncident(tx, incidentId);
  if (!incident) throw new AppError(notFound);
  const agreement = await findAgreement(tx, incident.agreementId);
  if (!agreement) throw new AppError(notFound);
  if (!incidentVisibleTo(sideOf(actor, agreement), incident)) throw new AppError(notFound);
  try {
    const side = requireIncidentAccess(actor, permission, agreement, incident.reportingParty);
    return { incident, agreement, side };
  } catch (e) {
    if (e instanceof AppError && e.code === 'INCIDENT_NOT_FOUND') throw new AppError(notFound);
    throw e;
  }
}

export async function loadNoticeFor(
  tx: Tx,
  actor: Actor,
  noticeId: string,
  permission: IncidentPermission,
): Promise<LoadedIncident & { notice: NoticeRecord }> {
  const notice = await findNotice(tx, noticeId);
  if (!notice) throw new AppError('NOTICE_NOT_FOUND');
  return { ...(await loadIncidentFor(tx, actor, notice.incidentId, permission, 'NOTICE_NOT_FOUND')), notice };
}

export const otherParty = (p: PartyCode): PartyCode => (p === 'A' ? 'B' : 'A');

export function orgOf(agreement: AgreementRecord, party: PartyCode): string {
  return party === 'A' ? agreement.partyAId : agreement.partyBId;
}
