/**
 * Headers of an evidence download. Pure; unit-tested beside this file.
 */

/** RFC 9530 `Repr-Digest` for a SHA-256 given in hex: `sha-256=:<base64>:` (a structured-field byte sequence). */
export function reprDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

/** RFC 8187 (was 5987) ext-value: UTF-8, every byte outside attr-char percent-encoded. */
function extValue(s: string): string {
  return (
    "UTF-8''" +
    encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  );
}

/**
 * RFC 6266 `Content-Disposition: attachment` with both forms of the name: `filename` an ASCII
 * fallback (non-ASCII, quotes, backslashes and `%` replaced by `_`) for old clients, `filename*` the
 * exact UTF-8 name (日本語のファイル名), which clients that know it prefer.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=${extValue(filename)}`;
}
