import type { Incident } from '../api/incidentTypes';
import type { User } from '../api/types';

/**
 * What the signed-in user may do on an incident — the same rules the server enforces (it decides;
 * this only hides buttons that would be refused): the reporting side notifies, answers and moves
 * the state; the counterparty acknowledges, asks and waives; either side records containment.
 */
export function incidentPermissions(user: User | null | undefined, incident: Incident) {
  const acting = Boolean(user && !user.isAdmin && ['owner', 'legal', 'responder'].includes(user.role));
  const reporting = incident.myParty === incident.reportingParty;
  const open = incident.state !== 'dismissed' && incident.state !== 'closed';
  return {
    reporting,
    sendNotice: acting && reporting && open,
    acknowledge: acting && !reporting,
    requestItems: acting && !reporting && open,
    answerItems: acting && reporting && open,
    containment: acting && open,
    /** Facts stay correctable after closing (final figures); every change is audited. */
    editFacts: acting && reporting,
    transition: acting && reporting,
    waive: Boolean(user && !user.isAdmin && (user.role === 'owner' || user.role === 'legal') && !reporting),
  };
}

export type IncidentPermissions = ReturnType<typeof incidentPermissions>;
