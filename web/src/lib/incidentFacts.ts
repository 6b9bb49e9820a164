/**
 * The facts of an incident as an editable form and back: the short first report grows as the
 * investigation learns more (PATCH /api/v1/incidents/{id}, If-Match). Only what changed is sent,
 * so the audit event's before/after names exactly the facts that were corrected.
 */
import { INCIDENT_FLAGS, type Incident, type ReportIncidentInput } from '../api/incidentTypes';
import { fromTokyoInput, toTokyoInput } from './instants';

/** Everything the facts form edits; times are `datetime-local` values in Japan time. */
export interface FactsForm {
  title: string;
  discoveredAt: string;
  summary: string;
  infoCategories: Incident['infoCategories'];
  kinds: Incident['kinds'];
  causeEntity: Incident['causeEntity'];
  occurredAt: string;
  affectedPersons: number | string;
  affectedPersonsEstimated: boolean;
  affectedRecords: number | string;
  affectedRecordsEstimated: boolean;
  dataItems: string;
  sensitiveData: boolean;
  financialHarmRisk: boolean;
  improperPurpose: boolean;
  encrypted: boolean;
}

export type FactsPatch = Partial<Omit<ReportIncidentInput, 'reportingParty' | 'suspected'>>;

/** The same separators the report form accepts: 、 , ， and new lines; duplicates dropped. */
export function splitDataItems(text: string): string[] {
  const items = text
    .split(/[,、，\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

/** A number input's value as a count: empty or invalid → null (unknown). */
export function countOrNull(v: number | string): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
}

export function factsFromIncident(i: Incident): FactsForm {
  return {
    title: i.title,
    discoveredAt: toTokyoInput(i.discoveredAt),
    summary: i.summary,
    infoCategories: [...i.infoCategories],
    kinds: [...i.kinds],
    causeEntity: i.causeEntity,
    occurredAt: i.occurredAt ? toTokyoInput(i.occurredAt) : '',
    affectedPersons: i.affectedPersons ?? '',
    affectedPersonsEstimated: i.affectedPersonsEstimated,
    affectedRecords: i.affectedRecords ?? '',
    affectedRecordsEstimated: i.affectedRecordsEstimated,
    dataItems: i.dataItems.join('、'),
    sensitiveData: i.sensitiveData,
    financialHarmRisk: i.financialHarmRisk,
    improperPurpose: i.improperPurpose,
    encrypted: i.encrypted,
  };
}

/** What in the form is not a valid value yet (the form shows it; nothing is sent). */
export function factsErrors(f: FactsForm): Array<'title' | 'discoveredAt' | 'occurredAt'> {
  const errors: Array<'title' | 'discoveredAt' | 'occurredAt'> = [];
  if (!f.title.trim()) errors.push('title');
  if (!fromTokyoInput(f.discoveredAt)) errors.push('discoveredAt');
  if (f.occurredAt !== '' && !fromTokyoInput(f.occurredAt)) errors.push('occurredAt');
  return errors;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));
const sameInstant = (a: string | null, b: string | null) =>
  a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));

/**
 * The fields whose value differs from the incident's, as the PATCH body. Times compare at minute
 * precision (the inputs' precision), so an untouched time is never sent back rounded.
 */
export function factsPatch(i: Incident, f: FactsForm): FactsPatch {
  const out: FactsPatch = {};
  const title = f.title.trim();
  if (title !== i.title) out.title = title;
  const summary = f.summary.trim();
  if (summary !== i.summary) out.summary = summary;
  if (!sameSet(f.infoCategories, i.infoCategories)) out.infoCategories = f.infoCategories;
  if (!sameSet(f.kinds, i.kinds)) out.kinds = f.kinds;
  if (f.causeEntity !== i.causeEntity) out.causeEntity = f.causeEntity;

  if (f.discoveredAt !== toTokyoInput(i.discoveredAt)) {
    const at = fromTokyoInput(f.discoveredAt);
    if (at && !sameInstant(at, i.discoveredAt)) out.discoveredAt = at;
  }
  const occurredBefore = i.occurredAt ? toTokyoInput(i.occurredAt) : '';
  if (f.occurredAt !== occurredBefore) {
    const at = f.occurredAt === '' ? null : fromTokyoInput(f.occurredAt);
    if (f.occurredAt === '' || (at && !sameInstant(at, i.occurredAt))) out.occurredAt = at;
  }

  const persons = countOrNull(f.affectedPersons);
  if (persons !== i.affectedPersons) out.affectedPersons = persons;
  if (f.affectedPersonsEstimated !== i.affectedPersonsEstimated)
    out.affectedPersonsEstimated = f.affectedPersonsEstimated;
  const records = countOrNull(f.affectedRecords);
  if (records !== i.affectedRecords) out.affectedRecords = records;
  if (f.affectedRecordsEstimated !== i.affectedRecordsEstimated)
    out.affectedRecordsEstimated = f.affectedRecordsEstimated;

  const items = splitDataItems(f.dataItems);
  if (items.length !== i.dataItems.length || items.some((x, n) => x !== i.dataItems[n]))
    out.dataItems = items;
  for (const flag of INCIDENT_FLAGS) if (f[flag] !== i[flag]) out[flag] = f[flag];
  return out;
}
