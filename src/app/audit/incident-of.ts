import type { StoredAuditEvent } from '../../domain/audit/chain.js';

const INCIDENT_RECORD_TYPES = new Set([
  'incident',
  'notice',
  'item_request',
  'containment_action',
  'obligation',
  'discovery_correction',
  'disclosure',
  'disclosure_package',
  'incident_note',
  'evidence',
]);

/** The incident an audit event concerns (its record, or the incident its payload names), or null. */
export function incidentOfAuditEvent(e: StoredAuditEvent): string | null {
  if (e.recordType === 'incident') return e.recordId;
  if (!INCIDENT_RECORD_TYPES.has(e.recordType)) return null;
  const p = JSON.parse(e.payload) as { incidentId?: unknown; after?: { incidentId?: unknown } };
  const id = p.incidentId ?? p.after?.incidentId;
  return typeof id === 'string' ? id : null;
}

/**
 * The one party an audit event may be shown to, or null when both parties may see it (subject to
 * the incident's own visibility): a party-internal note's event belongs to the writing party only.
 * Its payload names the party and the visibility (never the note's body, only its SHA-256).
 */
export function partyOnlyAuditEvent(e: StoredAuditEvent): 'A' | 'B' | null {
  // Evidence (Art 4.2(7)) is its uploading party's own until shared: events recorded before the
  // share stay that party's; its payload carries the same byParty / visibility.
  if (e.recordType !== 'incident_note' && e.recordType !== 'evidence') return null;
  const p = JSON.parse(e.payload) as { visibility?: unknown; byParty?: unknown };
  if (p.visibility === 'shared') return null;
  return p.byParty === 'B' ? 'B' : 'A';
}
