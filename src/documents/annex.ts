/**
 * The annex 運用細則: the agreed parameters that differ from the memorandum's text, each with the
 * article it refines, and the Art 13 court when known.
 */
import {
  changedParameters,
  DEFAULT_PARAMETERS,
  type AgreementParameters,
  type ParameterName,
} from '../domain/agreement/parameters.js';

export interface ParameterLabel {
  /** The provision refined, e.g. `第3条第1項`. */
  provision: string;
  /** What is refined, e.g. `「速やかに」の通知期限（発覚から○時間以内）`. */
  subject: string;
}

export const PARAMETER_LABELS: Readonly<Record<ParameterName, ParameterLabel>> = {
  noticeTargetHours: { provision: '第3条第1項', subject: '「速やかに」の通知期限（発覚から○時間以内）' },
  containmentTargetHours: { provision: '第3条第3項', subject: '初動措置の判断期限（発覚から○時間以内）' },
  termMonths: { provision: '第11条第1項', subject: '有効期間（○か月）' },
  renewalMonths: { provision: '第11条第2項', subject: '更新期間（○か月、0は自動更新なし）' },
  terminationNoticeMonths: {
    provision: '第11条第2項',
    subject: '終了の意思表示の期限（期間満了の○か月前まで）',
  },
  countSigningDay: { provision: '民法第138条及び第140条', subject: '初日算入（する/しない）' },
  survivingArticles: { provision: '第11条第3項', subject: '存続条項（第5条、第8条及び第9条）' },
};

/** `第5条、第8条及び第9条` — the memorandum's way of listing articles. */
export function formatArticleList(articles: readonly number[]): string {
  const names = articles.map((n) => `第${n}条`);
  if (names.length === 0) return 'なし';
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join('、')}及び${names.at(-1)!}`;
}

function formatMonths(months: number): string {
  return months % 12 === 0 && months > 0 ? `${months}か月（${months / 12}年間）` : `${months}か月`;
}

/** The agreed value, in words. */
export function formatParameterValue<K extends ParameterName>(
  name: K,
  value: AgreementParameters[K],
): string {
  switch (name) {
    case 'noticeTargetHours':
    case 'containmentTargetHours':
      return `発覚から${value as number}時間以内`;
    case 'termMonths':
      return formatMonths(value as number);
    case 'renewalMonths':
      return (value as number) === 0 ? '自動更新なし' : formatMonths(value as number);
    case 'terminationNoticeMonths':
      return `期間満了の${value as number}か月前まで`;
    case 'countSigningDay':
      return (value as boolean) ? 'する（締結日を初日として算入）' : 'しない（初日不算入）';
    case 'survivingArticles':
      return formatArticleList(value as number[]);
    default: {
      const unknown: never = name;
      throw new Error(`unknown parameter ${String(unknown)}`);
    }
  }
}

/** The memorandum's own value, in its words (`速やかに` with the 24-hour guide for Art 3). */
export function formatMemorandumValue(name: ParameterName): string {
  switch (name) {
    case 'noticeTargetHours':
      return `速やかに（目安${DEFAULT_PARAMETERS.noticeTargetHours}時間）`;
    case 'containmentTargetHours':
      return `速やかに（目安${DEFAULT_PARAMETERS.containmentTargetHours}時間）`;
    default:
      return formatParameterValue(name, DEFAULT_PARAMETERS[name]);
  }
}

export interface AnnexRow {
  parameter: ParameterName;
  provision: string;
  subject: string;
  memorandumValue: string;
  agreedValue: string;
}

export interface Annex {
  title: string;
  /** Introductory sentence, present when there are rows. */
  intro: string | null;
  rows: AnnexRow[];
  /** `合意管轄裁判所（第13条）：東京地方裁判所`, when the court is known. */
  courtLine: string | null;
}

export const ANNEX_TITLE = '運用細則';
export const ANNEX_INTRO = '甲及び乙は、本覚書の運用に関し、次のとおり合意する。';
export const ANNEX_COLUMNS = ['条項', '事項', '本覚書の定め', '合意内容'] as const;

export function courtLine(court: string): string {
  return `合意管轄裁判所（第13条）：${court}`;
}

/**
 * The annex, or null when there is nothing to say. It is present when a parameter differs from
 * the memorandum or when the Art 13 court is known (then possibly with the court line alone).
 */
export function buildAnnex(parameters: AgreementParameters, court: string | null): Annex | null {
  const rows = changedParameters(parameters).map((name): AnnexRow => ({
    parameter: name,
    ...PARAMETER_LABELS[name],
    memorandumValue: formatMemorandumValue(name),
    agreedValue: formatParameterValue(name, parameters[name]),
  }));
  const courtText = court?.trim() ? courtLine(court.trim()) : null;
  if (rows.length === 0 && courtText === null) return null;
  return { title: ANNEX_TITLE, intro: rows.length > 0 ? ANNEX_INTRO : null, rows, courtLine: courtText };
}
