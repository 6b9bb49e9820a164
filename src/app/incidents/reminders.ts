import { clauseTitle, nextReminder, type ReminderStage } from '../../domain/obligation/engine.js';
import { isoInstant, type Instant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import { findAgreement } from '../../persistence/repositories/agreements.js';
import { findIncident } from '../../persistence/repositories/incidents.js';
import { advanceClock, dueClocks, type ClockRow } from '../../persistence/repositories/obligations.js';
import type { AppContext } from '../context.js';
import { emitWebhook, incidentAudience, incidentEventData, mailParty } from './notify.js';
import { obligationsOf } from './obligations.js';

const PERCENT: Record<ReminderStage, number> = { half: 50, ninety: 90, breach: 100 };
const PREVIOUS: Record<ReminderStage, ReminderStage | null> = {
  half: null,
  ninety: 'half',
  breach: 'ninety',
};

/**
 * The reminder sweep: reads clocks whose next reminder is due, and for each — in one transaction —
 * re-derives the obligation (a duty met meanwhile sends nothing), queues the mails and webhooks
 * (dedupe keys per obligation, stage and recipient), and moves the clock to its next stage with
 * an update guarded on the stage read. A second sweeper racing for the same row loses the guard
 * and rolls back, so nothing is sent twice; a missed run catches up on the next one.
 */
export async function sendDueReminders(ctx: AppContext, now: Instant, batch = 100): Promise<number> {
  const nowMs = now.epochMilliseconds;
  let sent = 0;
  for (const clock of await dueClocks(ctx.db, isoInstant(now), batch)) {
    try {
      if (await processClock(ctx, clock, nowMs)) sent++;
    } catch (e) {
      if (!(e instanceof LostRace)) throw e;
    }
  }
  return sent;
}

class LostRace extends Error {}

async function processClock(ctx: AppContext, clock: ClockRow, nowMs: number): Promise<boolean> {
  const now = new Date(nowMs).toISOString();
  return inTransaction(ctx.db, async (tx) => {
    const incident = await findIncident(tx, clock.incidentId);
    const agreement = incident ? await findAgreement(tx, incident.agreementId) : null;
    const obligation =
      incident && agreement
        ? (await obligationsOf(tx, incident, agreement, nowMs)).find((o) => o.id === clock.obligationId)
        : undefined;
    const stored = clock.nextStage as ReminderStage | null;
    const live =
      incident &&
      agreement &&
      obligation &&
      stored &&
      (obligation.state === 'open' || obligation.state === 'breached') &&
      // A dismissed incident's lapsed duties are waived; one still owed (Art 3.1) keeps reminding.
      incident.state !== 'closed';
    // A missed sweep catches up with the stage current now, not a stale one whose successor is
    // also due (no "50 %" mail when 95 % has passed); a stage not yet due is only re-planned.
    const current = live ? nextReminder(obligation, PREVIOUS[stored], nowMs) : null;
    const due = current !== null && current.atMs <= nowMs;
    const stage = current?.stage ?? null;
    const next = current && due && obligation ? nextReminder(obligation, current.stage, nowMs) : current;
    const moved = await advanceClock(
      tx,
      clock.obligationId,
      { stage: clock.nextStage, at: clock.nextAt },
      { stage: next?.stage ?? null, at: next ? new Date(next.atMs).toISOString() : null },
      now,
    );
    if (!moved) throw new LostRace();
    if (!live || !due || !stage) return false;
    const breach = stage === 'breach';
    const dedupe = `reminder:${obligation.id}:${stage}`;
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      obligation.owedBy,
      dedupe,
      {
        kind: breach ? 'obligation_breached' : 'obligation_due_soon',
        clause: clauseTitle(obligation.clause),
        dueAt: new Date(obligation.dueAtMs).toISOString(),
        percent: PERCENT[stage],
      },
      now,
    );
    await emitWebhook(
      ctx,
      tx,
      agreement,
      breach ? 'obligation.breached' : 'obligation.due_soon',
      dedupe,
      {
        ...incidentEventData(ctx, incident),
        obligationId: obligation.id,
        clause: obligation.clause,
        owedBy: obligation.owedBy,
        dueAt: new Date(obligation.dueAtMs).toISOString(),
        stage,
      },
      now,
      incidentAudience(incident),
    );
    return true;
  });
}
