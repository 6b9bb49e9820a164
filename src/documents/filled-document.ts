/**
 * The memorandum filled in for one agreement: the parsed template plus the parties, the date, Art
 * 11 as the parameters make it, the article binding the annex, and the annex. Both renderers
 * (HTML, DOCX) draw this one structure.
 *
 * Where the annex goes. Japanese contracts put a 別紙 after the signature page and bind it with 契印
 * across the pages; software cannot make the parties seal across pages, so the annex here is
 * (1) made part of the memorandum by an article in the body (第14条: 一体をなし、…別紙が優先する),
 * which the parties sign under, and (2) given its own 記名押印 lines for both parties after its
 * table, so that the annex page is signed itself even when it travels alone or is stapled. Legal
 * departments accept this form (an annex referenced in the body and separately signed) without
 * 契印, and with 契印 it does no harm.
 */
import { DEFAULT_PARAMETERS, type AgreementParameters } from '../domain/agreement/parameters.js';
import type { Temporal } from '../domain/shared/time.js';
import {
  ANNEX_ARTICLE_CAPTION,
  ANNEX_BINDING_SENTENCE,
  ANNEX_SIGNING_SENTENCE,
  buildAnnex,
  type Annex,
} from './annex.js';
import { article11Texts } from './article11.js';
import { formatJapaneseDate, type DateStyle } from './japanese-date.js';
import {
  loadDefaultTemplate,
  type ParsedTemplate,
  type PartyRole,
  type TemplateArticle,
  type SignatureFieldKey,
} from './template.js';

export interface DocumentParty {
  name: string;
  address: string;
  representative: string;
}

export interface AgreementDocumentModel {
  agreementId: string;
  partyA: DocumentParty;
  partyB: DocumentParty;
  /** null for a draft: the date stays ●年●月●日 and the document is marked 案. */
  signedOn: Temporal.PlainDate | null;
  /** 2026年4月1日 or 令和8年4月1日. */
  dateStyle: DateStyle;
  parameters: AgreementParameters;
  /** Art 13 court, e.g. 東京地方裁判所 (from 甲's head office); stated in the annex when known. */
  court: string | null;
}

export interface RenderOptions {
  /** A parsed template other than the project's default copy of the memorandum. */
  template?: ParsedTemplate;
}

/** A run of text; `filled` marks what came from the agreement rather than the template. */
export interface TextPiece {
  text: string;
  filled: boolean;
}

export interface FilledSignatureLine {
  key: SignatureFieldKey;
  label: string;
  colon: string;
  /** The party's value, or the template's blank when the value is empty. */
  value: string;
  filled: boolean;
}

export interface FilledSignatureBlock {
  party: PartyRole;
  lines: FilledSignatureLine[];
  seal: string;
}

export interface FilledDocument {
  agreementId: string;
  /** 案 when the agreement is not signed yet, else null. */
  draftMark: string | null;
  title: string;
  preamble: TextPiece[];
  articles: readonly TemplateArticle[];
  closing: string;
  date: TextPiece;
  signatureBlocks: FilledSignatureBlock[];
  /** Always present: the operational targets are always stated (annex.ts). */
  annex: Annex;
  /** The annex's own signing sentence; the annex repeats `date` and `signatureBlocks` under it. */
  annexSigning: string;
}

export const DRAFT_MARK = '案';
const PARTY_PLACEHOLDER = '●●株式会社';

/**
 * User text made safe to place in a document: no control characters (line breaks become a
 * space; XML 1.0 forbids most controls), no lone surrogates, trimmed.
 */
export function cleanText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .replace(/[\uFFFE\uFFFF]/g, '')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

export function fillAgreementDocument(
  model: AgreementDocumentModel,
  options: RenderOptions = {},
): FilledDocument {
  const template = options.template ?? loadDefaultTemplate();
  const parties: Record<PartyRole, DocumentParty> = { 甲: model.partyA, 乙: model.partyB };

  const preamble: TextPiece[] = template.preamble.map((segment) => {
    if (segment.kind === 'text') return { text: segment.text, filled: false };
    const name = cleanText(parties[segment.party].name);
    return name ? { text: name, filled: true } : { text: PARTY_PLACEHOLDER, filled: false };
  });

  const signatureBlocks = template.signatureBlocks.map((block): FilledSignatureBlock => ({
    party: block.party,
    seal: block.seal,
    lines: block.fields.map((field) => {
      const value = cleanText(parties[block.party][field.key]);
      return {
        key: field.key,
        label: field.label,
        colon: field.colon,
        value: value || field.blank,
        filled: value !== '',
      };
    }),
  }));

  const court = model.court === null ? null : cleanText(model.court) || null;
  const { articles, bodyStatesArticle11 } = articlesFor(template.articles, model.parameters);

  return {
    agreementId: model.agreementId,
    draftMark: model.signedOn === null ? DRAFT_MARK : null,
    title: template.title,
    preamble,
    articles,
    closing: template.closing,
    date:
      model.signedOn === null
        ? { text: template.datePlaceholder, filled: false }
        : { text: formatJapaneseDate(model.signedOn, model.dateStyle), filled: true },
    signatureBlocks,
    annex: buildAnnex(model.parameters, court, { bodyStatesArticle11 }),
    annexSigning: ANNEX_SIGNING_SENTENCE,
  };
}

/**
 * The template's articles with Art 11 following the parameters — when the template's Art 11 is the
 * memorandum's wording (a different template keeps its own text, and the annex then lists the
 * changed Art 11 parameters) — and the article binding the annex appended after the last one.
 */
function articlesFor(
  template: readonly TemplateArticle[],
  parameters: AgreementParameters,
): { articles: TemplateArticle[]; bodyStatesArticle11: boolean } {
  const standard = article11Texts(DEFAULT_PARAMETERS);
  const art11 = template.find((a) => a.number === 11);
  const bodyStatesArticle11 =
    art11 !== undefined &&
    art11.paragraphs.length === standard.length &&
    art11.paragraphs.every((p, i) => p.text === standard[i] && p.items.length === 0);
  const texts = article11Texts(parameters);
  const articles = template.map((a): TemplateArticle =>
    bodyStatesArticle11 && a.number === 11
      ? { ...a, paragraphs: a.paragraphs.map((p, i) => ({ ...p, items: [], text: texts[i]! })) }
      : a,
  );
  const number = articles.length + 1;
  articles.push({
    number,
    heading: `第${number}条（${ANNEX_ARTICLE_CAPTION}）`,
    caption: ANNEX_ARTICLE_CAPTION,
    paragraphs: [{ number: null, separator: '', text: ANNEX_BINDING_SENTENCE, items: [] }],
  });
  return { articles, bodyStatesArticle11 };
}

/** The text of a paragraph as the template writes it: `1　本覚書において…`. */
export function paragraphText(p: { number: string | null; separator: string; text: string }): string {
  return p.number === null ? p.text : `${p.number}${p.separator}${p.text}`;
}
