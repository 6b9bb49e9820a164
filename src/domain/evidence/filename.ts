import type { LocalizedMessage } from '../shared/errors.js';

/** The longest file name kept, in UTF-8 bytes (the limit of common file systems, NAME_MAX). */
export const MAX_FILENAME_BYTES = 255;

const utf8 = new TextEncoder();

/**
 * Why an evidence file name cannot be kept as given, or null when it can. The name is only a label
 * (the bytes are stored under a random key) but it goes back out in Content-Disposition and into
 * disclosure packages, so it must be a plain file name: not empty, not `.` or `..`, no `/` or `\`,
 * no NUL or other control characters (C0, DEL, C1), no unpaired surrogates, at most 255 UTF-8 bytes.
 */
export function filenameProblem(name: string): LocalizedMessage | null {
  if (name.length === 0) {
    return { ja: 'ファイル名を指定してください。', en: 'Give the file name.' };
  }
  if (name === '.' || name === '..') {
    return { ja: 'ファイル名に「.」や「..」は使えません。', en: 'The file name cannot be "." or "..".' };
  }
  if (/[/\\]/.test(name)) {
    return {
      ja: 'ファイル名にパスの区切り文字（/ や \\）は使えません。',
      en: 'The file name cannot contain path separators (/ or \\).',
    };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    return {
      ja: 'ファイル名に制御文字（NUL・改行など）は使えません。',
      en: 'The file name cannot contain control characters (NUL, line breaks, …).',
    };
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) {
    return { ja: 'ファイル名の文字が正しくありません。', en: 'The file name is not well-formed text.' };
  }
  const bytes = utf8.encode(name).length;
  if (bytes > MAX_FILENAME_BYTES) {
    return {
      ja: `ファイル名が長すぎます（UTF-8 で ${bytes} バイト。${MAX_FILENAME_BYTES} バイトまで）。`,
      en: `The file name is too long (${bytes} bytes in UTF-8; at most ${MAX_FILENAME_BYTES}).`,
    };
  }
  return null;
}
