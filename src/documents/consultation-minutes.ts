/**
 * The minutes of an Art 12 consultation (協議記録) as a Word document: the parties, the subject and
 * topic, every message and proposal in order with who wrote it and when (Japan time), and the
 * agreed outcome with who confirmed it. Pure: the caller loads the records and formats nothing.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

export interface MinutesEntry {
  /** Japan time, already formatted (「2026年11月28日（土）10時00分」). */
  at: string;
  /** 甲 or 乙 with the company's name. */
  by: string;
  kind: 'message' | 'outcome_proposed' | 'outcome_confirmed';
  body: string;
}

export interface ConsultationMinutesModel {
  consultationId: string;
  agreementTitle: string;
  partyA: string;
  partyB: string;
  incidentTitle: string;
  subject: string;
  topic: string;
  openedAt: string;
  openedBy: string;
  /** 協議中 / 合意案の確認待ち / 合意済み */
  stateLabel: string;
  entries: MinutesEntry[];
  outcome: string | null;
  agreedAt: string | null;
  agreedBy: string | null;
}

const FONT = '游明朝';
const LATIN = 'Yu Mincho';
const KIND_LABEL: Record<MinutesEntry['kind'], string> = {
  message: '発言',
  outcome_proposed: '合意案の提示',
  outcome_confirmed: '合意案の確認',
};

const cell = (text: string, width: number, bold = false) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    children: text
      .split('\n')
      .map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })),
  });

const line = (label: string, value: string) =>
  new Paragraph({ children: [new TextRun({ text: `${label}：`, bold: true }), new TextRun(value)] });

export function buildConsultationMinutes(m: ConsultationMinutesModel): Document {
  const widths = [2400, 1900, 1500, 3800];
  const rows = [
    new TableRow({
      tableHeader: true,
      children: ['日時', '当事者', '種別', '内容'].map((h, i) => cell(h, widths[i]!, true)),
    }),
    ...m.entries.map(
      (e) =>
        new TableRow({
          children: [e.at, e.by, KIND_LABEL[e.kind], e.body].map((t, i) => cell(t, widths[i]!)),
        }),
    ),
  ];
  return new Document({
    title: `協議記録（${m.topic}）`,
    subject: m.consultationId,
    creator: 'BreachPact',
    styles: {
      default: {
        document: {
          run: {
            font: { ascii: LATIN, hAnsi: LATIN, eastAsia: FONT, cs: LATIN },
            size: 21,
            language: { value: 'en-US', eastAsia: 'ja-JP' },
          },
        },
      },
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 360 },
            children: [new TextRun({ text: '協議記録', bold: true, size: 28 })],
          }),
          new Paragraph({
            spacing: { after: 240 },
            children: [
              new TextRun(`${m.agreementTitle}第12条（協議事項）に基づき、甲乙間で行った協議の記録である。`),
            ],
          }),
          line('甲', m.partyA),
          line('乙', m.partyB),
          line('事故', m.incidentTitle),
          line('協議の対象', m.subject),
          line('議題', m.topic),
          line('開始', `${m.openedAt}（${m.openedBy}）`),
          line('状態', m.stateLabel),
          new Paragraph({
            spacing: { before: 240, after: 120 },
            children: [new TextRun({ text: '経過', bold: true })],
          }),
          new Table({
            layout: TableLayoutType.FIXED,
            width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
            columnWidths: widths,
            rows,
          }),
          new Paragraph({
            spacing: { before: 360, after: 120 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
            children: [new TextRun({ text: '協議の結果', bold: true })],
          }),
          ...(m.outcome !== null && m.agreedAt !== null
            ? [
                ...m.outcome.split('\n').map((t) => new Paragraph({ children: [new TextRun(t)] })),
                new Paragraph({
                  spacing: { before: 120 },
                  children: [
                    new TextRun(`上記のとおり甲乙合意した（${m.agreedAt}、${m.agreedBy ?? ''}が確認）。`),
                  ],
                }),
              ]
            : [
                new Paragraph({
                  children: [
                    new TextRun(
                      m.outcome !== null
                        ? `合意案（相手方の確認待ち）：${m.outcome}`
                        : 'まだ合意に至っていない。',
                    ),
                  ],
                }),
              ]),
        ],
      },
    ],
  });
}

export function renderConsultationMinutesDocx(m: ConsultationMinutesModel): Promise<Buffer> {
  return Packer.toBuffer(buildConsultationMinutes(m));
}
