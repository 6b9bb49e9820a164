/**
 * The memorandum 情報漏えい事故対応協力覚書 as a document for one agreement: printable HTML and
 * DOCX, drawn from one parsed template (template.ts) filled in by filled-document.ts.
 */
export type { AgreementDocumentModel, DocumentParty, RenderOptions } from './filled-document.js';
export { fillAgreementDocument, DRAFT_MARK } from './filled-document.js';
export { renderAgreementHtml } from './render-html.js';
export { renderAgreementDocx } from './render-docx.js';
export { formatJapaneseDate, type DateStyle } from './japanese-date.js';
export { agreementDocumentFilename, contentDisposition, type DocumentFilename } from './filename.js';
export { buildAnnex, PARAMETER_LABELS, type Annex, type AnnexRow } from './annex.js';
export { loadDefaultTemplate, parseTemplate, TemplateParseError, type ParsedTemplate } from './template.js';

/** Media types for the `format` query parameter of the document endpoint. */
export const DOCUMENT_CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
} as const;
