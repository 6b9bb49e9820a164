import {
  clauseTitle,
  deriveObligations,
  firstReminder,
  nextReminder,
  type Obligation,
  type ObligationInputs,
  type ReminderStage,
} from '../../domain/obligation/engine.js';
import { evaluateTerm } from '../../domain/agreement/term.js';
import { parseLocalDate, type LocalDate } from '../../domain/shared/time.js';
import { readAll, type Tx } from '../../persistence/db.js';
import {
  listAgreementEmergencyAnnouncementTimes,
  listEmergencyAnnouncementTimes,
  type EmergencyAnnouncementTime,
} from '../../persistence/repositories/announcements.js';
import {
  listTerminationNotices,
  type AgreementRecord,
  type TerminationNoticeRecord,
} from '../../persistence/repositories/agreements.js';
import { mutualTerminationOf, noticesAsTermInput } from '../agreements/agreement-view.js';
import {
  listIncidentHeads,
  type IncidentHead,
  type IncidentRecord,
} from '../../persistence/repositories/incidents.js';
import {
  listAgreementContainmentTimes,
  listAgreementItemRequestTimes,
  listAgreementNoticeTimes,
  listContainment,
  listItemRequests,
  listNotices,
  type ContainmentTime,
  type ItemRequestTime,
  type NoticeTime,
} from '../../persistence/repositories/notices.js';
import {
  listAgreementCooperationRequestTimes,
  listCooperationRequestTimes,
  type CooperationRequestTime,
} from '../../persistence/repositories/cooperation-requests.js';
import {
  listAgreedConsultationTimes,
  listAgreementAgreedConsultationTimes,
  type AgreedConsultationTime,
} from '../../persistence/repositories/consultations.js';
import {
  listAgreementWaivers,
  listClocks,
  listWaivers,
  upsertClock,
  type WaiverRecord,
} from '../../persistence/repositories/obligations.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();

/** What the engine reads of an incident (a full record or an `IncidentHead` will do). */
export type ObligationIncident = Pick<
  IncidentRecord,
  'id' | 'agreementId' | 'reportingParty' | 'discoveredAt' | 'dismissedAt'
>;

/** 0:00 Japan time of a local date, as epoch milliseconds (JST is a fixed UTC+9). */
const startOfTokyoDay = (d: string) => Date.parse(`${d}T00:00:00+09:00`);

/**
 * What the engine needs to know of the agreement's life: when the memorandum took effect (the
 * start of the signing day, Japan time: it binds from its signing, Civil Code 140 only skips that
 * day in counting the term) and when it ends or ended (0:00 after its last day; Art 11).
 */
export function agreementSpan(
  agreement: AgreementRecord,
  terminationNotices: readonly TerminationNoticeRecord[],
): { effectiveFromMs: number | null; endsAtMs: number | null } {
  if (!agreement.signedOn) return { effectiveFromMs: null, endsAtMs: null };
  const signedOn = parseLocalDate(agreement.signedOn) as LocalDate;
  const term = evaluateTerm({
    signedOn,
    parameters: agreement.parameters,
    terminationNotices: noticesAsTermInput(terminationNotices),
    mutualTermination: mutualTerminationOf(agreement),
    on: signedOn,
  });
  return {
    effectiveFromMs: startOfTokyoDay(agreement.signedOn),
    endsAtMs: term.endsOn ? startOfTokyoDay(term.endsOn.add({ days: 1 }).toString()) : null,
  };
}

/** The records the engine reads, for some incidents, each list in its repository's order. */
interface ObligationRecords {
  terminationNotices: readonly TerminationNoticeRecord[];
  notices: readonly NoticeTime[];
  itemRequests: readonly ItemRequestTime[];
  containment: readonly ContainmentTime[];
  waivers: readonly WaiverRecord[];
  cooperationRequests: readonly CooperationRequestTime[];
  agreedConsultations: readonly AgreedConsultationTime[];
  emergencyAnnouncements: readonly EmergencyAnnouncementTime[];
}

function groupByIncident<T extends { incidentId: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.incidentId);
    if (list) list.push(r);
    else m.set(r.incidentId, [r]);
  }
  return m;
}

