/**
 * The memorandum template (情報漏えい事故対応協力覚書) parsed into its parts, so that the HTML and
 * DOCX renderers share one structure and fill in the blanks by position, not by blind
 * string replacement.
 *
 * Template grammar (blocks are separated by blank lines):
 *
 *   title
 *   preamble                       containing ●●株式会社（以下「甲」という。） and the same for 乙
 *   第N条（見出し）                 one block per article, N = 1, 2, 3, … in order
 *     1　paragraph text            numbered paragraph (number, full-width space, text), or
 *     unnumbered text              a single paragraph
 *     (1) item text                an item of the paragraph above
 *   closing sentence               本覚書締結の証として、…
 *   ●年●月●日                     the date line
 *   甲 / 会社名：___ / 所在地：___ / 代表者名：___ / 印     a signature block (and one for 乙)
 */
import { readFileSync } from 'node:fs';

export type PartyRole = '甲' | '乙';

/** A piece of the preamble: literal text, or the blank standing for a party's name. */
export type PreambleSegment = { kind: 'text'; text: string } | { kind: 'party'; party: PartyRole };

export interface TemplateItem {
  /** As written in the template, e.g. `(1)`. */
  label: string;
  text: string;
}

export interface TemplateParagraph {
  /** Paragraph number (項) as written, e.g. `1`; null for an article with a single unnumbered paragraph. */
  number: string | null;
  /** The separator between number and text as written (a full-width space in the memorandum). */
  separator: string;
  text: string;
  items: TemplateItem[];
}

export interface TemplateArticle {
  number: number;
  /** Full heading as written, e.g. `第1条（目的）`. */
  heading: string;
  /** The caption inside the brackets, e.g. `目的`. */
  caption: string;
  paragraphs: TemplateParagraph[];
}

export type SignatureFieldKey = 'name' | 'address' | 'representative';

export interface TemplateSignatureField {
  key: SignatureFieldKey;
  /** As written, e.g. `会社名`. */
  label: string;
  /** The colon as written (full-width in the memorandum). */
  colon: string;
  /** The blank as written, kept when the value is unknown. */
  blank: string;
}

export interface TemplateSignatureBlock {
  party: PartyRole;
  fields: TemplateSignatureField[];
  /** The seal mark, `印`. */
  seal: string;
}

export interface ParsedTemplate {
  title: string;
  preamble: PreambleSegment[];
  articles: TemplateArticle[];
  closing: string;
  /** The date line's placeholder as written, e.g. `●年●月●日`. */
  datePlaceholder: string;
  signatureBlocks: TemplateSignatureBlock[];
}

export class TemplateParseError extends Error {
  override readonly name = 'TemplateParseError';
}

const ARTICLE_HEADING = /^第(\d+)条（(.+)）$/;
const NUMBERED_PARAGRAPH = /^(\d+)([　 ])(.+)$/;
const ITEM = /^(\(\d+\)|（\d+）)\s*(.+)$/;
const PARTY_PLACEHOLDER = /●●株式会社(?=（以下「(甲|乙)」という。）)/g;
const DATE_PLACEHOLDER = /^●年●月●日$/;
const SIGNATURE_FIELD = /^(会社名|所在地|代表者名)([：:])(.*)$/;
const FIELD_KEYS: Record<string, SignatureFieldKey> = {
  会社名: 'name',
  所在地: 'address',
  代表者名: 'representative',
};

