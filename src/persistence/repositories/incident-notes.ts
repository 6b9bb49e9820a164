import type { Tx } from '../db.js';
import type { IncidentNotesTable } from '../schema.js';

export type NoteVisibility = 'party' | 'shared';

export interface IncidentNoteRecord {
  id: string;
  incidentId: string;
  agreementId: string;
  byParty: 'A' | 'B';
  authorId: string | null;
  body: string;
  visibility: NoteVisibility;
  createdAt: string;
}

function toRecord(r: IncidentNotesTable): IncidentNoteRecord {
  return {
    id: r.id,
    incidentId: r.incident_id,
    agreementId: r.agreement_id,
    byParty: r.by_party === 'B' ? 'B' : 'A',
    authorId: r.author_id,
    body: r.body,
    visibility: r.visibility === 'shared' ? 'shared' : 'party',
    createdAt: r.created_at,
  };
}

export async function insertIncidentNote(tx: Tx, n: IncidentNoteRecord): Promise<void> {
  await tx.q
    .insertInto('incident_notes')
    .values({
      id: n.id,
      incident_id: n.incidentId,
      agreement_id: n.agreementId,
      by_party: n.byParty,
      author_id: n.authorId,
      body: n.body,
      visibility: n.visibility,
      created_at: n.createdAt,
    })
    .execute();
}

/**
 * The notes of an incident that `side` may read: its own (party and shared) and the other party's
 * shared ones. The other party's internal notes are filtered in the query, never loaded.
 */
export async function listIncidentNotesFor(
  tx: Tx,
  incidentId: string,
  side: 'A' | 'B',
): Promise<IncidentNoteRecord[]> {
  const rows = await tx.q
    .selectFrom('incident_notes')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where((eb) => eb.or([eb('by_party', '=', side), eb('visibility', '=', 'shared')]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}
