import { acceptsRecords } from '../../domain/incident/state.js';
import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  insertContainment,
  type ContainmentKind,
  type ContainmentRecord,
} from '../../persistence/repositories/notices.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor } from './load.js';
import { refreshClocks } from './obligations.js';
import { checkNotFuture } from './validate.js';

export interface ContainmentInput {
  kind: ContainmentKind;
  /** What was done, or (none_needed) why no measure is needed; `reason` stands in when absent. */
  description?: string | undefined;
  /** Art 3.3 wording for none_needed: the reason no measure is needed. */
  reason?: string | undefined;
  takenAt?: string | undefined;
  result?: string | null | undefined;
}

/**
 * Art 3.3: a containment measure (access cut off, system stopped, passwords changed, other) by
 * either party with who, when and result — or a recorded decision that none is needed, with the
 * reason. The reporting party's first such record meets its Art 3.3 obligation.
 */
export async function recordContainment(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: ContainmentInput,
): Promise<ContainmentRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const takenAt = input.takenAt ?? now;
  checkNotFuture('takenAt', takenAt, nowInstant.epochMilliseconds);
  const description = (input.description?.trim() || input.reason?.trim()) ?? '';
  if (!description) {
    throw new AppError('VALIDATION_FAILED', {
      message:
        input.kind === 'none_needed'
          ? {
              ja: '措置が不要と判断した理由を入力してください。',
              en: 'Give the reason why no measure is needed.',
            }
          : { ja: '実施した措置の内容を入力してください。', en: 'Describe the measure taken.' },
      extras: { errors: [{ path: 'description' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(tx, actor, incidentId, 'containment.record');
    if (!acceptsRecords(incident.state))
      throw new AppError('INCIDENT_NOT_OPEN', { extras: { state: incident.state } });
    const record: ContainmentRecord = {
      id: newId('containmentAction'),
      incidentId,
      byParty: side,
      kind: input.kind,
      description,
      takenAt,
      result: input.result?.trim() || null,
      recordedBy: actor.kind === 'user' ? actor.userId : null,
      createdAt: now,
    };
    await insertContainment(tx, record);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: input.kind === 'none_needed' ? 'containment.not_needed' : 'containment.recorded',
      recordType: 'containment_action',
      recordId: record.id,
      payload: { after: record },
    });
    await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    return record;
  });
}
