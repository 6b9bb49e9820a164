/**
 * The obligation engine: a clause catalog that turns records into obligations with clocks.
 * Pure and cheap (epoch milliseconds; Civil Code 139: a period in hours runs from the moment, so
 * hours are exact as milliseconds — days and months are never computed here). Recomputing is
 * always safe: the same records and `nowMs` give the same obligations.
 */
export type PartyCode = 'A' | 'B';
export type ObligationState = 'open' | 'met' | 'met_late' | 'breached' | 'waived';
export type Clause = '3.1' | '3.2(6)' | '3.3';

const HOUR_MS = 3_600_000;

export interface ObligationInputs {
  agreement: { id: string; noticeTargetHours: number; containmentTargetHours: number };
  incident: {
    id: string;
    reportingParty: PartyCode;
    discoveredAtMs: number;
    /** Set when the incident was dismissed: unmet duties not yet due then are waived by it. */
    dismissedAtMs: number | null;
  };
  /** Notices sent by the reporting party, any order. */
  notices: ReadonlyArray<{ id: string; sentAtMs: number }>;
  /** Art 3.2(6) requests for further items by the counterparty. */
  itemRequests: ReadonlyArray<{
    id: string;
    requestedAtMs: number;
    dueAtMs: number;
    answeredAtMs: number | null;
  }>;
  /** Art 3.3 containment records (actions, or a decision that none is needed). */
  containment: ReadonlyArray<{ id: string; byParty: PartyCode; decidedAtMs: number }>;
  waivers: ReadonlyArray<{ obligationId: string; byUserId: string | null; reason: string; atMs: number }>;
}

export interface Obligation {
  id: string;
  clause: Clause;
  incidentId: string;
  agreementId: string;
  owedBy: PartyCode;
  owedTo: PartyCode;
  startsAtMs: number;
  dueAtMs: number;
  state: ObligationState;
  metBy: { type: 'notice' | 'item_request' | 'containment'; id: string; atMs: number } | null;
  waiver: { byUserId: string | null; reason: string; atMs: number } | null;
  /** The record that created the duty (the incident, or the item request). */
  sourceId: string;
}

export function obligationId(incidentId: string, clause: Clause, sourceId?: string): string {
  const base = `obl_${incidentId.slice(incidentId.indexOf('_') + 1)}`;
  switch (clause) {
    case '3.1':
      return `${base}_3-1`;
    case '3.3':
      return `${base}_3-3`;
    case '3.2(6)':
      return `${base}_3-2-6_${(sourceId ?? '').slice((sourceId ?? '').indexOf('_') + 1)}`;
  }
}

const other = (p: PartyCode): PartyCode => (p === 'A' ? 'B' : 'A');

/**
 * The obligation with its state. Built field by field rather than by spreading `o`: a spread plus
 * extra keys takes V8's slow path, and this runs for every obligation of every recompute (≈ 4×
 * the cost of the whole engine). The key order is the one the spreads gave.
 */
function settle(
  o: Omit<Obligation, 'state' | 'waiver'>,
  waiver: Obligation['waiver'],
  dismissedAtMs: number | null,
  nowMs: number,
): Obligation {
  if (o.metBy) return withState(o, null, o.metBy.atMs <= o.dueAtMs ? 'met' : 'met_late');
  if (waiver) return withState(o, waiver, 'waived');
  // Dismissed while the duty was not yet past due (breach is `now > dueAt`, so at dueAt it was not).
  if (dismissedAtMs !== null && dismissedAtMs <= o.dueAtMs) {
    return {
      id: o.id,
      clause: o.clause,
      incidentId: o.incidentId,
      agreementId: o.agreementId,
      owedBy: o.owedBy,
      owedTo: o.owedTo,
      startsAtMs: o.startsAtMs,
      dueAtMs: o.dueAtMs,
      metBy: o.metBy,
      sourceId: o.sourceId,
      state: 'waived',
      waiver: { byUserId: null, reason: 'incident_dismissed', atMs: dismissedAtMs },
    };
  }
  return withState(o, null, nowMs > o.dueAtMs ? 'breached' : 'open');
}

function withState(
  o: Omit<Obligation, 'state' | 'waiver'>,
  waiver: Obligation['waiver'],
  state: ObligationState,
): Obligation {
  return {
    id: o.id,
    clause: o.clause,
    incidentId: o.incidentId,
    agreementId: o.agreementId,
    owedBy: o.owedBy,
    owedTo: o.owedTo,
    startsAtMs: o.startsAtMs,
    dueAtMs: o.dueAtMs,
    metBy: o.metBy,
    sourceId: o.sourceId,
    waiver,
    state,
  };
}

