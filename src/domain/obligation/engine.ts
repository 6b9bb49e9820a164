/**
 * The obligation engine: iterates the clause registry (`clauses/`) and settles each duty a clause
 * emits into an obligation with its state as of `nowMs`. Pure and cheap (epoch milliseconds;
 * Civil Code 139: a period in hours runs from the moment, so hours are exact as milliseconds —
 * days and months are never computed here). Recomputing is always safe: the same records and
 * `nowMs` give the same obligations.
 */
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

/** A clause's title; a clause this build does not know (an obligation stored by a newer one) shows its code. */
export function clauseTitle(clause: Clause): Bilingual {
  return CLAUSE_LABELS[clause] ?? { ja: clause, en: clause };
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Four 32-bit multiplicative lanes (FNV-1a style with distinct primes), fed part by part without
// building a key string, then avalanched (MurmurHash3's fmix32) and cross-mixed: 128 bits.
let l1 = 0;
let l2 = 0;
let l3 = 0;
let l4 = 0;
function feed(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    l1 = Math.imul(l1 ^ c, 0x01000193);
    l2 = Math.imul(l2 ^ c, 0x5bd1e995);
    l3 = Math.imul(l3 ^ c, 0x1b873593);
    l4 = Math.imul(l4 ^ c, 0xcc9e2d51);
  }
  // A separator, so ("ab", "c") and ("a", "bc") differ.
  l1 = Math.imul(l1 ^ 0x7c, 0x01000193);
  l2 = Math.imul(l2 ^ 0x7c, 0x5bd1e995);
  l3 = Math.imul(l3 ^ 0x7c, 0x1b873593);
  l4 = Math.imul(l4 ^ 0x7c, 0xcc9e2d51);
}
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * An obligation's id: opaque (a 128-bit hash of incident, clause, source record and debtor, in the
 * shape of the other ids), stable across recomputation, and stored with its source in the
 * obligation index; nothing parses it. Not cryptographic — every input is a server-made id, so
 * nobody can aim for a collision — and cheap: it runs for every duty of every recompute.
 */
export function obligationId(incidentId: string, clause: Clause, sourceId: string, owedBy: string): string {
  l1 = 0x811c9dc5;
  l2 = 0x9747b28c;
  l3 = 0x2545f491;
  l4 = 0x6b43a9b5;
  feed(incidentId);
  feed(clause);
  feed(sourceId);
  feed(owedBy);
  let a = fmix(l1 ^ Math.imul(l4, 0x27d4eb2f));
  let b = fmix(l2 ^ Math.imul(a, 0x165667b1));
  let c = fmix(l3 ^ Math.imul(b, 0x9e3779b1));
  let d = fmix(l4 ^ Math.imul(c, 0x85ebca77));
  let id = 'obl_';
  // 26 characters of 5 bits from the 128 bits (the last character carries 3).
  for (let i = 0; i < 26; i++) {
    id += ALPHABET[a & 31];
    a = (a >>> 5) | ((b & 31) << 27);
    b = (b >>> 5) | ((c & 31) << 27);
    c = (c >>> 5) | ((d & 31) << 27);
    d = d >>> 5;
  }
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

/**
 * The instants between which `deriveObligations(input, now)` gives these same obligations, states
 * included: for any `now` with `afterMs < now <= untilMs`. A duty's state depends on `now` only
 * through breach (`now > dueAt`, see `settle`; the clauses' `duties` never see `now`), so nothing
 * changes while every open duty is not yet past due and every breached one already is. Lets a
 * caller (the work queue) reuse a derivation instead of repeating it on every read.
 */
export function stableSpan(obligations: readonly Obligation[]): { afterMs: number; untilMs: number } {
  let afterMs = -Infinity;
  let untilMs = Infinity;
  for (const o of obligations) {
    if (o.state === 'open') {
      if (o.dueAtMs < untilMs) untilMs = o.dueAtMs;
    } else if (o.state === 'breached') {
      if (o.dueAtMs > afterMs) afterMs = o.dueAtMs;
    }
  }
  return { afterMs, untilMs };
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
