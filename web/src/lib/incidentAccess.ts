import type { Incident } from '../api/incidentTypes';
import type { User } from '../api/types';

/**
 * What the signed-in user may do on an incident — the same rules the server enforces (it decides;
 * this only hides buttons that would be refused): the reporting side notifies, answers and moves
 * the state; the counterparty acknowledges and asks; either side records containment and waives
 * what is owed to it.
 */
export function incidentPermissions(user: User | null | undefined, incident: Incident) {
  const acting = Boolean(user && !user.isAdmin && ['owner', 'legal', 'responder'].includes(user.role));
  const reporting = incident.myParty === incident.reportingParty;
  const open = incident.state !== 'dismissed' && incident.state !== 'closed';
  return {
    reporting,
    // Art 3.1 survives dismissal: a dismissed incident still takes its first notice.
    sendNotice:
      acting && reporting && (open || (incident.state === 'dismissed' && incident.notices.length === 0)),
    acknowledge: acting && !reporting,
    requestItems: acting && !reporting && open,
    answerItems: acting && reporting && open,
    containment: acting && open,
    /** Facts stay correctable after closing (final figures); every change is audited. */
    editFacts: acting && reporting,
    transition: acting && reporting,
    /** Per obligation, only the party it is owed to (Art 3.3 binds both parties). */
    waive: Boolean(user && !user.isAdmin && (user.role === 'owner' || user.role === 'legal')),
    /** A correction of the discovery time: filed by the reporting side, decided by the other. */
    requestCorrection: acting && reporting,
    decideCorrection: Boolean(
      user && !user.isAdmin && (user.role === 'owner' || user.role === 'legal') && !reporting,
    ),
  };
}

export type IncidentPermissions = ReturnType<typeof incidentPermissions>;
