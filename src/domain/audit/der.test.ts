import { describe, expect, it } from 'vitest';
import {
  boolean,
  children,
  contextTag,
  decode,
  DerError,
  generalizedTime,
  integer,
  octetString,
  oid,
  readBoolean,
  readGeneralizedTime,
  readInteger,
  readOid,
  sequence,
  TAG,
} from './der.js';

const hex = (b: Buffer) => b.toString('hex');

describe('DER encoder and decoder (issue 7, finding 4c)', () => {
  it('encodes INTEGERs minimally in two’s complement and reads them back', () => {
    expect(hex(integer(0))).toBe('020100');
    expect(hex(integer(127))).toBe('02017f');
    expect(hex(integer(128))).toBe('02020080');
    expect(hex(integer(256))).toBe('02020100');
    expect(hex(integer(-1))).toBe('0201ff');
    expect(hex(integer(-128))).toBe('020180');
    expect(hex(integer(-129))).toBe('0202ff7f');
    for (const v of [
      0n,
      1n,
      127n,
      128n,
      255n,
      65535n,
      -1n,
      -128n,
      -129n,
      2n ** 63n - 1n,
      2n ** 64n,
      -(2n ** 70n),
    ]) {
      expect(readInteger(decode(integer(v)))).toBe(v);
    }
  });

  it('encodes the SHA-256 OID as RFC 5754 gives it and reads OIDs back', () => {
    expect(hex(oid('2.16.840.1.101.3.4.2.1'))).toBe('0609608648016503040201');
    expect(hex(oid('1.2.840.113549.1.7.2'))).toBe('06092a864886f70d010702');
    for (const o of ['1.2.840.113549.1.9.16.1.4', '2.999.3', '0.9.2342.19200300.100.1.1']) {
      expect(readOid(decode(oid(o)))).toBe(o);
    }
    expect(() => oid('1.40.1')).toThrow(DerError);
  });

  it('uses short and long length forms (1, 2 and 3 length octets)', () => {
    expect(hex(octetString(Buffer.alloc(127))).slice(0, 4)).toBe('047f');
    expect(hex(octetString(Buffer.alloc(128))).slice(0, 6)).toBe('048180');
    expect(hex(octetString(Buffer.alloc(300))).slice(0, 8)).toBe('0482012c');
    expect(hex(octetString(Buffer.alloc(70_000))).slice(0, 10)).toBe('0483011170');
    const big = Buffer.alloc(70_000, 7);
    expect(decode(octetString(big)).content.equals(big)).toBe(true);
  });

  it('nests SEQUENCEs and context tags; BOOLEAN and GeneralizedTime round-trip', () => {
    const der = sequence(
      integer(1),
      contextTag(0, sequence(boolean(true))),
      generalizedTime(new Date('2026-11-28T01:02:03.450Z')),
    );
    const [a, b, c] = children(decode(der));
    expect(readInteger(a!)).toBe(1n);
    expect(b!.tag).toBe(0xa0);
    expect(readBoolean(children(children(b!)[0]!)[0]!)).toBe(true);
    expect(c!.content.toString('ascii')).toBe('20261128010203.45Z');
    expect(readGeneralizedTime(c!)).toBe('2026-11-28T01:02:03.450Z');
    expect(generalizedTime(new Date('2026-11-28T01:02:03.000Z')).subarray(2).toString()).toBe(
      '20261128010203Z',
    );
    expect(hex(boolean(false))).toBe('010100');
    expect(decode(sequence()).tag).toBe(TAG.SEQUENCE);
  });

  it('refuses truncated input, trailing bytes, indefinite lengths and bad times', () => {
    expect(() => decode(Buffer.from('3004020101', 'hex'))).toThrow(/truncated/);
    expect(() => decode(Buffer.from('02010100', 'hex'))).toThrow(/trailing/);
    expect(() => decode(Buffer.from('3080020101', 'hex'))).toThrow(/indefinite/);
    expect(() => decode(Buffer.from('30', 'hex'))).toThrow(/truncated/);
    expect(() => readGeneralizedTime(decode(Buffer.from('180e3230323631313238303130323033', 'hex')))).toThrow(
      /GeneralizedTime/,
    );
    expect(() => readInteger(decode(boolean(true)))).toThrow(/expected tag/);
  });
});