function splitBlocks(text: string): string[][] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/u, ''));
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function parsePreamble(lines: string[]): PreambleSegment[] {
  const text = lines.join('');
  const segments: PreambleSegment[] = [];
  const seen: PartyRole[] = [];
  let last = 0;
  for (const m of text.matchAll(PARTY_PLACEHOLDER)) {
    const party = m[1] as PartyRole;
    if (m.index > last) segments.push({ kind: 'text', text: text.slice(last, m.index) });
    segments.push({ kind: 'party', party });
    seen.push(party);
    last = m.index + m[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  if (seen.length !== 2 || !seen.includes('甲') || !seen.includes('乙')) {
    throw new TemplateParseError(
      'preamble must contain ●●株式会社（以下「甲」という。） and ●●株式会社（以下「乙」という。） once each',
    );
  }
  return segments;
}

function parseArticle(lines: string[], expected: number): TemplateArticle {
  const [headingLine, ...body] = lines;
  const m = ARTICLE_HEADING.exec(headingLine ?? '');
  if (!m) throw new TemplateParseError(`expected article heading 第${expected}条（…）, got: ${headingLine}`);
  const number = Number(m[1]);
  if (number !== expected) {
    throw new TemplateParseError(`articles out of order: expected 第${expected}条, got ${headingLine}`);
  }
  if (body.length === 0) throw new TemplateParseError(`${headingLine} has no text`);
  const paragraphs: TemplateParagraph[] = [];
  for (const line of body) {
    const item = ITEM.exec(line);
    if (item) {
      const para = paragraphs.at(-1);
      if (!para) throw new TemplateParseError(`${headingLine}: item before any paragraph: ${line}`);
      para.items.push({ label: item[1]!, text: item[2]! });
      continue;
    }
    const numbered = NUMBERED_PARAGRAPH.exec(line);
    if (numbered) {
      paragraphs.push({ number: numbered[1]!, separator: numbered[2]!, text: numbered[3]!, items: [] });
      continue;
    }
    if (paragraphs.length > 0) {
      throw new TemplateParseError(`${headingLine}: unnumbered line after a paragraph: ${line}`);
    }
    paragraphs.push({ number: null, separator: '', text: line, items: [] });
  }
  return { number, heading: headingLine!, caption: m[2]!, paragraphs };
}

function parseSignatureBlock(lines: string[]): TemplateSignatureBlock {
  const [partyLine, ...rest] = lines;
  if (partyLine !== '甲' && partyLine !== '乙') {
    throw new TemplateParseError(`signature block must start with 甲 or 乙, got: ${partyLine}`);
  }
  const seal = rest.at(-1);
  if (seal !== '印') throw new TemplateParseError(`signature block ${partyLine} must end with 印`);
  const fields: TemplateSignatureField[] = rest.slice(0, -1).map((line) => {
    const m = SIGNATURE_FIELD.exec(line);
    if (!m) throw new TemplateParseError(`signature block ${partyLine}: unexpected line: ${line}`);
    return { key: FIELD_KEYS[m[1]!]!, label: m[1]!, colon: m[2]!, blank: m[3]! };
  });
  for (const key of ['name', 'address', 'representative'] as const) {
    if (fields.filter((f) => f.key === key).length !== 1) {
      throw new TemplateParseError(`signature block ${partyLine} must have one ${key} line`);
    }
  }
  return { party: partyLine, fields, seal };
}

export function parseTemplate(text: string): ParsedTemplate {
  const blocks = splitBlocks(text);
  const [titleBlock, preambleBlock, ...rest] = blocks;
  if (!titleBlock || titleBlock.length !== 1)
    throw new TemplateParseError('template must start with a one-line title');
  if (!preambleBlock) throw new TemplateParseError('template has no preamble');

  const articles: TemplateArticle[] = [];
  let i = 0;
  while (i < rest.length && ARTICLE_HEADING.test(rest[i]![0]!)) {
    articles.push(parseArticle(rest[i]!, articles.length + 1));
    i++;
  }
  if (articles.length === 0) throw new TemplateParseError('template has no articles');

  const closingBlock = rest[i++];
  if (!closingBlock) throw new TemplateParseError('template has no closing sentence after the articles');
  const dateBlock = rest[i++];
  if (!dateBlock || dateBlock.length !== 1 || !DATE_PLACEHOLDER.test(dateBlock[0]!)) {
    throw new TemplateParseError('expected the date line ●年●月●日 after the closing sentence');
  }
  const signatureBlocks = rest.slice(i).map(parseSignatureBlock);
  if (signatureBlocks.map((b) => b.party).join() !== '甲,乙') {
    throw new TemplateParseError('template must end with the signature blocks of 甲 and 乙, in that order');
  }

  return {
    title: titleBlock[0]!,
    preamble: parsePreamble(preambleBlock),
    articles,
    closing: closingBlock.join(''),
    datePlaceholder: dateBlock[0]!,
    signatureBlocks,
  };
}

const DEFAULT_TEMPLATE_URL = new URL('./templates/mou-ja.txt', import.meta.url);
let defaultTemplateText: string | undefined;
let defaultTemplate: ParsedTemplate | undefined;

/** The project's own copy of the memorandum, read once (works from `src/` and `dist/server/`). */
export function loadDefaultTemplateText(): string {
  defaultTemplateText ??= readFileSync(DEFAULT_TEMPLATE_URL, 'utf8');
  return defaultTemplateText;
}

/** The default template, parsed once (frozen: it is shared). */
export function loadDefaultTemplate(): ParsedTemplate {
  defaultTemplate ??= deepFreeze(parseTemplate(loadDefaultTemplateText()));
  return defaultTemplate;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
