import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  boolean,
  contextTag,
  generalizedTime,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  utf8String,
} from '../../src/domain/audit/der.js';
import {
  OID_SHA256,
  OID_SIGNED_DATA,
  OID_TST_INFO,
  parseTimeStampReq,
  type TimeStampReq,
} from '../../src/domain/audit/tsp.js';

/** A TSTInfo (RFC 3161 §2.4.2): version 1, a test policy, the imprint, a serial, genTime, nonce. */
export function tstInfo(o: {
  imprint: Buffer;
  nonce: bigint | null;
  genTime: Date;
  serial?: bigint;
}): Buffer {
  return sequence(
    integer(1),
    oid('1.2.3.4.1'),
    sequence(sequence(oid(OID_SHA256), nullValue()), octetString(o.imprint)),
    integer(o.serial ?? 1n),
    generalizedTime(o.genTime),
    ...(o.nonce === null ? [] : [integer(o.nonce)]),
  );
}

/**
 * A TimeStampToken whose SignedData carries the TSTInfo but NO signer (an empty signerInfos SET,
 * no certificates): a DUMMY signature block. BreachPact does not verify the TSA's CMS signature
 * (`openssl ts -verify` does), so its checks of imprint and nonce are what is tested with it.
 */
export function unsignedToken(tst: Buffer): Buffer {
  return sequence(
    oid(OID_SIGNED_DATA),
    contextTag(
      0,
      sequence(
        integer(3),
        set(sequence(oid(OID_SHA256))),
        sequence(oid(OID_TST_INFO), contextTag(0, octetString(tst))),
        set(),
      ),
    ),
  );
}

const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const name = (cn: string) => sequence(set(sequence(oid('2.5.4.3'), utf8String(cn))));
const utcTime = (d: Date) =>
  tlv(0x17, Buffer.from(`${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`, 'ascii'));

export interface TsaSigner {
  key: KeyObject;
  /** The self-signed certificate (DER): EKU timeStamping (critical), valid 2020–2040. */
  cert: Buffer;
  serial: bigint;
  issuer: Buffer;
}

/** A self-signed ECDSA P-256 TSA certificate, built with BreachPact's DER encoder. */
export function makeTsaSigner(cn = 'BreachPact local test TSA'): TsaSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = 0x1234567n;
  const issuer = name(cn);
  const eku = sequence(oid('2.5.29.37'), boolean(true), octetString(sequence(oid('1.3.6.1.5.5.7.3.8'))));
  const tbs = sequence(
    contextTag(0, integer(2)),
    integer(serial),
    sequence(oid(OID_ECDSA_SHA256)),
    issuer,
    sequence(utcTime(new Date('2020-01-01T00:00:00Z')), utcTime(new Date('2040-01-01T00:00:00Z'))),
    issuer,
    publicKey.export({ type: 'spki', format: 'der' }),
    contextTag(3, sequence(eku)),
  );
  const sig = sign('sha256', tbs, privateKey);
  const cert = sequence(
    tbs,
    sequence(oid(OID_ECDSA_SHA256)),
    tlv(0x03, Buffer.concat([Buffer.from([0]), sig])),
  );
  return { key: privateKey, cert, serial, issuer };
}

/**
 * A TimeStampToken signed by `signer` as RFC 5652 has it: signed attributes contentType and
 * messageDigest (no ESSCertID: BreachPact does not look for it), the certificate included.
 * `forge`: the signature is over other bytes than the attributes (it does not verify).
 */
export function signedToken(tst: Buffer, signer: TsaSigner, forge = false): Buffer {
  const attrs = Buffer.concat([
    sequence(oid('1.2.840.113549.1.9.3'), set(oid(OID_TST_INFO))),
    sequence(oid('1.2.840.113549.1.9.4'), set(octetString(createHash('sha256').update(tst).digest()))),
  ]);
  const signed = forge ? Buffer.concat([set(attrs), Buffer.from([0])]) : set(attrs);
  const signerInfo = sequence(
    integer(1),
    sequence(signer.issuer, integer(signer.serial)),
    sequence(oid(OID_SHA256)),
    contextTag(0, attrs),
    sequence(oid(OID_ECDSA_SHA256)),
    octetString(sign('sha256', signed, signer.key)),
  );
  return sequence(
    oid(OID_SIGNED_DATA),
    contextTag(
      0,
      sequence(
        integer(3),
        set(sequence(oid(OID_SHA256))),
        sequence(oid(OID_TST_INFO), contextTag(0, octetString(tst))),
        contextTag(0, signer.cert),
        set(signerInfo),
      ),
    ),
  );
}

export function timeStampResp(status: number, token: Buffer | null, text?: string): Buffer {
  const statusInfo = sequence(integer(status), ...(text ? [sequence(utf8String(text))] : []));
  return sequence(statusInfo, ...(token ? [token] : []));
}

export type TsaMode =
  'ok' | 'wrong_imprint' | 'wrong_nonce' | 'bad_signature' | 'unsigned' | 'reject' | 'hang';

/**
 * A local TSA on 127.0.0.1 for the tests: parses each TimeStampReq with BreachPact's decoder and
 * answers per `mode`, its tokens signed with a self-signed test certificate (`signer`).
 */
export interface LocalTsa {
  url: string;
  mode: TsaMode;
  genTime: Date;
  signer: TsaSigner;
  requests: Array<{ contentType: string | undefined; req: TimeStampReq }>;
  close(): Promise<void>;
}

export async function startLocalTsa(): Promise<LocalTsa> {
  const hanging = new Set<http.ServerResponse>();
  const tsa = {
    url: '',
    mode: 'ok' as TsaMode,
    genTime: new Date('2026-11-28T01:00:05.250Z'),
    signer: makeTsaSigner(),
    requests: [] as LocalTsa['requests'],
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  let serial = 1n;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const req = parseTimeStampReq(Buffer.concat(chunks));
      tsa.requests.push({ contentType: request.headers['content-type'], req });
      if (tsa.mode === 'hang') {
        hanging.add(response);
        return;
      }
      let body: Buffer;
      if (tsa.mode === 'reject') body = timeStampResp(2, null, 'policy not accepted');
      else {
        const imprint = Buffer.from(req.imprint);
        if (tsa.mode === 'wrong_imprint') imprint[0] = imprint[0]! ^ 0xff;
        const nonce = tsa.mode === 'wrong_nonce' ? (req.nonce ?? 0n) + 1n : req.nonce;
        const tst = tstInfo({ imprint, nonce, genTime: tsa.genTime, serial: serial++ });
        const token =
          tsa.mode === 'unsigned'
            ? unsignedToken(tst)
            : signedToken(tst, tsa.signer, tsa.mode === 'bad_signature');
        body = timeStampResp(0, token);
      }
      response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  return tsa;
}
