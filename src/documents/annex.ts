/**
 * The annex 別紙「運用細則」: every operational target the software enforces (Art 3.1 notice, Art
 * 3.2(6) answer time, Art 3.3 measures, Art 4.2 answer to a cooperation request) — always, even at their defaults, since the memorandum only
 * says 「速やかに」 and the parties are held to the hours — plus the parameters that differ from the
 * memorandum where the body does not state them itself, and the Art 13 court when known.
 *
 * The column 本覚書の定め quotes the memorandum's own words, exactly as the article writes them
 * (第3条第1項「速やかに」), and adds nothing; the agreed value is in 合意内容.
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
  /** What is refined, e.g. `通知の期限`. */
  subject: string;
}

export const PARAMETER_LABELS: Readonly<Record<ParameterName, ParameterLabel>> = {
  noticeTargetHours: { provision: '第3条第1項', subject: '相手方への通知の期限' },
  itemRequestMinHours: { provision: '第3条第2項第6号', subject: '相手方が求める事項への回答期限の下限' },
  containmentTargetHours: { provision: '第3条第3項', subject: '被害拡大防止のための措置の期限' },
  cooperationResponseHours: { provision: '第4条第2項', subject: '協力の求めに対する回答の期限' },
  termMonths: { provision: '第11条第1項', subject: '有効期間（○か月）' },
  renewalMonths: { provision: '第11条第2項', subject: '更新期間（○か月、0は自動更新なし）' },
  terminationNoticeMonths: {
    provision: '第11条第2項',
    subject: '終了の意思表示の期限（期間満了の○か月前まで）',
  },
  countSigningDay: { provision: '民法第138条及び第140条', subject: '初日算入（する/しない）' },
  survivingArticles: { provision: '第11条第3項', subject: '存続条項（第5条、第8条及び第9条）' },
};

/** The operational targets the software enforces: always in the annex, in article order. */
export const OPERATIONAL_TARGETS: readonly ParameterName[] = [
  'noticeTargetHours',
  'itemRequestMinHours',
  'containmentTargetHours',
  'cooperationResponseHours',
];

/** Parameters the body's Art 11 states itself when it follows the parameters (article11.ts). */
export const ARTICLE_11_PARAMETERS: readonly ParameterName[] = [
  'termMonths',
  'renewalMonths',
  'terminationNoticeMonths',
  'countSigningDay',
  'survivingArticles',
];

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

/** The agreed value, in words: what the software holds the parties to. */
export function formatParameterValue<K extends ParameterName>(
  name: K,
  value: AgreementParameters[K],
): string {
  switch (name) {
    case 'noticeTargetHours':
      // The clock runs from discovery, a suspicion included (第3条第1項「発生のおそれを認識した場合」).
      return `情報漏えい事故の発生又は発生のおそれを認識した時から${value as number}時間以内に通知する`;
    case 'itemRequestMinHours':
      return `求めの時から${value as number}時間以上先の回答期限を定めて求める`;
    case 'cooperationResponseHours':
      return `協力を求められた当事者は、求めに回答期限の定めがない場合、求めの時から${value as number}時間以内に、協力の可否（協力しない場合はその理由）又は協力の結果を回答する`;
    case 'containmentTargetHours':
      return `情報漏えい事故が生じた当事者は発生又は発生のおそれを認識した時から、相手方は第3条第1項の通知を受けた時から、それぞれ${value as number}時間以内に実施する`;
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

/**
 * The memorandum's own provision, quoted exactly as its article writes it (mou-ja.txt) — nothing
 * added. For Art 11 parameters, the memorandum's values.
 */
export function formatMemorandumValue(name: ParameterName): string {
  switch (name) {
    case 'noticeTargetHours':
      return '「速やかに相手方へ通知しなければならない」';
    case 'itemRequestMinHours':
      return '「その他相手方が合理的に求める事項」';
    case 'containmentTargetHours':
      return '「必要な措置を速やかに実施するものとする」';
    case 'cooperationResponseHours':
      return '「合理的な範囲で協力を行う」';
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
  intro: string;
  rows: AnnexRow[];
  /** `合意管轄裁判所（第13条）：東京地方裁判所`, when the court is known. */
  courtLine: string | null;
}

/** The name the body uses for it (第14条). */
export const ANNEX_NAME = '別紙運用細則';
export const ANNEX_TITLE = '別紙　運用細則';
export const ANNEX_INTRO = '甲及び乙は、本覚書の運用に関し、次のとおり合意する。';
export const ANNEX_COLUMNS = ['条項', '事項', '本覚書の定め', '合意内容'] as const;
/** The article that binds the annex into the memorandum, placed after the last article. */
export const ANNEX_ARTICLE_CAPTION = '運用細則';
export const ANNEX_BINDING_SENTENCE =
  '別紙運用細則は本覚書と一体をなし、本覚書の規定と異なる定めがある場合は別紙が優先する。';
/** The annex's own signature: it is signed, not only stapled to the signed memorandum. */
export const ANNEX_SIGNING_SENTENCE = '上記の運用細則に合意した証として、甲乙記名押印する。';

export function courtLine(court: string): string {
  return `合意管轄裁判所（第13条）：${court}`;
}

export interface AnnexOptions {
  /** The body's Art 11 already states the term parameters (article11.ts), so the annex does not. */
  bodyStatesArticle11?: boolean;
}

/**
 * The annex. Always present: the operational targets are always listed. Then the other
 * parameters that differ from the memorandum (Art 11's only when the body does not state them),
 * then the Art 13 court when known.
 */
export function buildAnnex(
  parameters: AgreementParameters,
  court: string | null,
  options: AnnexOptions = {},
): Annex {
  const omitted = options.bodyStatesArticle11 ? ARTICLE_11_PARAMETERS : [];
  const names = [
    ...OPERATIONAL_TARGETS,
    ...changedParameters(parameters).filter((n) => !OPERATIONAL_TARGETS.includes(n) && !omitted.includes(n)),
  ];
  const rows = names.map((name): AnnexRow => ({
    parameter: name,
    ...PARAMETER_LABELS[name],
    memorandumValue: formatMemorandumValue(name),
    agreedValue: formatParameterValue(name, parameters[name]),
  }));
  const courtText = court?.trim() ? courtLine(court.trim()) : null;
  return { title: ANNEX_TITLE, intro: ANNEX_INTRO, rows, courtLine: courtText };
}
