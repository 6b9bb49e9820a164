/** The memorandum as a standalone, printable HTML5 page (A4). */
import { ANNEX_COLUMNS, type Annex } from './annex.js';
import {
  fillAgreementDocument,
  type AgreementDocumentModel,
  type FilledDocument,
  type FilledSignatureBlock,
  type RenderOptions,
  type TextPiece,
} from './filled-document.js';
import type { TemplateArticle, TemplateParagraph } from './template.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const STYLE = `
@page { size: A4; margin: 20mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  color: #000;
  background: #fff;
  font-family: "Yu Mincho", "YuMincho", "游明朝", "Hiragino Mincho ProN", "Hiragino Mincho Pro", "IPAMincho",
    "IPAexMincho", "Noto Serif CJK JP", "Noto Serif JP", "MS Mincho", serif;
  font-size: 10.5pt;
  line-height: 1.8;
  font-kerning: none;
  line-break: strict;
}
.agreement { max-width: 170mm; margin: 0 auto; padding: 12mm 0; position: relative; }
@media print { .agreement { max-width: none; padding: 0; } }
.draft-mark {
  position: absolute; top: 0; right: 0; margin: 0;
  border: 2px solid #c00; color: #c00; font-weight: bold; font-size: 16pt;
  padding: 0 0.4em; line-height: 1.4;
}
@media print { .draft-mark { position: fixed; } }
h1 { text-align: center; font-size: 14pt; font-weight: bold; letter-spacing: 0.1em; margin: 0 0 2em; }
.preamble { margin: 0 0 1.5em; text-indent: 1em; }
.article { margin: 0 0 1em; }
.article h2 { font-size: 1em; font-weight: bold; margin: 0; break-after: avoid; page-break-after: avoid; }
.article p { margin: 0; }
.article .numbered { padding-left: 1em; text-indent: -1em; }
.article .item { padding-left: 3em; text-indent: -2em; }
.closing { margin: 2em 0 1em; text-indent: 1em; }
.date { margin: 0 0 2em; }
.signature { margin: 0 0 2em; break-inside: avoid; page-break-inside: avoid; }
.signature p { margin: 0; }
.signature .party { font-weight: bold; }
.signature .field { padding-left: 1em; }
.signature .seal { text-align: right; padding-right: 2em; }
.annex { break-before: page; page-break-before: always; padding-top: 0; }
@media screen { .annex { margin-top: 3em; border-top: 1px dashed #999; padding-top: 2em; } }
.annex h2 { text-align: center; font-size: 12pt; font-weight: bold; margin: 0 0 1.5em; }
.annex table { width: 100%; border-collapse: collapse; margin: 0 0 1.5em; }
.annex th, .annex td { border: 1px solid #000; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
.annex th { background: #eee; font-weight: bold; }
.annex tr { break-inside: avoid; page-break-inside: avoid; }
.annex .court { margin: 0; }
`;

function pieces(ps: TextPiece[]): string {
  return ps
    .map((p) => (p.filled ? `<span class="filled">${escapeHtml(p.text)}</span>` : escapeHtml(p.text)))
    .join('');
}

function paragraph(p: TemplateParagraph): string {
  const main =
    p.number === null
      ? `<p>${escapeHtml(p.text)}</p>`
      : `<p class="numbered"><span class="num">${escapeHtml(p.number)}</span>${escapeHtml(p.separator)}${escapeHtml(p.text)}</p>`;
  const items = p.items.map((i) => `<p class="item">${escapeHtml(i.label)} ${escapeHtml(i.text)}</p>`);
  return [main, ...items].join('\n');
}

function article(a: TemplateArticle): string {
  return [
    `<section class="article" id="article-${a.number}">`,
    `<h2>${escapeHtml(a.heading)}</h2>`,
    ...a.paragraphs.map(paragraph),
    `</section>`,
  ].join('\n');
}

function signature(b: FilledSignatureBlock): string {
  return [
    `<div class="signature" data-party="${escapeHtml(b.party)}">`,
    `<p class="party">${escapeHtml(b.party)}</p>`,
    ...b.lines.map(
      (l) =>
        `<p class="field ${l.key}">${escapeHtml(l.label)}${escapeHtml(l.colon)}${
          l.filled ? `<span class="filled">${escapeHtml(l.value)}</span>` : escapeHtml(l.value)
        }</p>`,
    ),
    `<p class="seal">${escapeHtml(b.seal)}</p>`,
    `</div>`,
  ].join('\n');
}

/** The annex after the signature page, with its own signing sentence, date and 記名押印 lines. */
function annex(doc: FilledDocument): string {
  const a: Annex = doc.annex;
  const out = [`<section class="annex">`, `<h2>${escapeHtml(a.title)}</h2>`];
  out.push(`<p>${escapeHtml(a.intro)}</p>`);
  if (a.rows.length > 0) {
    out.push(
      `<table>`,
      `<thead><tr>${ANNEX_COLUMNS.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
      `<tbody>`,
      ...a.rows.map(
        (r) =>
          `<tr data-parameter="${escapeHtml(r.parameter)}"><td>${escapeHtml(r.provision)}</td><td>${escapeHtml(
            r.subject,
          )}</td><td>${escapeHtml(r.memorandumValue)}</td><td>${escapeHtml(r.agreedValue)}</td></tr>`,
      ),
      `</tbody>`,
      `</table>`,
    );
  }
  if (a.courtLine) out.push(`<p class="court">${escapeHtml(a.courtLine)}</p>`);
  out.push(
    `<p class="closing annex-signing">${escapeHtml(doc.annexSigning)}</p>`,
    `<p class="date">${pieces([doc.date])}</p>`,
    ...doc.signatureBlocks.map(signature),
    `</section>`,
  );
  return out.join('\n');
}

export function renderFilledHtml(doc: FilledDocument): string {
  const title = doc.draftMark ? `${doc.title}（${doc.draftMark}）` : doc.title;
  return [
    '<!DOCTYPE html>',
    '<html lang="ja">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="breachpact-agreement-id" content="${escapeHtml(doc.agreementId)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<main class="agreement${doc.draftMark ? ' draft' : ''}">`,
    doc.draftMark ? `<p class="draft-mark" title="草案">${escapeHtml(doc.draftMark)}</p>` : '',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="preamble">${pieces(doc.preamble)}</p>`,
    ...doc.articles.map(article),
    `<p class="closing">${escapeHtml(doc.closing)}</p>`,
    `<p class="date">${pieces([doc.date])}</p>`,
    ...doc.signatureBlocks.map(signature),
    annex(doc),
    '</main>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line, i, all) => line !== '' || i === all.length - 1)
    .join('\n');
}

export function renderAgreementHtml(model: AgreementDocumentModel, options: RenderOptions = {}): string {
  return renderFilledHtml(fillAgreementDocument(model, options));
}
