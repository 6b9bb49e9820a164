import { existsSync, readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { withDefaults, type AgreementParameters } from '../domain/agreement/parameters.js';
import { Temporal } from '../domain/shared/time.js';
import {
  agreementDocumentFilename,
  buildAnnex,
  contentDisposition,
  formatJapaneseDate,
  renderAgreementDocx,
  renderAgreementHtml,
  type AgreementDocumentModel,
} from './agreement-document.js';
import { eraFromTable } from './japanese-date.js';
import {
  loadDefaultTemplate,
  loadDefaultTemplateText,
  parseTemplate,
  TemplateParseError,
} from './template.js';

// ---------------------------------------------------------------------------------------------
// helpers

const d = (iso: string) => Temporal.PlainDate.from(iso);

function model(overrides: Partial<AgreementDocumentModel> = {}): AgreementDocumentModel {
  return {
    agreementId: 'agr_01HZX',
    partyA: {
      name: '甲山商事株式会社',
      address: '東京都千代田区丸の内一丁目1番1号',
      representative: '代表取締役 甲山太郎',
    },
    partyB: {
      name: '乙野システム株式会社',
      address: '大阪府大阪市北区梅田二丁目2番2号',
      representative: '代表取締役 乙野花子',
    },
    signedOn: d('2026-04-01'),
    dateStyle: 'western',
    parameters: withDefaults(undefined),
    court: null,
    ...overrides,
  };
}

const params = (p: Partial<AgreementParameters>) => withDefaults(p);

/** Visible text of the HTML body, one line per block element. */
function htmlText(html: string): string {
  const body = html.slice(html.indexOf('<body>')).replace(/\n/g, '');
  return body
    .replace(/<(?:\/p|\/h[12]|\/tr|\/td|\/th|br)\b[^>]*>/g, (m) =>
      m.startsWith('</td') || m.startsWith('</th') ? '\t' : '\n',
    )
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Entries of a zip archive, read from its central directory (stored and deflated entries). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const dataStart =
      localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : null;
    if (!data) throw new Error(`unsupported compression ${method} for ${name}`);
    if (data.length !== size) throw new Error(`size mismatch for ${name}`);
    out.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Throws unless `xml` is well-formed (tags balanced and properly nested, attributes quoted, entities valid). */
function assertWellFormedXml(xml: string, label: string): void {
  const fail = (msg: string, at: number) => {
    throw new Error(`${label}: ${msg} near ${JSON.stringify(xml.slice(Math.max(0, at - 40), at + 40))}`);
  };
  const ENTITY = /&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (text: string, at: number) => {
    for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
      ENTITY.lastIndex = i;
      if (!ENTITY.test(text)) fail('bad entity', at + i);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(text)) fail('invalid character', at);
  };
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const s = xml.replace(/^\uFEFF/, '');
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? s.length : lt;
    const text = s.slice(i, textEnd);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root element', i);
    checkText(text, i);
    if (lt < 0) break;
    if (s.startsWith('<?', lt)) {
      const end = s.indexOf('?>', lt);
      if (end < 0) fail('unterminated processing instruction', lt);
      i = end + 2;
    } else if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt);
      if (end < 0) fail('unterminated comment', lt);
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt);
      if (end < 0) fail('unterminated CDATA', lt);
      i = end + 3;
    } else {
      const gt = s.indexOf('>', lt);
      if (gt < 0) fail('unterminated tag', lt);
      const tag = s.slice(lt + 1, gt);
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        if (stack.pop() !== name) fail(`mismatched </${name}>`, lt);
      } else {
        const selfClosing = tag.endsWith('/');
        const inner = selfClosing ? tag.slice(0, -1) : tag;
        const m = /^([A-Za-z_][\w.:-]*)/.exec(inner);
        if (!m) fail('bad tag name', lt);
        let rest = inner.slice(m![1]!.length);
        const seen = new Set<string>();
        const ATTR = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/;
        for (let a = ATTR.exec(rest); a; a = ATTR.exec(rest)) {
          if (seen.has(a[1]!)) fail(`duplicate attribute ${a[1]}`, lt);
          seen.add(a[1]!);
          checkText(a[3] ?? a[4] ?? '', lt);
          rest = rest.slice(a[0].length);
        }
        if (rest.trim() !== '') fail(`bad attributes ${JSON.stringify(rest)}`, lt);
        if (stack.length === 0) roots++;
        if (!selfClosing) stack.push(m![1]!);
      }
      i = gt + 1;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack.at(-1)}>`, s.length);
  if (roots !== 1) fail(`expected one root element, found ${roots}`, 0);
}

function decodeXmlText(t: string): string {
  return t
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Text of a WordprocessingML part, one line per paragraph. */
function wordText(xml: string): string {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) =>
      [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decodeXmlText(t[1]!)).join(''),
    )
    .join('\n');
}

interface Docx {
  files: Map<string, Buffer>;
  documentXml: string;
  text: string;
  headerText: string;
}

async function docx(m: AgreementDocumentModel): Promise<Docx> {
  const buf = await renderAgreementDocx(m);
  expect(Buffer.isBuffer(buf)).toBe(true);
  expect(buf.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  const files = unzip(buf);
  for (const [name, data] of files) {
    if (name.endsWith('.xml') || name.endsWith('.rels')) assertWellFormedXml(data.toString('utf8'), name);
  }
  const documentXml = files.get('word/document.xml')?.toString('utf8');
  if (!documentXml) throw new Error('no word/document.xml');
  const headerText = [...files]
    .filter(([name]) => /^word\/header\d*\.xml$/.test(name))
    .map(([, data]) => wordText(data.toString('utf8')))
    .join('\n');
  return { files, documentXml, text: wordText(documentXml), headerText };
}

/** The template's lines that carry the memorandum's text (articles and closing), exactly as written. */
const referenceText = loadDefaultTemplateText();
const articleLines = (() => {
  const lines = referenceText.split('\n');
  const first = lines.findIndex((l) => l.startsWith('第1条'));
  const closing = lines.findIndex((l) => l.startsWith('本覚書締結の証として'));
  return lines.slice(first, closing + 1).filter((l) => l.trim() !== '');
})();

const HEADINGS = [
  '第1条（目的）',
  '第2条（定義）',
  '第3条（初動対応義務）',
  '第4条（協力義務）',
  '第5条（第三者への開示制限）',
  '第6条（公表対応）',
  '第7条（委託先等への対応）',
  '第8条（費用負担）',
  '第9条（損害賠償）',
  '第10条（再発防止）',
  '第11条（有効期間）',
  '第12条（協議事項）',
  '第13条（合意管轄）',
];

const KEY_SENTENCES = [
  '1　甲又は乙は、自ら又は委託先等において情報漏えい事故が発生し、又は発生のおそれを認識した場合には、速やかに相手方へ通知しなければならない。',
  '1　本覚書の有効期間は、本覚書締結日から1年間とする。',
  '3　本覚書終了後も、第5条、第8条及び第9条の規定は有効に存続する。',
  '本覚書に関して紛争が生じた場合には、甲の本店所在地を管轄する地方裁判所を第一審の専属的合意管轄裁判所とする。',
  '(7) 証拠保全及びログ解析',
];

// ---------------------------------------------------------------------------------------------
// test helpers

describe('test helpers', () => {
  it('assertWellFormedXml rejects broken XML', () => {
    assertWellFormedXml('<?xml version="1.0"?><a x="1"><b/>t &amp; &#12354;</a>', 'ok');
    for (const bad of [
      '<a><b></a>',
      '<a>&nbsp;</a>',
      '<a x=1/>',
      '<a/><b/>',
      '<a>',
      '<a x="1" x="2"/>',
      '<a>\u0001</a>',
    ]) {
      expect(() => assertWellFormedXml(bad, 'bad'), bad).toThrow();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// template

describe('template', () => {
  it('is the project copy of the memorandum, identical to the reference when that is at hand', () => {
    const reference = '/work/shared/reference/mou-ja.txt';
    if (existsSync(reference)) expect(referenceText).toBe(readFileSync(reference, 'utf8'));
    expect(referenceText.startsWith('情報漏えい事故対応協力覚書\n')).toBe(true);
  });

  it('parses into title, preamble, 13 articles, closing, date line and two signature blocks', () => {
    const t = loadDefaultTemplate();
    expect(t.title).toBe('情報漏えい事故対応協力覚書');
    expect(
      t.preamble.filter((s) => s.kind === 'party').map((s) => (s.kind === 'party' ? s.party : '')),
    ).toEqual(['甲', '乙']);
    expect(t.articles.map((a) => a.heading)).toEqual(HEADINGS);
    expect(t.articles.map((a) => a.paragraphs.length)).toEqual([1, 2, 3, 2, 2, 2, 1, 2, 1, 1, 3, 1, 1]);
    expect(t.articles[1]!.paragraphs.map((p) => p.items.length)).toEqual([5, 5]);
    expect(t.articles[3]!.paragraphs[1]!.items.map((i) => i.label)).toEqual([
      '(1)',
      '(2)',
      '(3)',
      '(4)',
      '(5)',
      '(6)',
      '(7)',
      '(8)',
    ]);
    expect(t.articles[2]!.paragraphs[0]).toMatchObject({ number: '1', separator: '　' });
    expect(t.articles[0]!.paragraphs[0]!.number).toBeNull();
    expect(t.closing).toBe('本覚書締結の証として、本書2通を作成し、甲乙記名押印のうえ、各1通を保有する。');
    expect(t.datePlaceholder).toBe('●年●月●日');
    expect(t.signatureBlocks.map((b) => [b.party, b.fields.map((f) => f.label), b.seal])).toEqual([
      ['甲', ['会社名', '所在地', '代表者名'], '印'],
      ['乙', ['会社名', '所在地', '代表者名'], '印'],
    ]);
  });

  it('is loaded once and shared read-only', () => {
    expect(loadDefaultTemplate()).toBe(loadDefaultTemplate());
    expect(Object.isFrozen(loadDefaultTemplate().articles[0])).toBe(true);
  });

  it('accepts CRLF line endings and a BOM', () => {
    const t = parseTemplate('\uFEFF' + referenceText.replace(/\n/g, '\r\n'));
    expect(t.articles).toHaveLength(13);
    expect(t.articles[12]!.paragraphs[0]!.text).toBe(loadDefaultTemplate().articles[12]!.paragraphs[0]!.text);
  });

  it('rejects templates that do not have the memorandum shape', () => {
    expect(() => parseTemplate(referenceText.replace('●●株式会社（以下「乙」', '乙社（以下「乙」'))).toThrow(
      TemplateParseError,
    );
    expect(() =>
      parseTemplate(referenceText.replace('第3条（初動対応義務）', '第4条（初動対応義務）')),
    ).toThrow(/out of order/);
    expect(() => parseTemplate(referenceText.replace('●年●月●日', '2026年4月1日'))).toThrow(/date line/);
    expect(() => parseTemplate(referenceText.replace(/\n印\n\n乙/, '\n\n乙'))).toThrow(/印/);
    expect(() => parseTemplate('')).toThrow(TemplateParseError);
  });
});

// ---------------------------------------------------------------------------------------------
// dates

describe('formatJapaneseDate', () => {
  it.each([
    ['2026-04-01', 'western', '2026年4月1日'],
    ['2026-04-01', 'japanese', '令和8年4月1日'],
    ['2019-05-01', 'japanese', '令和元年5月1日'],
    ['2019-04-30', 'japanese', '平成31年4月30日'],
    ['2019-12-31', 'japanese', '令和元年12月31日'],
    ['2020-01-01', 'japanese', '令和2年1月1日'],
    ['1989-01-08', 'japanese', '平成元年1月8日'],
    ['1989-01-07', 'japanese', '昭和64年1月7日'],
    ['2026-12-31', 'western', '2026年12月31日'],
  ] as const)('%s (%s) → %s', (iso, style, expected) => {
    expect(formatJapaneseDate(d(iso), style)).toBe(expected);
  });

  it('has a fallback era table that agrees with Intl', () => {
    for (
      let day = d('1985-01-01');
      Temporal.PlainDate.compare(day, d('2040-01-01')) < 0;
      day = day.add({ days: 13 })
    ) {
      const fromTable = eraFromTable(day);
      const text = formatJapaneseDate(day, 'japanese');
      expect(text.startsWith(`${fromTable.era}${fromTable.year === 1 ? '元' : fromTable.year}年`)).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// HTML

describe('renderAgreementHtml', () => {
  it('is a standalone Japanese HTML5 page that prints on A4', () => {
    const html = renderAgreementHtml(model());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="ja">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@page { size: A4; margin: 20mm; }');
    expect(html).toMatch(
      /font-family: "Yu Mincho".*"Hiragino Mincho ProN".*"IPAMincho".*"Noto Serif CJK JP".*serif;/s,
    );
    expect(html).toMatch(/\.signature \{[^}]*page-break-inside: avoid/);
    expect(html).toMatch(/\.annex \{[^}]*page-break-before: always/);
    expect(html).toContain('<title>情報漏えい事故対応協力覚書</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('contains the title, all 13 article headings and the full text of every article', () => {
    const html = renderAgreementHtml(model());
    const text = htmlText(html);
    expect(text).toContain('情報漏えい事故対応協力覚書');
    for (const h of HEADINGS) expect(html).toContain(`<h2>${h}</h2>`);
    for (const line of articleLines) expect(text).toContain(line);
    for (const s of KEY_SENTENCES) expect(text).toContain(s);
  });

  it('fills in the parties in the preamble and the signature blocks, keeping 印', () => {
    const text = htmlText(renderAgreementHtml(model()));
    expect(text).toContain(
      '甲山商事株式会社（以下「甲」という。）と乙野システム株式会社（以下「乙」という。）は、個人情報、',
    );
    expect(text).not.toContain('●●');
    expect(text).toContain(
      '甲\n会社名：甲山商事株式会社\n所在地：東京都千代田区丸の内一丁目1番1号\n代表者名：代表取締役 甲山太郎\n印',
    );
    expect(text).toContain(
      '乙\n会社名：乙野システム株式会社\n所在地：大阪府大阪市北区梅田二丁目2番2号\n代表者名：代表取締役 乙野花子\n印',
    );
    expect(text).not.toContain('____');
  });

  it('writes the signing date in 西暦 or 和暦', () => {
    expect(htmlText(renderAgreementHtml(model()))).toContain('\n2026年4月1日\n');
    expect(htmlText(renderAgreementHtml(model({ dateStyle: 'japanese' })))).toContain('\n令和8年4月1日\n');
    expect(
      htmlText(renderAgreementHtml(model({ dateStyle: 'japanese', signedOn: d('2019-05-01') }))),
    ).toContain('\n令和元年5月1日\n');
  });

  it('keeps the date blank and marks 案 for a draft', () => {
    const html = renderAgreementHtml(model({ signedOn: null }));
    const text = htmlText(html);
    expect(text).toContain('\n●年●月●日\n');
    expect(html).toContain('<p class="draft-mark" title="草案">案</p>');
    expect(html).toContain('<title>情報漏えい事故対応協力覚書（案）</title>');
    const signed = renderAgreementHtml(model());
    expect(signed).not.toContain('draft-mark">');
    expect(htmlText(signed)).not.toContain('●年●月●日');
  });

  it('keeps the template blank for an unknown signature field', () => {
    const text = htmlText(
      renderAgreementHtml(
        model({ signedOn: null, partyB: { name: '乙野システム株式会社', address: '', representative: ' ' } }),
      ),
    );
    expect(text).toContain(
      '乙\n会社名：乙野システム株式会社\n所在地：________________________\n代表者名：______________________\n印',
    );
  });

  it('escapes user text', () => {
    const html = renderAgreementHtml(
      model({
        partyA: {
          name: '<script>alert("x")</script>株式会社',
          address: '東京都港区1-1 A&B ビル <5F>',
          representative: "代表取締役 O'Brien",
        },
        court: '<b>東京地方裁判所</b>',
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;株式会社');
    expect(html).toContain('A&amp;B ビル &lt;5F&gt;');
    expect(html).toContain('O&#39;Brien');
    expect(htmlText(html)).toContain('<script>alert("x")</script>株式会社（以下「甲」という。）');
  });

  it('drops control characters and line breaks from user text', () => {
    const text = htmlText(
      renderAgreementHtml(
        model({ partyA: { ...model().partyA, address: '東京都千代田区\n丸の内1-1\u0007' } }),
      ),
    );
    expect(text).toContain('所在地：東京都千代田区 丸の内1-1\n');
  });
});

// ---------------------------------------------------------------------------------------------
// annex 運用細則

describe('annex 運用細則', () => {
  const TARGET_ROWS_AT_DEFAULTS = [
    '第3条第1項\t相手方への通知の期限\t「速やかに相手方へ通知しなければならない」\t情報漏えい事故の発生又は発生のおそれを認識した時から24時間以内に通知する\t',
    '第3条第2項第6号\t相手方が求める事項への回答期限の下限\t「その他相手方が合理的に求める事項」\t求めの時から24時間以上先の回答期限を定めて求める\t',
    '第3条第3項\t被害拡大防止のための措置の期限\t「必要な措置を速やかに実施するものとする」\t情報漏えい事故が生じた当事者は発生又は発生のおそれを認識した時から、相手方は第3条第1項の通知を受けた時から、それぞれ24時間以内に実施する\t',
    '第4条第2項\t協力の求めに対する回答の期限\t「合理的な範囲で協力を行う」\t協力を求められた当事者は、求めに回答期限の定めがない場合、求めの時から72時間以内に、協力の可否（協力しない場合はその理由）又は協力の結果を回答する\t',
  ];
  const tableRows = (text: string) =>
    text.split('\n').filter((l) => l.split('\t').length === 5 && !l.startsWith('条項\t'));

  it('always states the operational targets the software enforces, at their defaults too', async () => {
    const html = renderAgreementHtml(model());
    const text = htmlText(html);
    expect(html).toContain('<section class="annex">');
    expect(text).toContain('\n別紙　運用細則\n甲及び乙は、本覚書の運用に関し、次のとおり合意する。\n');
    expect(text).toContain('条項\t事項\t本覚書の定め\t合意内容\t');
    expect(tableRows(text)).toEqual(TARGET_ROWS_AT_DEFAULTS);
    const x = await docx(model());
    for (const row of TARGET_ROWS_AT_DEFAULTS)
      expect(x.text).toContain(row.slice(0, -1).replace(/\t/g, '\n'));
    expect(x.documentXml.match(/<w:tr>/g)).toHaveLength(5); // header + 4 rows
    expect(x.documentXml).toContain('<w:pageBreakBefore/>');
  });

  it('quotes the memorandum exactly in 本覚書の定め and adds no words of its own there', () => {
    const t = loadDefaultTemplate();
    const provisionText = (provision: string): string => {
      const m = /^第(\d+)条第(\d+)項(?:第(\d+)号)?$/.exec(provision)!;
      const para = t.articles[Number(m[1]) - 1]!.paragraphs[Number(m[2]) - 1]!;
      return m[3] ? para.items[Number(m[3]) - 1]!.text : para.text;
    };
    const annex = buildAnnex(params({}), null);
    expect(annex.rows.map((r) => r.parameter)).toEqual([
      'noticeTargetHours',
      'itemRequestMinHours',
      'containmentTargetHours',
      'cooperationResponseHours',
    ]);
    for (const row of annex.rows) {
      const quote = /^「([^」]+)」$/.exec(row.memorandumValue);
      expect(quote, row.memorandumValue).not.toBeNull();
      expect(provisionText(row.provision)).toContain(quote![1]);
    }
    expect(annex.rows.some((r) => r.memorandumValue.includes('目安'))).toBe(false);
  });

  it('states the agreed hours when the parties changed them', () => {
    const text = htmlText(
      renderAgreementHtml(
        model({
          parameters: params({
            noticeTargetHours: 12,
            itemRequestMinHours: 48,
            containmentTargetHours: 6,
            cooperationResponseHours: 120,
          }),
        }),
      ),
    );
    expect(tableRows(text)).toEqual([
      TARGET_ROWS_AT_DEFAULTS[0]!.replace('24時間以内', '12時間以内'),
      TARGET_ROWS_AT_DEFAULTS[1]!.replace('24時間以上', '48時間以上'),
      TARGET_ROWS_AT_DEFAULTS[2]!.replace('24時間以内', '6時間以内'),
      TARGET_ROWS_AT_DEFAULTS[3]!.replace('72時間以内', '120時間以内'),
    ]);
  });

  it('is bound into the memorandum: 第14条 in the body before the 記名押印, the annex signed on its own', async () => {
    const binding =
      '第14条（運用細則）\n別紙運用細則は本覚書と一体をなし、本覚書の規定と異なる定めがある場合は別紙が優先する。\n';
    const text = htmlText(renderAgreementHtml(model({ court: '東京地方裁判所' })));
    expect(text).toContain(binding);
    const closing = text.indexOf('本覚書締結の証として');
    expect(text.indexOf(binding)).toBeGreaterThan(text.indexOf('第13条（合意管轄）'));
    expect(text.indexOf(binding)).toBeLessThan(closing);
    // the annex follows the memorandum's signature page and carries its own signing lines
    const annexAt = text.indexOf('別紙　運用細則');
    expect(annexAt).toBeGreaterThan(text.indexOf('代表者名：代表取締役 乙野花子'));
    const annexText = text.slice(annexAt);
    expect(annexText).toContain(
      '合意管轄裁判所（第13条）：東京地方裁判所\n上記の運用細則に合意した証として、甲乙記名押印する。\n2026年4月1日\n甲\n会社名：甲山商事株式会社\n',
    );
    expect(annexText).toContain(
      '乙\n会社名：乙野システム株式会社\n所在地：大阪府大阪市北区梅田二丁目2番2号\n代表者名：代表取締役 乙野花子\n印',
    );

    const x = await docx(model({ court: '東京地方裁判所' }));
    expect(x.text).toContain(binding.trimEnd());
    expect(x.text.indexOf('第14条（運用細則）')).toBeLessThan(x.text.indexOf('本覚書締結の証として'));
    const docxAnnex = x.text.slice(x.text.indexOf('別紙　運用細則'));
    expect(x.text.indexOf('別紙　運用細則')).toBeGreaterThan(x.text.indexOf('本覚書締結の証として'));
    expect(docxAnnex).toContain('上記の運用細則に合意した証として、甲乙記名押印する。\n2026年4月1日');
    expect(docxAnnex.match(/\n印(\n|$)/g)).toHaveLength(2);
  });

  it('keeps the blanks of a draft in the annex’s signing lines too', () => {
    const text = htmlText(renderAgreementHtml(model({ signedOn: null })));
    const annexText = text.slice(text.indexOf('別紙　運用細則'));
    expect(annexText).toContain('上記の運用細則に合意した証として、甲乙記名押印する。\n●年●月●日\n');
  });

  it('Art 11 in the body follows the term parameters instead of contradicting them', () => {
    const body = (p: Partial<AgreementParameters>) => {
      const text = htmlText(renderAgreementHtml(model({ parameters: params(p) })));
      return text.slice(text.indexOf('第11条（有効期間）'), text.indexOf('第12条（協議事項）'));
    };
    expect(body({})).toBe(
      [
        '第11条（有効期間）',
        '1　本覚書の有効期間は、本覚書締結日から1年間とする。',
        '2　期間満了の1か月前までに甲乙いずれからも書面による終了の意思表示がない場合、本覚書は同一条件でさらに1年間更新されるものとし、以後も同様とする。',
        '3　本覚書終了後も、第5条、第8条及び第9条の規定は有効に存続する。',
        '',
      ].join('\n'),
    );
    const noRenewal = body({ termMonths: 24, renewalMonths: 0 });
    expect(noRenewal).toContain('1　本覚書の有効期間は、本覚書締結日から2年間とする。\n');
    expect(noRenewal).toContain('2　本覚書は、前項の期間の満了をもって終了し、更新されないものとする。\n');
    expect(noRenewal).not.toContain('1年間');
    expect(noRenewal).not.toContain('更新されるものとし');
    expect(body({ termMonths: 18, renewalMonths: 6, terminationNoticeMonths: 3 })).toContain(
      '2　期間満了の3か月前までに甲乙いずれからも書面による終了の意思表示がない場合、本覚書は同一条件でさらに6か月間更新されるものとし、以後も同様とする。',
    );
    expect(body({ termMonths: 18 })).toContain('締結日から18か月間とする。');
    expect(body({ terminationNoticeMonths: 0 })).toContain('2　期間満了日までに甲乙いずれからも書面による');
    expect(body({ countSigningDay: true })).toContain(
      '1　本覚書の有効期間は、本覚書締結日を初日として1年間とする。',
    );
    expect(body({ survivingArticles: [5, 8, 9, 10] })).toContain(
      '3　本覚書終了後も、第5条、第8条、第9条及び第10条の規定は有効に存続する。',
    );
    expect(body({ survivingArticles: [] })).toContain(
      '3　本覚書終了後は、本覚書のいずれの規定も効力を失う。',
    );
  });

  it('does not repeat in the annex what the body’s Art 11 now states', async () => {
    const m = model({ parameters: params({ termMonths: 24, renewalMonths: 0, countSigningDay: true }) });
    const text = htmlText(renderAgreementHtml(m));
    expect(tableRows(text)).toEqual(TARGET_ROWS_AT_DEFAULTS);
    const x = await docx(m);
    expect(x.text).toContain('1　本覚書の有効期間は、本覚書締結日を初日として2年間とする。');
    expect(x.text).toContain('2　本覚書は、前項の期間の満了をもって終了し、更新されないものとする。');
  });

  it('a template with its own Art 11 keeps it, and the annex lists the changed Art 11 parameters', () => {
    const template = parseTemplate(
      referenceText.replace('本覚書締結日から1年間とする。', '本覚書締結日から12か月とする。'),
    );
    const text = htmlText(
      renderAgreementHtml(model({ parameters: params({ termMonths: 24, countSigningDay: true }) }), {
        template,
      }),
    );
    expect(text).toContain('1　本覚書の有効期間は、本覚書締結日から12か月とする。');
    expect(tableRows(text)).toEqual([
      ...TARGET_ROWS_AT_DEFAULTS,
      '第11条第1項\t有効期間（○か月）\t12か月（1年間）\t24か月（2年間）\t',
      '民法第138条及び第140条\t初日算入（する/しない）\tしない（初日不算入）\tする（締結日を初日として算入）\t',
    ]);
  });

  it('states the Art 13 court after the table when known, and ignores a blank one', () => {
    const text = htmlText(renderAgreementHtml(model({ court: '大阪地方裁判所' })));
    expect(text.indexOf('合意管轄裁判所（第13条）：大阪地方裁判所')).toBeGreaterThan(
      text.indexOf('24時間以内に実施する'),
    );
    expect(htmlText(renderAgreementHtml(model({ court: '  ' })))).not.toContain('合意管轄裁判所（第13条）');
    expect(htmlText(renderAgreementHtml(model()))).not.toContain('合意管轄裁判所（第13条）');
  });
});

// ---------------------------------------------------------------------------------------------
// DOCX

describe('renderAgreementDocx', () => {
  it('is a valid zip of well-formed WordprocessingML parts', async () => {
    const x = await docx(model());
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml']) {
      expect(x.files.has(part), part).toBe(true);
    }
    expect(x.files.get('[Content_Types].xml')!.toString('utf8')).toContain(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    );
  });

  it('is A4 with a Japanese Mincho font, 20 mm margins', async () => {
    const x = await docx(model());
    expect(x.documentXml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(x.documentXml).toMatch(/<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"/);
    const styles = x.files.get('word/styles.xml')!.toString('utf8');
    expect(styles).toMatch(/<w:rFonts [^>]*w:eastAsia="游明朝"/);
    expect(styles).toMatch(/<w:lang [^>]*w:eastAsia="ja-JP"/);
  });

  it('contains the centred title, all 13 bold article headings and the full text', async () => {
    const x = await docx(model());
    const lines = x.text.split('\n');
    expect(lines[0]).toBe('情報漏えい事故対応協力覚書');
    expect(x.documentXml).toMatch(
      /<w:jc w:val="center"\/><\/w:pPr><w:r><w:rPr><w:b\/>.*?情報漏えい事故対応協力覚書/,
    );
    for (const h of HEADINGS) {
      expect(lines).toContain(h);
      expect(x.documentXml).toContain(`<w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">${h}</w:t>`);
    }
    for (const line of articleLines) expect(lines).toContain(line);
    for (const s of KEY_SENTENCES) expect(x.text).toContain(s);
    // numbered paragraphs hang one character; items are indented further
    expect(x.documentXml).toMatch(
      /<w:ind w:left="210" w:hanging="210"\/>.*?1　本覚書において「対象情報」とは/,
    );
  });

  it('fills in the parties, the date, and keeps 印', async () => {
    const x = await docx(model({ dateStyle: 'japanese' }));
    expect(x.text).toContain(
      '甲山商事株式会社（以下「甲」という。）と乙野システム株式会社（以下「乙」という。）は、',
    );
    expect(x.text).toContain(
      '甲\n会社名：甲山商事株式会社\n所在地：東京都千代田区丸の内一丁目1番1号\n代表者名：代表取締役 甲山太郎\n印',
    );
    expect(x.text).toContain(
      '乙\n会社名：乙野システム株式会社\n所在地：大阪府大阪市北区梅田二丁目2番2号\n代表者名：代表取締役 乙野花子\n印',
    );
    expect(x.text).toContain('\n令和8年4月1日\n');
    expect(x.text).not.toContain('●');
    expect(x.headerText).not.toContain('案');
  });

  it('keeps ●年●月●日 and marks 案 on every page for a draft', async () => {
    const x = await docx(model({ signedOn: null }));
    expect(x.text).toContain('\n●年●月●日\n');
    expect(x.headerText).toBe('案');
    expect(x.files.get('docProps/core.xml')!.toString('utf8')).toContain('情報漏えい事故対応協力覚書（案）');
  });

  it('escapes user text and drops characters XML cannot carry', async () => {
    const x = await docx(
      model({
        partyA: {
          name: '<script>alert(1)</script>&株式会社',
          address: '東京都\u0001港区 "A" ビル',
          representative: '代表 <甲>',
        },
      }),
    );
    expect(x.documentXml).not.toContain('<script>');
    expect(x.text).toContain('<script>alert(1)</script>&株式会社（以下「甲」という。）');
    expect(x.text).toContain('所在地：東京都 港区 "A" ビル');
    expect(x.text).toContain('代表者名：代表 <甲>');
  });
});

