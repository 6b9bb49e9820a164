/** The memorandum as a Word document (A4, Japanese Mincho font), built with `docx`. */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { ANNEX_COLUMNS, type Annex } from './annex.js';
import {
  fillAgreementDocument,
  paragraphText,
  type AgreementDocumentModel,
  type FilledDocument,
  type FilledSignatureBlock,
  type RenderOptions,
} from './filled-document.js';
import type { TemplateArticle } from './template.js';

/** Twentieths of a point. */
const MM = 1440 / 25.4;
const A4 = { width: 11906, height: 16838 };
const MARGIN = Math.round(20 * MM); // 1134
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
/** Body text 10.5pt (21 half-points), the usual size of Japanese business documents. */
const FONT_SIZE = 21;
/** One full-width character at 10.5pt, in twentieths of a point. */
const EM = 210;
const FONT = '游明朝';
const FONT_FALLBACK_LATIN = 'Yu Mincho';

const COLUMN_WIDTHS = (() => {
  const provision = 1900;
  const values = 2300;
  return [provision, CONTENT_WIDTH - provision - 2 * values, values, values];
})();

function article(a: TemplateArticle): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({
      children: [new TextRun({ text: a.heading, bold: true })],
      keepNext: true,
      keepLines: true,
      spacing: { before: 180 },
    }),
  ];
  a.paragraphs.forEach((p, pi) => {
    const lastParagraph = pi === a.paragraphs.length - 1;
    out.push(
      new Paragraph({
        children: [new TextRun(paragraphText(p))],
        // A numbered paragraph hangs: wrapped lines align one character in, as in Japanese contracts.
        indent: p.number === null ? undefined : { left: EM, hanging: EM },
        keepNext: p.items.length > 0,
        keepLines: true,
        spacing: lastParagraph && p.items.length === 0 ? { after: 60 } : undefined,
      }),
    );
    p.items.forEach((item, ii) => {
      out.push(
        new Paragraph({
          children: [new TextRun(`${item.label} ${item.text}`)],
          indent: { left: 3 * EM, hanging: 2 * EM },
          keepLines: true,
          spacing: lastParagraph && ii === p.items.length - 1 ? { after: 60 } : undefined,
        }),
      );
    });
  });
  return out;
}

function signatureBlock(b: FilledSignatureBlock): Paragraph[] {
  // Every line but the last keeps with the next: the block never splits across pages.
  const lines: Paragraph[] = [
    new Paragraph({
      children: [new TextRun({ text: b.party, bold: true })],
      keepNext: true,
      keepLines: true,
    }),
    ...b.lines.map(
      (l) =>
        new Paragraph({
          children: [new TextRun(`${l.label}${l.colon}`), new TextRun(l.value)],
          indent: { left: EM },
          keepNext: true,
          keepLines: true,
        }),
    ),
    new Paragraph({
      children: [new TextRun(b.seal)],
      alignment: AlignmentType.RIGHT,
      indent: { right: 4 * EM },
      keepLines: true,
      spacing: { after: 480 },
    }),
  ];
  return lines;
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const CELL_BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER };

function cell(text: string, width: number, header = false): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text, bold: header })] })],
    width: { size: width, type: WidthType.DXA },
    borders: CELL_BORDERS,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    shading: header ? { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } : undefined,
  });
}