/** The engine's inputs from stored records: the one mapping, whichever way the records were loaded. */
function obligationInputs(
  incidents: readonly ObligationIncident[],
  agreements: ReadonlyMap<string, AgreementRecord>,
  records: ObligationRecords,
): ObligationInputs[] {
  const n = groupByIncident(records.notices);
  const r = groupByIncident(records.itemRequests);
  const c = groupByIncident(records.containment);
  const w = groupByIncident(records.waivers);
  const cr = groupByIncident(records.cooperationRequests);
  const ac = groupByIncident(records.agreedConsultations);
  const ea = groupByIncident(records.emergencyAnnouncements);
  const spans = new Map<string, ObligationInputs['agreement']>();
  const out: ObligationInputs[] = [];
  for (const incident of incidents) {
    const agreement = agreements.get(incident.agreementId);
    if (!agreement) continue;
    let span = spans.get(agreement.id);
    if (!span) {
      span = {
        id: agreement.id,
        parameters: agreement.parameters,
        ...agreementSpan(
          agreement,
          records.terminationNotices.filter((t) => t.agreementId === agreement.id),
        ),
      };
      spans.set(agreement.id, span);
    }
    out.push({
      agreement: span,
      incident: {
        id: incident.id,
        reportingParty: incident.reportingParty,
        discoveredAtMs: ms(incident.discoveredAt),
        dismissedAtMs: incident.dismissedAt ? ms(incident.dismissedAt) : null,
      },
      notices: (n.get(incident.id) ?? []).map((x) => ({
        id: x.id,
        fromParty: x.fromParty,
        sentAtMs: ms(x.sentAt),
      })),
      itemRequests: (r.get(incident.id) ?? []).map((x) => ({
        id: x.id,
        requestedAtMs: ms(x.requestedAt),
        dueAtMs: ms(x.dueAt),
        answeredAtMs: x.answeredAt ? ms(x.answeredAt) : null,
      })),
      containment: (c.get(incident.id) ?? []).map((x) => ({
        id: x.id,
        byParty: x.byParty,
        recordedAtMs: ms(x.createdAt),
        takenAtMs: ms(x.takenAt),
      })),
      waivers: (w.get(incident.id) ?? []).map((x) => ({
        obligationId: x.obligationId,
        byUserId: x.waivedBy,
        reason: x.reason,
        atMs: ms(x.createdAt),
      })),
      cooperationRequests: (cr.get(incident.id) ?? []).map((x) => ({
        id: x.id,
        fromParty: x.fromParty,
        toParty: x.toParty,
        category: x.category,
        requestedAtMs: ms(x.requestedAt),
        dueAtMs: ms(x.dueAt),
        respondedAtMs: x.respondedAt ? ms(x.respondedAt) : null,
        deliverByMs: x.deliverBy ? ms(x.deliverBy) : null,
        deliveredAtMs: x.deliveredAt ? ms(x.deliveredAt) : null,
      })),
      agreedConsultations: (ac.get(incident.id) ?? []).map((x) => ({
        id: x.id,
        subjectType: x.subjectType,
        subjectId: x.subjectId,
        agreedAtMs: ms(x.agreedAt),
      })),
      emergencyAnnouncements: (ea.get(incident.id) ?? []).map((x) => ({
        id: x.id,
        byParty: x.byParty,
        publishedAtMs: ms(x.publishedAt),
      })),
    });
  }
  return out;
}

/** Loads every record the obligation engine needs for these incidents (a few batched queries). */
export async function loadObligationInputs(
  tx: Tx,
  incidents: readonly ObligationIncident[],
  agreements: ReadonlyMap<string, AgreementRecord>,
): Promise<ObligationInputs[]> {
  const ids = incidents.map((i) => i.id);
  const [
    terminationNotices,
    notices,
    itemRequests,
    containment,
    waivers,
    cooperationRequests,
    agreedConsultations,
    emergencyAnnouncements,
  ] = await readAll(
    tx,
    () => listTerminationNotices(tx, [...agreements.keys()]),
    () => listNotices(tx, ids),
    () => listItemRequests(tx, ids),
    () => listContainment(tx, ids),
    () => listWaivers(tx, ids),
    () => listCooperationRequestTimes(tx, ids),
    () => listAgreedConsultationTimes(tx, ids),
    () => listEmergencyAnnouncementTimes(tx, ids),
  );
  return obligationInputs(incidents, agreements, {
    terminationNotices,
    notices,
    itemRequests,
    containment,
    waivers,
    cooperationRequests,
    agreedConsultations,
    emergencyAnnouncements,
  });
}

