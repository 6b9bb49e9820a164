/**
 * The obligation engine: iterates the clause registry (`clauses/`) and settles each duty a clause
 * emits into an obligation with its state as of `nowMs`. Pure and cheap (epoch milliseconds;
 * Civil Code 139: a period in hours runs from the moment, so hours are exact as milliseconds —
 * days and months are never computed here). Recomputing is always safe: the same records and
 * `nowMs` give the same obligations.
 */
import { createHash } from 'node:crypto';
import { CLAUSES } from './clauses/index.js';
import type {
  Bilingual,
  Clause,
  ClauseEntry,
  Duty,
  Obligation,
  ObligationInputs,
  ObligationState,
  Waiver,
} from './types.js';

export type {
  Basis,
  Bilingual,
  Clause,
  ClauseEntry,
  Creditor,
  Duty,
  MetBy,
  Obligation,
  ObligationInputs,
  ObligationState,
  PartyCode,
  Waiver,
} from './types.js';

const ENTRIES = new Map<Clause, ClauseEntry>(CLAUSES.map((c) => [c.clause, c]));

/** The registry entry of a clause (undefined for a clause this build does not know). */
export function clauseEntry(clause: Clause): ClauseEntry | undefined {
  return ENTRIES.get(clause);
}

/** Every registered clause's title, by clause. */
export const CLAUSE_LABELS: Readonly<Record<Clause, Bilingual>> = Object.freeze(
  Object.fromEntries(CLAUSES.map((c) => [c.clause, c.title])),
);

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const idCache = new Map<string, string>();
const ID_CACHE_SIZE = 200_000;

/**
 * An obligation's id: opaque (a one-way hash of incident, clause, source record and debtor, in
 * the shape of the other ids), stable across recomputation, and stored with its source in the
 * obligation index; nothing parses it. Memoised: the same duties are recomputed on every read.
 */
export function obligationId(incidentId: string, clause: Clause, sourceId: string, owedBy: string): string {
  const key = `${incidentId}|${clause}|${sourceId}|${owedBy}`;
  const hit = idCache.get(key);
  if (hit !== undefined) return hit;
  const digest = createHash('sha256').update(key).digest();
  let id = 'obl_';
  for (let i = 0; i < 26; i++) id += ALPHABET[(digest[i] as number) & 31];
  if (idCache.size >= ID_CACHE_SIZE) idCache.clear();
  idCache.set(key, id);
  return id;
}

function settle(
  entry: ClauseEntry,
  d: Duty,
  input: ObligationInputs,
  waivers: ReadonlyMap<string, Waiver>,
  survives: boolean,
  nowMs: number,
): Obligation {
  const id = obligationId(input.incident.id, entry.clause, d.sourceId, d.owedBy);
  const dismissedAtMs = input.incident.dismissedAtMs;
  let state: ObligationState;
  let waiver: Waiver | null = null;
  if (d.metBy) state = d.metBy.atMs <= d.dueAtMs ? 'met' : 'met_late';
  else if ((waiver = waivers.get(id) ?? null)) state = 'waived';
  // Dismissed while the duty was not yet past due (breach is `now > dueAt`, so at dueAt it was not).
  else if (entry.lapsesOnDismissal && dismissedAtMs !== null && dismissedAtMs <= d.dueAtMs) {
    state = 'waived';
    waiver = { byUserId: null, reason: 'incident_dismissed', atMs: dismissedAtMs };
  } else state = nowMs > d.dueAtMs ? 'breached' : 'open';
  // Built field by field (no spreads): this runs for every obligation of every recompute.
  return {
    id,
    clause: entry.clause,
    incidentId: input.incident.id,
    agreementId: input.agreement.id,
    owedBy: d.owedBy,
    owedTo: d.owedTo,
    startsAtMs: d.startsAtMs,
    dueAtMs: d.dueAtMs,
    state,
    metBy: d.metBy,
    waiver,
    sourceType: d.sourceType,
    sourceId: d.sourceId,
    basis: d.basis,
    survives,
  };
}

const NO_WAIVERS: ReadonlyMap<string, Waiver> = new Map();

/** Every obligation the registry's clauses impose for one incident, as of `nowMs`. */
export function deriveObligations(input: ObligationInputs, nowMs: number): Obligation[] {
  let waivers = NO_WAIVERS;
  if (input.waivers.length > 0) {
    const m = new Map<string, Waiver>();
    for (const w of input.waivers)
      m.set(w.obligationId, { byUserId: w.byUserId, reason: w.reason, atMs: w.atMs });
    waivers = m;
  }
  const { endsAtMs, parameters } = input.agreement;
  const out: Obligation[] = [];
  for (const entry of CLAUSES) {
    // Art 11.3: after the end only the surviving articles still bind; a duty whose trigger
    // happened after the end exists only if its article survives.
    const survives = parameters.survivingArticles.includes(entry.article);
    entry.duties(input, (d) => {
      if (endsAtMs !== null && d.openedAtMs >= endsAtMs && !survives) return;
      out.push(settle(entry, d, input, waivers, survives, nowMs));
    });
  }
  return out;
}

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
