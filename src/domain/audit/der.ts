/**
 * A tiny DER (ASN.1 Distinguished Encoding Rules) encoder and decoder: just what RFC 3161
 * time-stamp requests and replies need (issue 7, finding 4c). Definite lengths only (short and
 * long form, up to 4 length octets); single-octet tags (tag numbers below 31).
 */

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  GENERALIZED_TIME: 0x18,
} as const;

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

// --- encoding ---

function lengthOctets(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: `tag` is the whole identifier octet (class, constructed bit and number). */
export function tlv(tag: number, content: Uint8Array): Buffer {
  if (tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) throw new DerError('only single-octet tags');
  return Buffer.concat([Buffer.from([tag]), lengthOctets(content.length), content]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(TAG.SET, Buffer.concat(items));
export const octetString = (b: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, b);
export const nullValue = (): Buffer => tlv(TAG.NULL, Buffer.alloc(0));
export const boolean = (v: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0x00]));
export const utf8String = (s: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(s, 'utf8'));

/** A context-specific tag `[n]`: constructed (EXPLICIT, or IMPLICIT of a constructed type) by default. */
export const contextTag = (n: number, content: Uint8Array, constructed = true): Buffer =>
  tlv(0x80 | (constructed ? 0x20 : 0) | n, content);

/** Two's-complement, minimal octets. */
export function integer(v: bigint | number): Buffer {
  const n = BigInt(v);
  let k = 1;
  while (n < -(1n << BigInt(8 * k - 1)) || n >= 1n << BigInt(8 * k - 1)) k++;
  let u = n < 0n ? n + (1n << BigInt(8 * k)) : n;
  const bytes = Buffer.alloc(k);
  for (let i = k - 1; i >= 0; i--) {
    bytes[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return tlv(TAG.INTEGER, bytes);
}

/** An OBJECT IDENTIFIER from its dotted form (`2.16.840.1.101.3.4.2.1`). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new DerError(`bad OID ${dotted}`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2n || (arcs[0]! < 2n && arcs[1]! > 39n))
    throw new DerError(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...group);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** GeneralizedTime in DER form: `YYYYMMDDHHMMSS[.fff]Z` (fraction without trailing zeros). */
export function generalizedTime(d: Date): Buffer {
  const iso = d.toISOString(); // 2026-11-28T01:00:00.120Z
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  const s = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${frac ? `.${frac}` : ''}Z`;
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(s, 'ascii'));
}

// --- decoding ---

export interface DerNode {
  /** The identifier octet. */
  tag: number;
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  /** The tag number (low 5 bits). */
  number: number;
  content: Buffer;
  /** The whole TLV's bytes. */
  raw: Buffer;
}

/** Decodes the TLV at `offset` of `buf`; `end` is where the next one starts. */
export function decodeAt(buf: Buffer, offset = 0): { node: DerNode; end: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated DER (header)');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-octet tags are not supported');
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4) throw new DerError('length too long');
    if (pos + n > buf.length) throw new DerError('truncated DER (length)');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  const end = pos + len;
  if (end > buf.length) throw new DerError('truncated DER (content)');
  return {
    node: {
      tag,
      cls: tag >> 6,
      constructed: (tag & 0x20) !== 0,
      number: tag & 0x1f,
      content: buf.subarray(pos, end),
      raw: buf.subarray(offset, end),
    },
    end,
  };
}

/** Decodes exactly one TLV filling `buf` (trailing bytes are an error). */
export function decode(buf: Buffer): DerNode {
  const { node, end } = decodeAt(buf, 0);
  if (end !== buf.length) throw new DerError('trailing bytes after DER value');
  return node;
}

/** The TLVs inside a constructed node. */
export function children(node: DerNode): DerNode[] {
  if (!node.constructed) throw new DerError(`tag 0x${node.tag.toString(16)} is not constructed`);
  const out: DerNode[] = [];
  for (let pos = 0; pos < node.content.length;) {
    const { node: child, end } = decodeAt(node.content, pos);
    out.push(child);
    pos = end;
  }
  return out;
}

export function expectTag(node: DerNode | undefined, tag: number, what: string): DerNode {
  if (!node) throw new DerError(`${what}: missing`);
  if (node.tag !== tag)
    throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`);
  return node;
}

export function readInteger(node: DerNode): bigint {
  expectTag(node, TAG.INTEGER, 'INTEGER');
  if (node.content.length === 0) throw new DerError('empty INTEGER');
  let v = 0n;
  for (const b of node.content) v = (v << 8n) | BigInt(b);
  if (node.content[0]! & 0x80) v -= 1n << BigInt(node.content.length * 8);
  return v;
}

export function readOid(node: DerNode): string {
  expectTag(node, TAG.OID, 'OID');
  const arcs: bigint[] = [];
  let v = 0n;
  for (const [i, b] of node.content.entries()) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    } else if (i === node.content.length - 1) throw new DerError('truncated OID');
  }
  if (arcs.length === 0) throw new DerError('empty OID');
  const first = arcs[0]!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

export function readBoolean(node: DerNode): boolean {
  expectTag(node, TAG.BOOLEAN, 'BOOLEAN');
  if (node.content.length !== 1) throw new DerError('bad BOOLEAN');
  return node.content[0] !== 0;
}

/** GeneralizedTime (`YYYYMMDDHHMMSS[.f+]Z`, UTC as RFC 3161 requires) as an ISO instant. */
export function readGeneralizedTime(node: DerNode): string {
  expectTag(node, TAG.GENERALIZED_TIME, 'GeneralizedTime');
  const s = node.content.toString('ascii');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(s);
  if (!m) throw new DerError(`bad GeneralizedTime ${JSON.stringify(s)}`);
  const ms = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${ms}Z`;
  if (Number.isNaN(Date.parse(iso))) throw new DerError(`bad GeneralizedTime ${JSON.stringify(s)}`);
  return new Date(iso).toISOString();
}
