import type { Incident } from '../api/incidentTypes';
import type { AuditEvent } from '../api/types';

function payloadIncidentId(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as { incidentId?: unknown; after?: { incidentId?: unknown } };
  if (typeof p.incidentId === 'string') return p.incidentId;
  if (p.after && typeof p.after.incidentId === 'string') return p.after.incidentId;
  return null;
}

/**
 * Picks one incident's events out of its agreement's audit chain: the incident itself, its notices,
 * requests, containment records and obligations (by record id, or the incident id in the payload).
 */
export function incidentEventFilter(incident: Incident): (e: AuditEvent) => boolean {
  const ids = new Set<string>([
    incident.id,
    ...incident.notices.map((n) => n.id),
    ...incident.itemRequests.map((r) => r.id),
    ...incident.containmentActions.map((c) => c.id),
    ...incident.obligations.map((o) => o.id),
  ]);
  return (e) => ids.has(e.recordId) || payloadIncidentId(e.payload) === incident.id;
}
