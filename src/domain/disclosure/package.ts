import {
  CAUSE_ENTITY_LABELS,
  INCIDENT_KIND_LABELS,
  INFO_CATEGORY_LABELS,
  type CauseEntity,
  type IncidentKind,
  type InfoCategory,
} from '../incident/classification.js';
import {
  NOTICE_ITEM_LABELS,
  NOTICE_ITEMS,
  noticeLabel,
  UNDER_INVESTIGATION,
  type NoticeItems,
} from '../incident/notice.js';
import { INCIDENT_STATE_LABELS, type IncidentState } from '../incident/state.js';
import { formatDue } from '../shared/deadline.js';
import {
  DISCLOSURE_BASIS_LABELS,
  DISCLOSURE_STATE_LABELS,
  type DisclosureBasis,
  type DisclosureState,
} from './disclosure.js';

/**
 * The package a party hands to the outside recipient of an Art 5 disclosure: each selected record
 * as JSON and as readable Japanese text, the evidence files, and `manifest.json` naming every file
 * with its SHA-256 and size and the disclosure that covers it. Pure: the caller hashes the bytes
 * (evidence is streamed, never held whole) and writes the ZIP.
 */

export interface PackageDisclosure {
  id: string;
  incidentId: string;
  agreementId: string;
  byParty: 'A' | 'B';
  recipient: string;
  purpose: string;
  scope: string;
  basis: DisclosureBasis;
  basisReference: string | null;
  state: DisclosureState;
  filedAt: string;
  decidedAt: string | null;
  conditions: string | null;
}

export interface PackageIncident {
  id: string;
  title: string;
  summary: string;
  reportingParty: 'A' | 'B';
  infoCategories: InfoCategory[];
  kinds: IncidentKind[];
  causeEntity: CauseEntity;
  suspected: boolean;
  state: IncidentState;
  occurredAt: string | null;
  discoveredAt: string;
  affectedPersons: number | null;
  affectedPersonsEstimated: boolean;
  affectedRecords: number | null;
  affectedRecordsEstimated: boolean;
  dataItems: string[];
  sensitiveData: boolean;
  financialHarmRisk: boolean;
  improperPurpose: boolean;
  encrypted: boolean;
}

export interface PackageNotice {
  id: string;
  incidentId: string;
  fromParty: 'A' | 'B';
  number: number;
  items: NoticeItems;
  sentAt: string;
  acknowledgedAt: string | null;
}

/** A file of the package whose bytes are known (records, texts). */
export interface TextEntry {
  path: string;
  text: string;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  /** What the file is: a record, its text, or an evidence file. */
  kind: 'disclosure' | 'incident' | 'notice' | 'evidence';
  recordId: string;
  /** The disclosure (Art 5) this file is covered by. */
  coveredBy: string;
}

export interface Manifest {
  format: 'breachpact-disclosure-package/1';
  packageId: string;
  builtAt: string;
  disclosure: {
    id: string;
    recipient: string;
    purpose: string;
    scope: string;
    basis: DisclosureBasis;
    basisReference: string | null;
    state: DisclosureState;
    consentedAt: string | null;
    conditions: string | null;
  };
  incidentId: string;
  agreementId: string;
  files: ManifestFile[];
}

const PARTY = { A: '甲', B: '乙' } as const;
const jst = (iso: string | null) => (iso ? formatDue(iso, 'ja') : '—');
const yes = (b: boolean) => (b ? 'あり' : 'なし');
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export function disclosureText(d: PackageDisclosure): string {
  const lines = [
    '第三者開示の記録（情報漏えい事故対応協力覚書 第5条）',
    '',
    `開示先：${d.recipient}`,
    `開示の目的：${d.purpose}`,
    `開示の範囲：${d.scope}`,
    `根拠：${DISCLOSURE_BASIS_LABELS[d.basis].ja}`,
    ...(d.basisReference ? [`根拠となる法令・命令等：${d.basisReference}`] : []),
    `状態：${DISCLOSURE_STATE_LABELS[d.state].ja}`,
    `開示する当事者：${PARTY[d.byParty]}`,
    `申請日時：${jst(d.filedAt)}`,
    ...(d.state === 'consented' ? [`相手方の承諾日時：${jst(d.decidedAt)}`] : []),
    ...(d.conditions ? [`承諾の条件：${d.conditions}`] : []),
    '',
    'この資料は、上記の目的及び範囲に限って開示されたものです。各ファイルの SHA-256 は manifest.json に記載しています。',
  ];
  return `${lines.join('\n')}\n`;
}