/** The annex after the signature page, with its own signing sentence, date and 記名押印 lines. */
function annex(doc: FilledDocument): (Paragraph | Table)[] {
  const a: Annex = doc.annex;
  const out: (Paragraph | Table)[] = [
    new Paragraph({
      children: [new TextRun({ text: a.title, bold: true, size: 24 })],
      alignment: AlignmentType.CENTER,
      pageBreakBefore: true,
      spacing: { after: 360 },
    }),
  ];
  out.push(new Paragraph({ children: [new TextRun(a.intro)], spacing: { after: 240 } }));
  if (a.rows.length > 0) {
    out.push(
      new Table({
        width: { size: CONTENT_WIDTH, type: WidthType.DXA },
        columnWidths: COLUMN_WIDTHS,
        layout: TableLayoutType.FIXED,
        rows: [
          new TableRow({
            tableHeader: true,
            cantSplit: true,
            children: ANNEX_COLUMNS.map((c, i) => cell(c, COLUMN_WIDTHS[i]!, true)),
          }),
          ...a.rows.map(
            (r) =>
              new TableRow({
                cantSplit: true,
                children: [r.provision, r.subject, r.memorandumValue, r.agreedValue].map((t, i) =>
                  cell(t, COLUMN_WIDTHS[i]!),
                ),
              }),
          ),
        ],
      }),
      new Paragraph({ children: [], spacing: { after: 240 } }),
    );
  }
  if (a.courtLine) out.push(new Paragraph({ children: [new TextRun(a.courtLine)] }));
  out.push(
    new Paragraph({
      children: [new TextRun(doc.annexSigning)],
      indent: { firstLine: EM },
      spacing: { before: 480, after: 240 },
      keepNext: true,
    }),
    new Paragraph({ children: [new TextRun(doc.date.text)], spacing: { after: 480 }, keepNext: true }),
    ...doc.signatureBlocks.flatMap(signatureBlock),
  );
  return out;
}

export function buildDocx(doc: FilledDocument): Document {
  const draftHeader = doc.draftMark
    ? new Header({
        children: [
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [new TextRun({ text: doc.draftMark, bold: true, size: 32, color: 'CC0000' })],
            border: {
              top: { style: BorderStyle.SINGLE, size: 12, color: 'CC0000', space: 1 },
              bottom: { style: BorderStyle.SINGLE, size: 12, color: 'CC0000', space: 1 },
              left: { style: BorderStyle.SINGLE, size: 12, color: 'CC0000', space: 4 },
              right: { style: BorderStyle.SINGLE, size: 12, color: 'CC0000', space: 4 },
            },
          }),
        ],
      })
    : undefined;

  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['- ', PageNumber.CURRENT, ' -'], size: 18 })],
      }),
    ],
  });

  return new Document({
    title: doc.draftMark ? `${doc.title}（${doc.draftMark}）` : doc.title,
    subject: doc.agreementId,
    creator: 'BreachPact',
    styles: {
      default: {
        document: {
          run: {
            font: {
              ascii: FONT_FALLBACK_LATIN,
              hAnsi: FONT_FALLBACK_LATIN,
              eastAsia: FONT,
              cs: FONT_FALLBACK_LATIN,
            },
            size: FONT_SIZE,
            language: { value: 'en-US', eastAsia: 'ja-JP' },
          },
          paragraph: { spacing: { line: 360 } },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: A4,
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 567, footer: 567 },
          },
        },
        headers: draftHeader ? { default: draftHeader } : undefined,
        footers: { default: footer },
        children: [
          new Paragraph({
            children: [new TextRun({ text: doc.title, bold: true, size: 28 })],
            alignment: AlignmentType.CENTER,
            spacing: { after: 480 },
          }),
          new Paragraph({
            children: doc.preamble.map((p) => new TextRun(p.text)),
            indent: { firstLine: EM },
            spacing: { after: 240 },
          }),
          ...doc.articles.flatMap(article),
          new Paragraph({
            children: [new TextRun(doc.closing)],
            indent: { firstLine: EM },
            spacing: { before: 480, after: 240 },
          }),
          new Paragraph({ children: [new TextRun(doc.date.text)], spacing: { after: 480 }, keepNext: true }),
          ...doc.signatureBlocks.flatMap(signatureBlock),
          ...annex(doc),
        ],
      },
    ],
  });
}

export async function renderAgreementDocx(
  model: AgreementDocumentModel,
  options: RenderOptions = {},
): Promise<Buffer> {
  return Packer.toBuffer(buildDocx(fillAgreementDocument(model, options)));
}
