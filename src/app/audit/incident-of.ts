import type { StoredAuditEvent } from '../../domain/audit/chain.js';

const INCIDENT_RECORD_TYPES = new Set([
  'incident',
  'notice',
  'item_request',
  'containment_action',
  'obligation',
  'discovery_correction',
]);

/** The incident an audit event concerns (its record, or the incident its payload names), or null. */
export function incidentOfAuditEvent(e: StoredAuditEvent): string | null {
  if (e.recordType === 'incident') return e.recordId;
  if (!INCIDENT_RECORD_TYPES.has(e.recordType)) return null;
  const p = JSON.parse(e.payload) as { incidentId?: unknown; after?: { incidentId?: unknown } };
  const id = p.incidentId ?? p.after?.incidentId;
  return typeof id === 'string' ? id : null;
}
