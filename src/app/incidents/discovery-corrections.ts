import { AppError } from '../../domain/shared/errors.js';
import { newId } from '../../domain/shared/ids.js';
import { isoInstant } from '../../domain/shared/time.js';
import { inTransaction, type Tx } from '../../persistence/db.js';
import {
  decideDiscoveryCorrection as markDecided,
  findDiscoveryCorrection,
  insertDiscoveryCorrection,
  listDiscoveryCorrections as listCorrections,
  supersedePendingCorrections,
  type DiscoveryCorrectionRecord,
} from '../../persistence/repositories/discovery-corrections.js';
import {
  findIncident,
  updateIncidentDetails,
  type IncidentRecord,
} from '../../persistence/repositories/incidents.js';
import type { AgreementRecord } from '../../persistence/repositories/agreements.js';
import { recordAudit } from '../audit.js';
import type { Actor, AppContext } from '../context.js';
import { loadIncidentFor, otherParty } from './load.js';
import { mailParty } from './notify.js';
import { refreshClocks } from './obligations.js';
import { checkIncidentTimes } from './validate.js';

async function applyDiscoveredAt(
  tx: Tx,
  actor: Actor,
  incident: IncidentRecord,
  agreement: AgreementRecord,
  to: string,
  correctionId: string,
  now: string,
  nowMs: number,
): Promise<IncidentRecord> {
  if (!(await updateIncidentDetails(tx, incident.id, incident.version, { discoveredAt: to }, now))) {
    throw new AppError('VERSION_CONFLICT');
  }
  const updated = (await findIncident(tx, incident.id)) as IncidentRecord;
  await recordAudit(tx, actor, now, {
    chain: agreement.id,
    action: 'incident.updated',
    recordType: 'incident',
    recordId: incident.id,
    payload: {
      before: { discoveredAt: incident.discoveredAt },
      after: { discoveredAt: to },
      version: updated.version,
      discoveryCorrectionId: correctionId,
    },
  });
  await refreshClocks(tx, updated, agreement, nowMs);
  return updated;
}

/**
 * A correction of the discovery time, by the reporting party, with a reason (Art 3). Moving it
 * earlier only shortens the party's own clocks and applies at once. Moving it later could erase
 * the party's own lateness, so it is recorded as pending and changes the clocks only once the
 * other party accepts it; a due time already passed or a duty already breached stays as it is
 * until then. A new correction supersedes a pending one.
 */
export async function requestDiscoveryCorrection(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: { discoveredAt: string; reason: string },
): Promise<DiscoveryCorrectionRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  const nowMs = nowInstant.epochMilliseconds;
  const reason = input.reason.trim();
  if (!reason) {
    throw new AppError('VALIDATION_FAILED', {
      message: { ja: '訂正の理由を入力してください。', en: 'Give the reason for the correction.' },
      extras: { errors: [{ path: 'reason' }] },
    });
  }
  return inTransaction(ctx.db, async (tx) => {
    const { incident, agreement, side } = await loadIncidentFor(
      tx,
      actor,
      incidentId,
      'discovery_correction.request',
    );
    checkIncidentTimes(incident.occurredAt, input.discoveredAt, nowMs);
    if (Date.parse(input.discoveredAt) === Date.parse(incident.discoveredAt)) {
      throw new AppError('VALIDATION_FAILED', {
        message: {
          ja: '現在の発覚日時と同じです。',
          en: 'That is the current discovery time.',
        },
        extras: { errors: [{ path: 'discoveredAt' }] },
      });
    }
    const later = Date.parse(input.discoveredAt) > Date.parse(incident.discoveredAt);
    const superseded = await supersedePendingCorrections(tx, incidentId, now);
    const record: DiscoveryCorrectionRecord = {
      id: newId('discoveryCorrection'),
      incidentId,
      agreementId: agreement.id,
      byParty: side,
      requestedBy: actor.kind === 'user' ? actor.userId : null,
      fromDiscoveredAt: incident.discoveredAt,
      toDiscoveredAt: input.discoveredAt,
      reason,
      state: later ? 'pending' : 'applied',
      requestedAt: now,
      decidedBy: null,
      decidedAt: later ? null : now,
      decisionReason: null,
    };
    await insertDiscoveryCorrection(tx, record);
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: later ? 'discovery_correction.requested' : 'discovery_correction.applied',
      recordType: 'discovery_correction',
      recordId: record.id,
      payload: { after: record, ...(superseded.length ? { superseded } : {}) },
    });
    if (!later) {
      await applyDiscoveredAt(tx, actor, incident, agreement, input.discoveredAt, record.id, now, nowMs);
    } else if (incident.firstNoticeAt !== null) {
      await mailParty(
        ctx,
        tx,
        agreement,
        incident,
        otherParty(incident.reportingParty),
        `discovery_correction.requested:${record.id}`,
        { kind: 'discovery_correction_requested', detail: reason },
        now,
      );
    }
    return record;
  });
}

/** The other party accepts or rejects a pending correction; acceptance moves the clocks. */
export async function decideDiscoveryCorrection(
  ctx: AppContext,
  actor: Actor,
  correctionId: string,
  input: { decision: 'accepted' | 'rejected'; reason?: string | undefined },
): Promise<DiscoveryCorrectionRecord> {
  const nowInstant = ctx.clock.now();
  const now = isoInstant(nowInstant);
  return inTransaction(ctx.db, async (tx) => {
    const correction = await findDiscoveryCorrection(tx, correctionId);
    if (!correction) throw new AppError('DISCOVERY_CORRECTION_NOT_FOUND');
    const { incident, agreement } = await loadIncidentFor(
      tx,
      actor,
      correction.incidentId,
      'discovery_correction.decide',
      'DISCOVERY_CORRECTION_NOT_FOUND',
    );
    if (correction.state !== 'pending') {
      throw new AppError('DISCOVERY_CORRECTION_DECIDED', { extras: { state: correction.state } });
    }
    const reason = input.reason?.trim() || null;
    const decided = {
      state: input.decision,
      decidedBy: actor.kind === 'user' ? actor.userId : null,
      decidedAt: now,
      reason,
    } as const;
    if (!(await markDecided(tx, correctionId, decided))) throw new AppError('DISCOVERY_CORRECTION_DECIDED');
    const after: DiscoveryCorrectionRecord = {
      ...correction,
      state: decided.state,
      decidedBy: decided.decidedBy,
      decidedAt: now,
      decisionReason: reason,
    };
    await recordAudit(tx, actor, now, {
      chain: agreement.id,
      action: `discovery_correction.${input.decision}`,
      recordType: 'discovery_correction',
      recordId: correctionId,
      payload: { incidentId: incident.id, decision: input.decision, reason },
    });
    if (input.decision === 'accepted') {
      await applyDiscoveredAt(
        tx,
        actor,
        incident,
        agreement,
        correction.toDiscoveredAt,
        correctionId,
        now,
        nowInstant.epochMilliseconds,
      );
    }
    await mailParty(
      ctx,
      tx,
      agreement,
      incident,
      incident.reportingParty,
      `discovery_correction.decided:${correctionId}`,
      {
        kind: 'discovery_correction_decided',
        detail:
          input.decision === 'accepted'
            ? `承認 / accepted${reason ? ` — ${reason}` : ''}`
            : `不承認 / rejected${reason ? ` — ${reason}` : ''}`,
      },
      now,
    );
    return after;
  });
}

export async function listDiscoveryCorrections(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
): Promise<DiscoveryCorrectionRecord[]> {
  await loadIncidentFor(ctx.db, actor, incidentId, 'incident.read');
  return listCorrections(ctx.db, incidentId);
}
