/**
 * A minimal iCalendar (RFC 5545) writer: content lines with TEXT escaping (§3.3.11), folding at 75
 * octets (§3.1, never inside a UTF-8 sequence) and CRLF line ends. Pure: no I/O, no clock.
 */

export const CRLF = '\r\n';

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks; other control characters are dropped. */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      // RFC 5545 §3.3.11: TEXT excludes CONTROL characters other than HTAB.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '')
  );
}

const encoder = new TextEncoder();

/**
 * Folds one content line so no physical line exceeds 75 octets (the leading space of a continuation
 * counts): splits between code points only, so a multi-byte character is never cut.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the continuation's leading space is the 75th octet
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** A UTC DATE-TIME value (`20261128T010000Z`) of epoch milliseconds (seconds precision). */
export function utcDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export interface IcsProperty {
  name: string;
  /** Parameters, already valid `param-value`s (no quoting needed for the fixed ones used here). */
  params?: Record<string, string>;
  value: string;
  /** `text` (default) is escaped; `raw` values (dates, URIs, durations, enums) are written as they are. */
  kind?: 'text' | 'raw';
}

export function contentLine(p: IcsProperty): string {
  const params = Object.entries(p.params ?? {})
    .map(([k, v]) => `;${k}=${v}`)
    .join('');
  const value = p.kind === 'raw' ? p.value : escapeText(p.value);
  return foldLine(`${p.name}${params}:${value}`);
}

export interface IcsComponent {
  name: string;
  properties: IcsProperty[];
  components?: IcsComponent[];
}

function componentLines(c: IcsComponent, out: string[]): void {
  out.push(`BEGIN:${c.name}`);
  for (const p of c.properties) out.push(contentLine(p));
  for (const sub of c.components ?? []) componentLines(sub, out);
  out.push(`END:${c.name}`);
}

/** The iCalendar stream of one component (normally VCALENDAR), every line ended by CRLF. */
export function renderIcs(root: IcsComponent): string {
  const out: string[] = [];
  componentLines(root, out);
  return out.join(CRLF) + CRLF;
}