// ---------------------------------------------------------------------------------------------
// file names

describe('agreementDocumentFilename', () => {
  it('gives an ASCII fallback and the Japanese name', () => {
    expect(agreementDocumentFilename(model(), 'docx')).toEqual({
      ascii: 'breachpact-agreement-agr_01HZX.docx',
      utf8: '情報漏えい事故対応協力覚書_甲山商事株式会社_乙野システム株式会社.docx',
    });
    expect(agreementDocumentFilename(model({ signedOn: null }), 'html')).toEqual({
      ascii: 'breachpact-agreement-agr_01HZX-draft.html',
      utf8: '情報漏えい事故対応協力覚書（案）_甲山商事株式会社_乙野システム株式会社.html',
    });
  });

  it('makes party names safe as file names', () => {
    const name = agreementDocumentFilename(
      model({
        agreementId: 'agr_1/../x',
        partyA: { ...model().partyA, name: 'A/B:C*D?"E"<F>|G 株式会社\n' },
        partyB: { ...model().partyB, name: '..' },
      }),
      'docx',
    );
    expect(name.ascii).toBe('breachpact-agreement-agr_1x.docx');
    expect(name.utf8).toBe('情報漏えい事故対応協力覚書_A_B_C_D__E__F__G_株式会社.docx');
  });

  it('builds a Content-Disposition value with filename*', () => {
    const header = contentDisposition(agreementDocumentFilename(model(), 'docx'));
    expect(header).toMatch(
      /^attachment; filename="breachpact-agreement-agr_01HZX\.docx"; filename\*=UTF-8''[\x21-\x7E]+$/,
    );
    const encoded = header.split("UTF-8''")[1]!;
    expect(decodeURIComponent(encoded)).toBe(
      '情報漏えい事故対応協力覚書_甲山商事株式会社_乙野システム株式会社.docx',
    );
    expect(contentDisposition({ ascii: 'a.html', utf8: "覚書（案）'x'.html" }, 'inline')).toBe(
      `inline; filename="a.html"; filename*=UTF-8''${encodeURIComponent('覚書（案）').replace(/'/g, '%27')}%27x%27.html`,
    );
  });
});
