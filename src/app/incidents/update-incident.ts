import {
  checkTransition,
  noticeBlockingClosing,
  unsettledAtClosing,
  type IncidentState,
} from '../../domain/incident/state.js';
import { AppError } from '../../domain/shared/errors.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction } from '../../persistence/db.js';
import {
  findIncident,
  transitionIncident,
  updateIncidentDetails,
  type IncidentDetails,
  type IncidentRecord,
} from '../../persistence/repositories/incidents.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, otherParty } from './load.js';
import { mailParty } from './notify.js';
import { obligationsOf, refreshClocks } from './obligations.js';
import { checkIncidentTimes } from './validate.js';

/** Fills in or corrects the facts as they become known (the short first report grows). If-Match required. */
export async function updateIncident(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { expectedVersion: number; patch: Partial<IncidentDetails> },
): Promise<IncidentRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement } = await loadIncidentFor(tx, actor, incidentId, 'incident.update');
    if (incident.version !== input.expectedVersion) {
      throw new AppError('VERSION_CONFLICT', { extras: { currentVersion: incident.version } });
    }
    const occurredAt = input.patch.occurredAt !== undefined ? input.patch.occurredAt : incident.occurredAt;
    const discoveredAt = input.patch.discoveredAt ?? incident.discoveredAt;
    // The party that owes the Art 3 duties cannot erase its own lateness: moving the discovery
    // later is a correction with a reason that the other party must accept (discovery-corrections).
    if (Date.parse(discoveredAt) > Date.parse(incident.discoveredAt)) {
      throw new AppError('DISCOVERY_CORRECTION_REQUIRED', {
        extras: { errors: [{ path: 'discoveredAt' }], currentDiscoveredAt: incident.discoveredAt },
      });
    }
    checkIncidentTimes(occurredAt, discoveredAt, nowInstant.epochMilliseconds);
    if (!(await updateIncidentDetails(tx, incidentId, incident.version, input.patch, now))) {
      throw new AppError('VERSION_CONFLICT');
    }
    const updated = (await findIncident(tx, incidentId)) as IncidentRecord;
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const k of Object.keys(input.patch) as Array<keyof IncidentDetails>) {
      before[k] = incident[k];
      after[k] = updated[k];
    }
    await recordAudit(tx, actor, now, {
      chain: incident.agreementId,
      action: 'incident.updated',
      recordType: 'incident',
      recordId: incidentId,
      payload: { before, after, version: updated.version },
    });
    if (input.patch.discoveredAt !== undefined) {
      await refreshClocks(tx, updated, agreement, nowInstant.epochMilliseconds);
    }
    return updated;
  });
}

/** Moves an incident along its life cycle; guarded on the state read, so two people cannot both move it. */
export async function transitionIncidentState(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { to: IncidentState; reason?: string | null | undefined; expectedVersion?: number | undefined },
): Promise<IncidentRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement } = await loadIncidentFor(tx, actor, incidentId, 'incident.update');
    if (input.expectedVersion !== undefined && input.expectedVersion !== incident.version) {
      throw new AppError('VERSION_CONFLICT', { extras: { currentVersion: incident.version } });
    }
    const reason = input.reason?.trim() || null;
    checkTransition(incident.state, input.to, reason);
    if (input.to === 'closed') {
      const blocking = noticeBlockingClosing(
        await obligationsOf(tx, incident, agreement, nowInstant.epochMilliseconds),
      );
      if (blocking) {
        throw new AppError('NOTICE_OBLIGATION_OPEN', {
          extras: { obligationId: blocking.id, clause: blocking.clause, obligationState: blocking.state },
        });
      }
    }
    const dismissed = input.to === 'dismissed';
    // Past `suspected` (other than dismissal) the incident is no longer a mere suspicion.
    const confirmedNow = incident.suspected && !dismissed;
    const ok = await transitionIncident(
      tx,
      incidentId,
      { from: incident.state, version: input.expectedVersion },
      {
        state: input.to,
        ...(dismissed ? { dismissedReason: reason, dismissedAt: now } : {}),
        ...(confirmedNow ? { suspected: false } : {}),
      },
      now,
    );
    if (!ok) throw new AppError('VERSION_CONFLICT');
    const updated = (await findIncident(tx, incidentId)) as IncidentRecord;
    const obligations = await refreshClocks(tx, updated, agreement, nowInstant.epochMilliseconds);
    // Duties still open at closing stay owed (and turn breached when due): the audit event names them.
    const unsettled =
      input.to === 'closed'
        ? unsettledAtClosing(obligations).map((o) => ({ id: o.id, clause: o.clause, state: o.state }))
        : [];
    await recordAudit(tx, actor, now, {
      chain: incident.agreementId,
      action: 'incident.state_changed',
      recordType: 'incident',
      recordId: incidentId,
      payload: {
        before: { state: incident.state },
        after: { state: input.to },
        reason,
        ...(unsettled.length > 0 ? { unsettledObligations: unsettled } : {}),
      },
    });
    // Dismissal and closing are mailed to the registering party's acting users, and to the other
    // party once it has seen the incident (its first notice).
    if (dismissed || input.to === 'closed') {
      const notice = obligations.find(
        (o) => o.clause === '3.1' && (o.state === 'open' || o.state === 'breached'),
      );
      await mailParty(
        ctx,
        tx,
        agreement,
        updated,
        updated.reportingParty,
        `incident.${input.to}.own:${incidentId}`,
        dismissed
          ? {
              kind: 'incident_dismissed_own',
              ...(reason ? { detail: reason } : {}),
              ...(notice ? { dueAt: new Date(notice.dueAtMs).toISOString() } : {}),
            }
          : { kind: 'incident_closed' },
        now,
      );
      if (updated.firstNoticeAt !== null) {
        await mailParty(
          ctx,
          tx,
          agreement,
          updated,
          otherParty(updated.reportingParty),
          `incident.${input.to}:${incidentId}`,
          dismissed
            ? { kind: 'incident_dismissed', ...(reason ? { detail: reason } : {}) }
            : { kind: 'incident_closed' },
          now,
        );
      }
    }
    return updated;
  });
}