export function incidentText(i: PackageIncident): string {
  const count = (n: number | null, estimated: boolean) =>
    n === null ? UNDER_INVESTIGATION.ja : `${n.toLocaleString('ja-JP')}${estimated ? '（推定）' : ''}`;
  const lines = [
    `情報漏えい事故：${i.title}`,
    '',
    `概要：${i.summary || '—'}`,
    `発生した当事者：${PARTY[i.reportingParty]}`,
    `状態：${INCIDENT_STATE_LABELS[i.state].ja}${i.suspected ? '（発生のおそれ）' : ''}`,
    `情報の種類：${i.infoCategories.map((c) => INFO_CATEGORY_LABELS[c].ja).join('、') || '—'}`,
    `事故の種類：${i.kinds.map((k) => INCIDENT_KIND_LABELS[k].ja).join('、') || '—'}`,
    `原因となった者：${CAUSE_ENTITY_LABELS[i.causeEntity].ja}`,
    `発生日時：${jst(i.occurredAt)}`,
    `発覚日時：${jst(i.discoveredAt)}`,
    `影響を受けた本人の数：${count(i.affectedPersons, i.affectedPersonsEstimated)}`,
    `影響を受けた件数：${count(i.affectedRecords, i.affectedRecordsEstimated)}`,
    `データ項目：${i.dataItems.join('、') || '—'}`,
    `要配慮個人情報：${yes(i.sensitiveData)}`,
    `財産的被害のおそれ：${yes(i.financialHarmRisk)}`,
    `不正の目的によるおそれ：${yes(i.improperPurpose)}`,
    `高度な暗号化：${yes(i.encrypted)}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function noticeText(n: PackageNotice): string {
  const lines = [
    `${noticeLabel(n.number).ja}（第3条第2項の通知）`,
    '',
    `通知した当事者：${PARTY[n.fromParty]}`,
    `送信日時：${jst(n.sentAt)}`,
    `受領確認：${n.acknowledgedAt ? jst(n.acknowledgedAt) : '未確認'}`,
    '',
    ...NOTICE_ITEMS.map(
      (k) =>
        `${NOTICE_ITEM_LABELS[k].ja}（第${NOTICE_ITEM_LABELS[k].article}）：${n.items[k] ?? UNDER_INVESTIGATION.ja}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** The records of the package as files: JSON and text of the disclosure, the incident, each notice. */
export function recordEntries(
  d: PackageDisclosure,
  incident: PackageIncident | null,
  notices: readonly PackageNotice[],
): Array<TextEntry & { kind: ManifestFile['kind']; recordId: string }> {
  const out: Array<TextEntry & { kind: ManifestFile['kind']; recordId: string }> = [
    { path: 'disclosure.json', text: json(d), kind: 'disclosure', recordId: d.id },
    { path: 'disclosure.txt', text: disclosureText(d), kind: 'disclosure', recordId: d.id },
  ];
  if (incident) {
    out.push({ path: 'incident.json', text: json(incident), kind: 'incident', recordId: incident.id });
    out.push({ path: 'incident.txt', text: incidentText(incident), kind: 'incident', recordId: incident.id });
  }
  for (const n of [...notices].sort((a, b) => a.number - b.number || a.id.localeCompare(b.id))) {
    const base = `notices/${String(n.number).padStart(2, '0')}-${n.id}`;
    out.push({ path: `${base}.json`, text: json(n), kind: 'notice', recordId: n.id });
    out.push({ path: `${base}.txt`, text: noticeText(n), kind: 'notice', recordId: n.id });
  }
  return out;
}

/**
 * The path of an evidence file in the package: under evidence/, prefixed by its id (unique), its
 * name reduced to one safe path segment (no separators, no control characters, no leading dots).
 */
export function evidencePath(id: string, filename: string): string {
  const safe =
    filename
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 150) || 'file';
  return `evidence/${id}-${safe}`;
}

export function buildManifest(
  packageId: string,
  builtAt: string,
  d: PackageDisclosure,
  files: readonly Omit<ManifestFile, 'coveredBy'>[],
): Manifest {
  return {
    format: 'breachpact-disclosure-package/1',
    packageId,
    builtAt,
    disclosure: {
      id: d.id,
      recipient: d.recipient,
      purpose: d.purpose,
      scope: d.scope,
      basis: d.basis,
      basisReference: d.basisReference,
      state: d.state,
      consentedAt: d.state === 'consented' ? d.decidedAt : null,
      conditions: d.conditions,
    },
    incidentId: d.incidentId,
    agreementId: d.agreementId,
    files: files.map((f) => ({ ...f, coveredBy: d.id })),
  };
}

export const manifestText = (m: Manifest): string => json(m);
