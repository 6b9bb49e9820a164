import type { Obligation } from '../../domain/obligation/engine.js';
import { AppError } from '../../domain/shared/errors.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findObligationIndex, insertWaiver } from '../../persistence/repositories/obligations.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor } from './load.js';
import { obligationsOf, refreshClocks } from './obligations.js';

/**
 * The party owed a duty may waive it, with a reason (e.g. it learned the facts another way).
 * Only an open or breached obligation can be waived. The id is opaque: the obligation index says
 * which incident it belongs to.
 */
export async function waiveObligation(
  ctx: AppContext,
  actor: Actor,
  obligationId: string,
  reason: string,
): Promise<Obligation> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const indexed = await findObligationIndex(tx, obligationId);
    if (!indexed) throw new AppError('OBLIGATION_NOT_FOUND');
    const { incident, agreement, side } = await loadIncidentFor(
      tx,
      actor,
      indexed.incidentId,
      'obligation.waive',
      'OBLIGATION_NOT_FOUND',
    );
    const obligations = await obligationsOf(tx, incident, agreement, nowInstant.epochMilliseconds);
    const target = obligations.find((o) => o.id === obligationId);
    if (!target) throw new AppError('OBLIGATION_NOT_FOUND');
    if (target.owedTo !== side) {
      throw new AppError('FORBIDDEN', {
        message: {
          ja: '義務の免除は、その義務の履行を受ける側の当事者だけが行えます。',
          en: 'Only the party the duty is owed to can waive it.',
        },
      });
    }
    if (target.state !== 'open' && target.state !== 'breached') {
      throw new AppError('OBLIGATION_SETTLED', { extras: { state: target.state } });
    }
    const userId = actor.kind === 'user' ? actor.userId : null;
    if (
      !(await insertWaiver(tx, {
        obligationId,
        incidentId: incident.id,
        waivedBy: userId,
        reason: reason.trim(),
        createdAt: now,
      }))
    ) {
      throw new AppError('OBLIGATION_SETTLED');
    }
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: 'obligation.waived',
      recordType: 'obligation',
      recordId: obligationId,
      payload: {
        incidentId: incident.id,
        clause: target.clause,
        reason: reason.trim(),
        stateBefore: target.state,
      },
    });
    const after = await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    return after.find((o) => o.id === obligationId) as Obligation;
  });
}