/** Every obligation of these incidents as of `nowMs`, by incident id (records loaded in a few queries). */
export async function computeObligations(
  tx: Tx,
  incidents: readonly ObligationIncident[],
  agreements: ReadonlyMap<string, AgreementRecord>,
  nowMs: number,
): Promise<Map<string, Obligation[]>> {
  const out = new Map<string, Obligation[]>();
  for (const input of await loadObligationInputs(tx, incidents, agreements)) {
    out.set(input.incident.id, deriveObligations(input, nowMs));
  }
  return out;
}

/**
 * Every obligation of every incident of one agreement, as `listIncidents` + `computeObligations`
 * give them, from five compiled queries keyed by the agreement that read only the columns the
 * engine and the obligation list use (hot path: GET /agreements/{id}/obligations).
 */
/** The records the engine needs for an agreement's incidents, loaded once per stamp (see below). */
export interface AgreementInputs {
  incidents: IncidentHead[];
  inputs: ObligationInputs[];
}

const inputCaches = new WeakMap<object, Map<string, AgreementInputs>>();
const INPUT_CACHE_SIZE = 1_000;

async function loadAgreementInputs(tx: Tx, agreement: AgreementRecord): Promise<AgreementInputs> {
  const [
    terminationNotices,
    incidents,
    notices,
    itemRequests,
    containment,
    waivers,
    cooperationRequests,
    agreedConsultations,
    emergencyAnnouncements,
  ] = await readAll(
    tx,
    () => listTerminationNotices(tx, [agreement.id]),
    () => listIncidentHeads(tx, agreement.id),
    () => listAgreementNoticeTimes(tx, agreement.id),
    () => listAgreementItemRequestTimes(tx, agreement.id),
    () => listAgreementContainmentTimes(tx, agreement.id),
    () => listAgreementWaivers(tx, agreement.id),
    () => listAgreementCooperationRequestTimes(tx, agreement.id),
    () => listAgreementAgreedConsultationTimes(tx, agreement.id),
    () => listAgreementEmergencyAnnouncementTimes(tx, agreement.id),
  );
  const inputs = obligationInputs(incidents, new Map([[agreement.id, agreement]]), {
    terminationNotices,
    notices,
    itemRequests,
    containment,
    waivers,
    cooperationRequests,
    agreedConsultations,
    emergencyAnnouncements,
  });
  return { incidents, inputs };
}

/**
 * An agreement's incidents and engine inputs, loaded once per `stamp` (agreement version + audit-chain
 * head, see findAgreementAuditStamp) and cached per database: the same object until the stamp
 * changes, so callers may key their own derived data on it (the work queue does).
 */
