import type { Obligation } from '../../domain/obligation/engine.js';
import { AppError } from '../../domain/shared/errors.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findIncident } from '../../persistence/repositories/incidents.js';
import { insertWaiver } from '../../persistence/repositories/obligations.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor } from './load.js';
import { obligationsOf, refreshClocks } from './obligations.js';

/** The incident id is embedded in an obligation id: `obl_<incident suffix>_<clause>…`. */
export function incidentIdOfObligation(obligationId: string): string | null {
  const m = /^obl_([0-9a-z]{26})_/.exec(obligationId);
  return m ? `inc_${m[1]}` : null;
}

/**
 * The party owed a duty may waive it, with a reason (e.g. it learned the facts another way).
 * Only an open or breached obligation can be waived.
 */
export async function waiveObligation(
  ctx: AppContext,
  actor: Actor,
  obligationId: string,
  reason: string,
): Promise<Obligation> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const incidentId = incidentIdOfObligation(obligationId);
  if (!incidentId) throw new AppError('OBLIGATION_NOT_FOUND');
  return inTransaction(ctx.db, async (tx) => {
    if (!(await findIncident(tx, incidentId))) throw new AppError('OBLIGATION_NOT_FOUND');
    const { incident, agreement } = await loadIncidentFor(tx, actor, incidentId, 'obligation.waive').catch(
      (e: unknown) => {
        throw e instanceof AppError && e.code === 'INCIDENT_NOT_FOUND'
          ? new AppError('OBLIGATION_NOT_FOUND')
          : e;
      },
    );
    const obligations = await obligationsOf(tx, incident, agreement, nowInstant.epochMilliseconds);
    const target = obligations.find((o) => o.id === obligationId);
    if (!target) throw new AppError('OBLIGATION_NOT_FOUND');
    if (target.state !== 'open' && target.state !== 'breached') {
      throw new AppError('OBLIGATION_SETTLED', { extras: { state: target.state } });
    }
    const userId = actor.kind === 'user' ? actor.userId : null;
    if (
      !(await insertWaiver(tx, {
        obligationId,
        incidentId,
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
      payload: { incidentId, clause: target.clause, reason: reason.trim(), stateBefore: target.state },
    });
    const after = await refreshClocks(tx, incident, agreement, nowInstant.epochMilliseconds);
    return after.find((o) => o.id === obligationId) as Obligation;
  });
}
