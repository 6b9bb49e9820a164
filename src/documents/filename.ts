import { DRAFT_MARK, cleanText, type AgreementDocumentModel } from './filled-document.js';

export interface DocumentFilename {
  /** ASCII-only fallback for `filename=`, e.g. `breachpact-agreement-agr_123.docx`. */
  ascii: string;
  /** The real name for `filename*`, e.g. `情報漏えい事故対応協力覚書_甲社_乙社.docx`. */
  utf8: string;
}

const DOCUMENT_NAME = '情報漏えい事故対応協力覚書';
const MAX_PARTY_CHARS = 40;

/** A name part safe on Windows, macOS and Linux file systems. */
function fileSafe(text: string): string {
  const cleaned = cleanText(text)
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/\s+/gu, '_')
    .replace(/^[.\s_]+|[.\s_]+$/g, '');
  return [...cleaned].slice(0, MAX_PARTY_CHARS).join('');
}

export function agreementDocumentFilename(
  model: AgreementDocumentModel,
  ext: 'docx' | 'html',
): DocumentFilename {
  const draft = model.signedOn === null;
  const id = model.agreementId.replace(/[^A-Za-z0-9_-]/g, '') || 'agreement';
  const parties = [model.partyA.name, model.partyB.name].map(fileSafe).filter((s) => s !== '');
  const title = draft ? `${DOCUMENT_NAME}（${DRAFT_MARK}）` : DOCUMENT_NAME;
  return {
    ascii: `breachpact-agreement-${id}${draft ? '-draft' : ''}.${ext}`,
    utf8: `${[title, ...parties].join('_')}.${ext}`,
  };
}

/** RFC 5987 / RFC 6266 value encoding for `filename*=UTF-8''…`. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A ready `Content-Disposition` header value carrying both names. */
export function contentDisposition(
  name: DocumentFilename,
  type: 'attachment' | 'inline' = 'attachment',
): string {
  // `%` too: some clients percent-decode the plain `filename`.
  const ascii = name.ascii.replace(/[^\x20-\x7E]|["\\%]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name.utf8)}`;
}
