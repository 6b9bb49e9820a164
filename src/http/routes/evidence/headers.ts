/**
 * Headers of an evidence download. Pure; unit-tested beside this file.
 */
import { contentDisposition as documentContentDisposition } from '../../../documents/filename.js';

/** RFC 9530 `Repr-Digest` for a SHA-256 given in hex: `sha-256=:<base64>:` (a structured-field byte sequence). */
export function reprDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

/**
 * RFC 6266 `Content-Disposition: attachment` with both forms of the uploaded name: the ASCII
 * fallback (non-ASCII, quotes, backslashes and `%` replaced by `_`) and the exact UTF-8 name in
 * `filename*` (日本語のファイル名) — the documents' header builder, given the one name twice.
 */
export function contentDisposition(filename: string): string {
  return documentContentDisposition({ ascii: filename, utf8: filename });
}
