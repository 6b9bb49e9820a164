import { AppError } from '../shared/errors.js';

/**
 * Incident life cycle. A suspicion (発生のおそれ) already starts Art 3.1, so an incident may be
 * opened as `suspected`. Dismissal ends it with a reason; `closed` follows recovery.
 */
export const INCIDENT_STATES = [
  'suspected',
  'confirmed',
  'contained',
  'recovering',
  'closed',
  'dismissed',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const INCIDENT_STATE_LABELS: Record<IncidentState, { ja: string; en: string }> = {
  suspected: { ja: '発生のおそれ', en: 'Suspected' },
  confirmed: { ja: '発生確認', en: 'Confirmed' },
  contained: { ja: '被害拡大防止措置済み', en: 'Containment measures taken' },
  recovering: { ja: '復旧中', en: 'Recovering' },
  closed: { ja: '終結', en: 'Closed' },
  dismissed: { ja: '非該当（情報漏えい事故に当たらない）', en: 'Not an incident (dismissed)' },
};

const TRANSITIONS: Record<IncidentState, readonly IncidentState[]> = {
  suspected: ['confirmed', 'dismissed'],
  confirmed: ['contained', 'dismissed'],
  contained: ['recovering'],
  recovering: ['closed'],
  closed: [],
  dismissed: [],
};

export function allowedTransitions(from: IncidentState): readonly IncidentState[] {
  return TRANSITIONS[from];
}

export function isTerminal(state: IncidentState): boolean {
  return TRANSITIONS[state].length === 0;
}

/** Throws INCIDENT_TRANSITION_INVALID (409) unless `from → to` is allowed; dismissal needs a reason. */
export function checkTransition(from: IncidentState, to: IncidentState, reason: string | null): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new AppError('INCIDENT_TRANSITION_INVALID', {
      extras: { from, to, allowed: TRANSITIONS[from] },
      message: {
        ja: `「${INCIDENT_STATE_LABELS[from].ja}」から「${INCIDENT_STATE_LABELS[to].ja}」には変更できません。`,
        en: `An incident cannot move from ${from} to ${to}.`,
      },
    });
  }
  if (to === 'dismissed' && !reason?.trim()) {
    throw new AppError('VALIDATION_FAILED', {
      message: {
        ja: '非該当（情報漏えい事故に当たらない）とするには理由が必要です。',
        en: 'Marking it as not an incident (dismissal) needs a reason.',
      },
      extras: { errors: [{ path: 'reason' }] },
    });
  }
}

export function initialState(suspected: boolean): IncidentState {
  return suspected ? 'suspected' : 'confirmed';
}

/**
 * A dismissed or closed incident takes no new Art 3 records: no notice, request, answer or
 * containment (see unsettledAtClosing for the duties still open). Its facts stay correctable.
 */
export function acceptsRecords(state: IncidentState): boolean {
  return state !== 'dismissed' && state !== 'closed';
}

/** What closing needs to know of each obligation (see obligation/engine.ts). */
export interface ClosingObligation {
  id: string;
  clause: string;
  state: 'open' | 'met' | 'met_late' | 'breached' | 'waived';
}

/**
 * Closing (終結) ends the incident's record: no notice, request, answer or containment can follow.
 * It does not settle the duties the memorandum put on the incident: one still open stays open and
 * turns breached at its due time (a 3.1 notice never sent is a breach, closed or not), unless the
 * party owed waives it. The ones unsettled at closing are named in the closing's audit event.
 */
export function unsettledAtClosing<T extends ClosingObligation>(obligations: readonly T[]): T[] {
  return obligations.filter((o) => o.state === 'open' || o.state === 'breached');
}

/**
 * Art 3.1: an incident cannot be closed while its notice is still owed — after closing no notice
 * can be sent, so the breach would become certain. Closing needs 3.1 met (on time or late) or
 * waived by the party owed. Returns the notice duty that blocks closing, if any.
 */
export function noticeBlockingClosing<T extends ClosingObligation>(obligations: readonly T[]): T | null {
  return (
    obligations.find((o) => o.clause === '3.1' && (o.state === 'open' || o.state === 'breached')) ?? null
  );
}