/** Every obligation the memorandum imposes for one incident, as of `nowMs`. */
export function deriveObligations(input: ObligationInputs, nowMs: number): Obligation[] {
  const { agreement, incident } = input;
  const owedBy = incident.reportingParty;
  const owedTo = other(owedBy);
  const waivers = new Map(input.waivers.map((w) => [w.obligationId, w]));
  const waiverOf = (id: string) => {
    const w = waivers.get(id);
    return w ? { byUserId: w.byUserId, reason: w.reason, atMs: w.atMs } : null;
  };
  const out: Obligation[] = [];

  // Art 3.1: notify the counterparty 速やかに — concretely within noticeTargetHours of discovery.
  let firstNotice: { id: string; sentAtMs: number } | null = null;
  for (const n of input.notices) if (!firstNotice || n.sentAtMs < firstNotice.sentAtMs) firstNotice = n;
  const id31 = obligationId(incident.id, '3.1');
  out.push(
    settle(
      {
        id: id31,
        clause: '3.1',
        incidentId: incident.id,
        agreementId: agreement.id,
        owedBy,
        owedTo,
        startsAtMs: incident.discoveredAtMs,
        dueAtMs: incident.discoveredAtMs + agreement.noticeTargetHours * HOUR_MS,
        metBy: firstNotice ? { type: 'notice', id: firstNotice.id, atMs: firstNotice.sentAtMs } : null,
        sourceId: incident.id,
      },
      waiverOf(id31),
      incident.dismissedAtMs,
      nowMs,
    ),
  );

  // Art 3.3: containment measures 速やかに — a recorded action or decision by the reporting party.
  let firstContainment: { id: string; decidedAtMs: number } | null = null;
  for (const c of input.containment) {
    if (c.byParty === owedBy && (!firstContainment || c.decidedAtMs < firstContainment.decidedAtMs))
      firstContainment = c;
  }
  const id33 = obligationId(incident.id, '3.3');
  out.push(
    settle(
      {
        id: id33,
        clause: '3.3',
        incidentId: incident.id,
        agreementId: agreement.id,
        owedBy,
        owedTo,
        startsAtMs: incident.discoveredAtMs,
        dueAtMs: incident.discoveredAtMs + agreement.containmentTargetHours * HOUR_MS,
        metBy: firstContainment
          ? { type: 'containment', id: firstContainment.id, atMs: firstContainment.decidedAtMs }
          : null,
        sourceId: incident.id,
      },
      waiverOf(id33),
      incident.dismissedAtMs,
      nowMs,
    ),
  );

  // Art 3.2(6): answer the matters the counterparty reasonably asks for, by the requested time.
  for (const r of input.itemRequests) {
    const id = obligationId(incident.id, '3.2(6)', r.id);
    out.push(
      settle(
        {
          id,
          clause: '3.2(6)',
          incidentId: incident.id,
          agreementId: agreement.id,
          owedBy,
          owedTo,
          startsAtMs: r.requestedAtMs,
          dueAtMs: r.dueAtMs,
          metBy: r.answeredAtMs !== null ? { type: 'item_request', id: r.id, atMs: r.answeredAtMs } : null,
          sourceId: r.id,
        },
        waiverOf(id),
        incident.dismissedAtMs,
        nowMs,
      ),
    );
  }
  return out;
}

export const CLAUSE_LABELS: Record<Clause, { ja: string; en: string }> = {
  '3.1': { ja: '第3条第1項 相手方への通知', en: 'Art 3.1 notify the counterparty' },
  '3.2(6)': {
    ja: '第3条第2項第6号 相手方が求める事項への回答',
    en: 'Art 3.2(6) answer the further items asked for',
  },
  '3.3': { ja: '第3条第3項 被害拡大防止措置（初動対応）', en: 'Art 3.3 containment measures' },
};

export type ReminderStage = 'half' | 'ninety' | 'breach';
export const REMINDER_STAGES: readonly ReminderStage[] = ['half', 'ninety', 'breach'];

/** When each reminder of an obligation falls due: at 50 % and 90 % of its time, and at breach. */
export function reminderTimes(o: { startsAtMs: number; dueAtMs: number }): Record<ReminderStage, number> {
  const span = Math.max(0, o.dueAtMs - o.startsAtMs);
  return {
    half: o.startsAtMs + Math.round(span * 0.5),
    ninety: o.startsAtMs + Math.round(span * 0.9),
    breach: o.dueAtMs + 1,
  };
}

/**
 * The next reminder stage still worth sending at `nowMs`: stages whose successor time has already
 * passed are skipped (a late report does not get a stale "50 %" mail), the breach stage never is.
 */
export function nextReminder(
  o: { startsAtMs: number; dueAtMs: number },
  after: ReminderStage | null,
  nowMs: number,
): { stage: ReminderStage; atMs: number } | null {
  const times = reminderTimes(o);
  const start = after === null ? 0 : REMINDER_STAGES.indexOf(after) + 1;
  for (let i = start; i < REMINDER_STAGES.length; i++) {
    const stage = REMINDER_STAGES[i] as ReminderStage;
    const nextStage = REMINDER_STAGES[i + 1];
    if (nextStage && times[nextStage] <= nowMs) continue;
    return { stage, atMs: times[stage] };
  }
  return null;
}

/**
 * The first reminder of an obligation that has just arisen (its clock is new): a stage whose
 * moment has already passed is stale — an incident reported 20 h after discovery against a 24 h
 * target gets no "50 %" mail for a moment 8 h gone — but the breach stage never is.
 */
export function firstReminder(
  o: { startsAtMs: number; dueAtMs: number },
  nowMs: number,
): { stage: ReminderStage; atMs: number } {
  const times = reminderTimes(o);
  for (const stage of REMINDER_STAGES) {
    if (stage === 'breach' || times[stage] >= nowMs) return { stage, atMs: times[stage] };
  }
  return { stage: 'breach', atMs: times.breach };
}

/** Unmet obligations, soonest first (the agreement page and the overview). */
export function sortBySoonest(obligations: Obligation[]): Obligation[] {
  return [...obligations].sort((a, b) => a.dueAtMs - b.dueAtMs || a.id.localeCompare(b.id));
}
