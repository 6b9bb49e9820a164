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
  contained: { ja: '封じ込め済み', en: 'Contained' },
  recovering: { ja: '復旧中', en: 'Recovering' },
  closed: { ja: '終結', en: 'Closed' },
  dismissed: { ja: '却下（事故に当たらない）', en: 'Dismissed' },
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
      message: { ja: '却下には理由が必要です。', en: 'Dismissal needs a reason.' },
      extras: { errors: [{ path: 'reason' }] },
    });
  }
}

export function initialState(suspected: boolean): IncidentState {
  return suspected ? 'suspected' : 'confirmed';
}

/**
 * A dismissed or closed incident takes no new Art 3 records: no notice, request, answer or
 * containment (closing needs every duty settled first; see checkClosable). Its facts stay correctable.
 */
export function acceptsNotices(state: IncidentState): boolean {
  return state !== 'dismissed' && state !== 'closed';
}

/** What closing needs to know of each obligation (see obligation/engine.ts). */
export interface ClosingObligation {
  id: string;
  clause: string;
  state: 'open' | 'met' | 'met_late' | 'breached' | 'waived';
}

/**
 * Closing (終結) ends the incident's record: no notice or answer can follow it (Art 3.1-3.2), so
 * every duty the memorandum put on it must be settled first — met (on time or late) or waived by
 * the party owed. Otherwise a 3.1 notice never sent would stay open, unmeetable, for ever.
 * Throws INCIDENT_OBLIGATIONS_UNMET (409) naming the unsettled ones.
 */
export function checkClosable(obligations: readonly ClosingObligation[]): void {
  const unmet = obligations.filter((o) => o.state === 'open' || o.state === 'breached');
  if (unmet.length === 0) return;
  const clauses = [...new Set(unmet.map((o) => o.clause))];
  throw new AppError('INCIDENT_OBLIGATIONS_UNMET', {
    extras: { unmet: unmet.map((o) => ({ id: o.id, clause: o.clause, state: o.state })) },
    message: {
      ja: `履行されていない義務（第${clauses.map(jaClause).join('、第')}）があるため、事故を終結できません。履行するか、相手方に免除を求めてください。`,
      en: `The incident cannot be closed while obligations are unmet (Art ${clauses.join(', ')}). Meet them, or ask the other party to waive them.`,
    },
  });
}

/** `3.1` → `3条第1項`, `3.2(6)` → `3条第2項第6号`. */
function jaClause(clause: string): string {
  const m = /^(\d+)\.(\d+)(?:\((\d+)\))?$/.exec(clause);
  if (!m) return clause;
  return `${m[1]}条第${m[2]}項${m[3] ? `第${m[3]}号` : ''}`;
}
