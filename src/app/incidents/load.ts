import { AppError } from '../../domain/shared/errors.js';
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

/** Loads an incident the actor may act on, or throws (404 for non-parties; 403 for the rest). */
export async function loadIncidentFor(
  tx: Tx,
  actor: Actor,
  incidentId: string,
  permission: IncidentPermission,
): Promise<LoadedIncident> {
  const incident = await findIncident(tx, incidentId);
  if (!incident) throw new AppError('INCIDENT_NOT_FOUND');
  const agreement = await findAgreement(tx, incident.agreementId);
  if (!agreement) throw new AppError('INCIDENT_NOT_FOUND');
  if (!incidentVisibleTo(sideOf(actor, agreement), incident)) throw new AppError('INCIDENT_NOT_FOUND');
  const side = requireIncidentAccess(actor, permission, agreement, incident.reportingParty);
  return { incident, agreement, side };
}

export async function loadNoticeFor(
  tx: Tx,
  actor: Actor,
  noticeId: string,
  permission: IncidentPermission,
): Promise<LoadedIncident & { notice: NoticeRecord }> {
  const notice = await findNotice(tx, noticeId);
  if (!notice) throw new AppError('NOTICE_NOT_FOUND');
  try {
    return { ...(await loadIncidentFor(tx, actor, notice.incidentId, permission)), notice };
  } catch (e) {
    if (e instanceof AppError && e.code === 'INCIDENT_NOT_FOUND') throw new AppError('NOTICE_NOT_FOUND');
    throw e;
  }
}

export const otherParty = (p: PartyCode): PartyCode => (p === 'A' ? 'B' : 'A');

export function orgOf(agreement: AgreementRecord, party: PartyCode): string {
  return party === 'A' ? agreement.partyAId : agreement.partyBId;
}