export async function cachedAgreementInputs(
  tx: Tx,
  agreement: { id: string; stamp: string; load: () => Promise<AgreementRecord> },
): Promise<AgreementInputs> {
  let cache = inputCaches.get(tx);
  if (!cache) inputCaches.set(tx, (cache = new Map()));
  const key = `${agreement.id}|${agreement.stamp}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const loaded = await loadAgreementInputs(tx, await agreement.load());
  if (cache.size >= INPUT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, loaded);
  return loaded;
}

/**
 * Every obligation across an agreement's incidents as of `nowMs`. The loaded records are cached
 * under `stamp` (agreement version + audit-chain head, see findAgreementAuditStamp): a repeat
 * costs one indexed read plus the pure derivation, which depends on `now` and so always runs.
 */
export async function computeAgreementObligations(
  tx: Tx,
  agreement: AgreementRecord | { id: string; stamp: string; load: () => Promise<AgreementRecord> },
  nowMs: number,
): Promise<{ incidents: IncidentHead[]; obligations: Map<string, Obligation[]> }> {
  const loaded =
    'stamp' in agreement
      ? await cachedAgreementInputs(tx, agreement)
      : await loadAgreementInputs(tx, agreement);
  const obligations = new Map<string, Obligation[]>();
  for (const input of loaded.inputs) obligations.set(input.incident.id, deriveObligations(input, nowMs));
  return { incidents: loaded.incidents, obligations };
}

export async function obligationsOf(
  tx: Tx,
  incident: IncidentRecord,
  agreement: AgreementRecord,
  nowMs: number,
): Promise<Obligation[]> {
  return (
    (await computeObligations(tx, [incident], new Map([[agreement.id, agreement]]), nowMs)).get(
      incident.id,
    ) ?? []
  );
}

/** Re-derives an incident's obligations and brings its reminder clocks in line (after any change). */
export async function refreshClocks(
  tx: Tx,
  incident: IncidentRecord,
  agreement: AgreementRecord,
  nowMs: number,
): Promise<Obligation[]> {
  const obligations = await obligationsOf(tx, incident, agreement, nowMs);
  await syncClocks(tx, incident, obligations, nowMs);
  return obligations;
}

const PREVIOUS: Record<ReminderStage, ReminderStage | null> = {
  half: null,
  ninety: 'half',
  breach: 'ninety',
};

/**
 * Brings the reminder clocks of an incident in line with its obligations, in the change's
 * transaction: settled obligations stop; new ones start at their next stage; a changed due time
 * re-plans the current stage without repeating stages already sent.
 */
export async function syncClocks(
  tx: Tx,
  incident: IncidentRecord,
  obligations: Obligation[],
  nowMs: number,
): Promise<void> {
  const existing = new Map((await listClocks(tx, incident.id)).map((c) => [c.obligationId, c]));
  const now = iso(nowMs);
  for (const o of obligations) {
    const clock = existing.get(o.id);
    const settled = o.state === 'met' || o.state === 'met_late' || o.state === 'waived';
    let next: { stage: ReminderStage; atMs: number } | null = null;
    // A dismissed incident's lapsed duties are settled (waived); one still owed (Art 3.1) keeps
    // its reminders. A closed incident sends none.
    if (!settled && incident.state !== 'closed') {
      if (!clock) next = firstReminder(o, nowMs);
      else if (clock.nextStage) next = nextReminder(o, PREVIOUS[clock.nextStage as ReminderStage], nowMs);
    }
    const stage = next?.stage ?? null;
    const at = next ? iso(next.atMs) : null;
    if (!clock || clock.nextStage !== stage || clock.nextAt !== at || clock.clause !== o.clause) {
      await upsertClock(
        tx,
        {
          obligationId: o.id,
          incidentId: incident.id,
          agreementId: incident.agreementId,
          nextStage: stage,
          nextAt: at,
          clause: o.clause,
          sourceType: o.sourceType,
          sourceId: o.sourceId,
          owedBy: o.owedBy,
          owedTo: o.owedTo,
        },
        now,
      );
    }
  }
}

export function obligationJson(o: Obligation, nowMs: number) {
  return {
    id: o.id,
    clause: o.clause,
    title: clauseTitle(o.clause),
    incidentId: o.incidentId,
    agreementId: o.agreementId,
    owedBy: o.owedBy,
    owedTo: o.owedTo,
    startsAt: iso(o.startsAtMs),
    dueAt: iso(o.dueAtMs),
    state: o.state,
    secondsLeft: Math.round((o.dueAtMs - nowMs) / 1000),
    metBy: o.metBy
      ? {
          type: o.metBy.type,
          id: o.metBy.id,
          at: iso(o.metBy.atMs),
          takenAt: o.metBy.takenAtMs === null ? null : iso(o.metBy.takenAtMs),
        }
      : null,
    metAt: o.metBy ? iso(o.metBy.atMs) : null,
    waived: o.waiver
      ? { byUserId: o.waiver.byUserId, reason: o.waiver.reason, at: iso(o.waiver.atMs) }
      : null,
    sourceId: o.sourceId,
    sourceType: o.sourceType,
    basis: o.basis,
    survives: o.survives,
  };
}

export type ObligationJson = ReturnType<typeof obligationJson>;
