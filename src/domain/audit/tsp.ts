import { createHash, randomBytes } from 'node:crypto';
import {
  boolean,
  children,
  decode,
  DerError,
  expectTag,
  integer,
  nullValue,
  octetString,
  oid,
  readBoolean,
  readGeneralizedTime,
  readInteger,
  readOid,
  sequence,
  TAG,
  type DerNode,
} from './der.js';
import { signedHeadMessage, type SignedHead } from './signing.js';

/**
 * RFC 3161 time-stamps of audit chain heads (issue 7, finding 4c): the request BreachPact sends
 * to a Time-Stamping Authority and the checks on its reply. The TSA's CMS signature is NOT
 * verified here: the whole token is kept so that it can be checked with `openssl ts -verify`
 * against the TSA's certificate.
 */

export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';

/**
 * What is time-stamped for a head: SHA-256 of the same UTF-8 bytes its Ed25519 signature covers,
 * `chain|seq|hash|at` (so a party holding a receipt recomputes the imprint from the receipt).
 */
export function headImprint(h: Pick<SignedHead, 'chain' | 'seq' | 'hash' | 'at'>): Buffer {
  return createHash('sha256').update(signedHeadMessage(h)).digest();
}

/** A random positive 64-bit nonce. */
export function randomNonce(): bigint {
  return randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
}

/** DER TimeStampReq: version 1, messageImprint (SHA-256), nonce, certReq TRUE. */
export function buildTimeStampReq(imprint: Buffer, nonce: bigint): Buffer {
  if (imprint.length !== 32) throw new Error('a SHA-256 imprint has 32 bytes');
  return sequence(
    integer(1),
    sequence(sequence(oid(OID_SHA256), nullValue()), octetString(imprint)),
    integer(nonce),
    boolean(true),
  );
}

export interface TimeStampReq {
  version: bigint;
  hashAlgorithm: string;
  imprint: Buffer;
  policy: string | null;
  nonce: bigint | null;
  certReq: boolean;
}

/** Parses a TimeStampReq (the local TSA of the tests uses it; handy for tools too). */
export function parseTimeStampReq(der: Buffer): TimeStampReq {
  const items = children(expectTag(decode(der), TAG.SEQUENCE, 'TimeStampReq'));
  const [versionNode, mi, ...rest] = items;
  const [alg, hashed] = children(expectTag(mi, TAG.SEQUENCE, 'messageImprint'));
  const req: TimeStampReq = {
    version: readInteger(expectTag(versionNode, TAG.INTEGER, 'version')),
    hashAlgorithm: readOid(children(expectTag(alg, TAG.SEQUENCE, 'hashAlgorithm'))[0]!),
    imprint: Buffer.from(expectTag(hashed, TAG.OCTET_STRING, 'hashedMessage').content),
    policy: null,
    nonce: null,
    certReq: false,
  };
  for (const n of rest) {
    if (n.tag === TAG.OID) req.policy = readOid(n);
    else if (n.tag === TAG.INTEGER) req.nonce = readInteger(n);
    else if (n.tag === TAG.BOOLEAN) req.certReq = readBoolean(n);
  }
  return req;
}

export const PKI_STATUS = {
  granted: 0,
  grantedWithMods: 1,
  rejection: 2,
  waiting: 3,
  revocationWarning: 4,
  revocationNotification: 5,
} as const;

export interface TimeStampResp {
  status: number;
  statusText: string[];
  /** The TimeStampToken (a CMS ContentInfo of SignedData), DER; null when the TSA sent none. */
  token: Buffer | null;
}

/** Parses a TimeStampResp: PKIStatusInfo and the token's bytes as they came. */
export function parseTimeStampResp(der: Buffer): TimeStampResp {
  const [statusInfo, token] = children(expectTag(decode(der), TAG.SEQUENCE, 'TimeStampResp'));
  const [status, ...more] = children(expectTag(statusInfo, TAG.SEQUENCE, 'PKIStatusInfo'));
  const statusText =
    more[0]?.tag === TAG.SEQUENCE
      ? children(more[0]).map((s) => (s.tag === TAG.UTF8_STRING ? s.content.toString('utf8') : ''))
      : [];
  return {
    status: Number(readInteger(expectTag(status, TAG.INTEGER, 'status'))),
    statusText,
    token: token ? Buffer.from(expectTag(token, TAG.SEQUENCE, 'TimeStampToken').raw) : null,
  };
}

export interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  imprint: Buffer;
  serialNumber: bigint;
  /** ISO instant. */
  genTime: string;
  nonce: bigint | null;
}

/** The TSTInfo encapsulated in a TimeStampToken (ContentInfo → SignedData → eContent). */
export function parseTimeStampToken(token: Buffer): TstInfo {
  const [ct, explicit] = children(expectTag(decode(token), TAG.SEQUENCE, 'ContentInfo'));
  if (readOid(expectTag(ct, TAG.OID, 'contentType')) !== OID_SIGNED_DATA)
    throw new DerError('the token is not CMS SignedData');
  const [signedData] = children(expectTag(explicit, 0xa0, 'ContentInfo content [0]'));
  const sd = children(expectTag(signedData, TAG.SEQUENCE, 'SignedData'));
  const [eType, eContent] = children(expectTag(sd[2], TAG.SEQUENCE, 'encapContentInfo'));
  if (readOid(expectTag(eType, TAG.OID, 'eContentType')) !== OID_TST_INFO)
    throw new DerError('the token does not encapsulate a TSTInfo');
  const [octets] = children(expectTag(eContent, 0xa0, 'eContent [0]'));
  return parseTstInfo(Buffer.from(expectTag(octets, TAG.OCTET_STRING, 'eContent').content));
}

export function parseTstInfo(der: Buffer): TstInfo {
  const items = children(expectTag(decode(der), TAG.SEQUENCE, 'TSTInfo'));
  const [version, policy, mi, serial, genTime, ...rest] = items as [
    DerNode?,
    DerNode?,
    DerNode?,
    DerNode?,
    DerNode?,
    ...DerNode[],
  ];
  if (readInteger(expectTag(version, TAG.INTEGER, 'TSTInfo version')) !== 1n)
    throw new DerError('TSTInfo version is not 1');
  const [alg, hashed] = children(expectTag(mi, TAG.SEQUENCE, 'messageImprint'));
  const nonce = rest.find((n) => n.tag === TAG.INTEGER);
  return {
    policy: readOid(expectTag(policy, TAG.OID, 'policy')),
    hashAlgorithm: readOid(children(expectTag(alg, TAG.SEQUENCE, 'hashAlgorithm'))[0]!),
    imprint: Buffer.from(expectTag(hashed, TAG.OCTET_STRING, 'hashedMessage').content),
    serialNumber: readInteger(expectTag(serial, TAG.INTEGER, 'serialNumber')),
    genTime: readGeneralizedTime(expectTag(genTime, TAG.GENERALIZED_TIME, 'genTime')),
    nonce: nonce ? readInteger(nonce) : null,
  };
}

/**
 * Checks a TSA's reply to a request for `imprint` with `nonce`: status granted (0) or
 * grantedWithMods (1), a token whose TSTInfo has the same SHA-256 imprint and nonce. Returns
 * the token and its TSTInfo; throws with the reason otherwise.
 */
export function checkTimeStampResp(
  der: Buffer,
  expected: { imprint: Buffer; nonce: bigint },
): { token: Buffer; tst: TstInfo } {
  const resp = parseTimeStampResp(der);
  if (resp.status !== PKI_STATUS.granted && resp.status !== PKI_STATUS.grantedWithMods) {
    const text = resp.statusText.length ? `: ${resp.statusText.join('; ')}` : '';
    throw new Error(`the TSA refused the request (status ${resp.status}${text})`);
  }
  if (!resp.token) throw new Error('the TSA granted the request but sent no token');
  const tst = parseTimeStampToken(resp.token);
  if (tst.hashAlgorithm !== OID_SHA256) throw new Error('the token is not over a SHA-256 imprint');
  if (!tst.imprint.equals(expected.imprint)) throw new Error('the token time-stamps another imprint');
  if (tst.nonce !== expected.nonce) throw new Error('the token does not carry the nonce sent');
  return { token: resp.token, tst };
}
