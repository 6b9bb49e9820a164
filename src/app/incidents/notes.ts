import { createHash } from 'node:crypto';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  insertIncidentNote,
  listIncidentNotesFor,
  type IncidentNoteRecord,
  type NoteVisibility,
} from '../../persistence/repositories/incident-notes.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor } from './load.js';

/**
 * A party's working note on an incident (DESIGN §2: internal records stay with their party).
 * `party`: the writing company's own — never shown, counted, mailed, sent by webhook, packaged or
 * listed in the audit events of the other company; `shared`: both parties read it. Writing a note
 * changes nothing else on the incident (no version, no updatedAt, no mail, no webhook), so the
 * other party cannot notice one through any reply. Its audit event carries the body's SHA-256, not
 * the body, and is shown only to the writing party when the note is internal.
 */
export async function addIncidentNote(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { body: string; visibility: NoteVisibility },
): Promise<IncidentNoteRecord> {
  const now = isoInstant(ctx.clock.now());
  const body = input.body.trim();
  if (!body) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: 'メモの本文を入力してください。', en: 'Write the note.' },
      extras: { errors: [{ path: 'body' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(tx, actor, incidentId, 'note.write');
    const note: IncidentNoteRecord = {
      id: newId('incidentNote'),
      incidentId: incident.id,
      agreementId: agreement.id,
      byParty: side,
      authorId: actor.kind === 'user' ? actor.userId : null,
      body,
      visibility: input.visibility,
      createdAt: now,
    };
    await insertIncidentNote(tx, note);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'note.created',
      recordType: 'incident_note',
      recordId: note.id,
      payload: {
        incidentId: incident.id,
        byParty: side,
        visibility: note.visibility,
        bodySha256: createHash('sha256').update(body).digest('hex'),
      },
    });
    return note;
  });
}

/** The notes the actor's party may read: its own and the other party's shared ones, oldest first. */
export async function listIncidentNotes(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<IncidentNoteRecord[]> {
  const { side } = await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  return listIncidentNotesFor(ctx.db, incidentId, side);
}
