import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  contextTag,
  generalizedTime,
  integer,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
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

export function timeStampResp(status: number, token: Buffer | null, text?: string): Buffer {
  const statusInfo = sequence(integer(status), ...(text ? [sequence(utf8String(text))] : []));
  return sequence(statusInfo, ...(token ? [token] : []));
}

export type TsaMode = 'ok' | 'wrong_imprint' | 'wrong_nonce' | 'reject' | 'hang';

/**
 * A local TSA on 127.0.0.1 for the tests: parses each TimeStampReq with BreachPact's decoder and
 * answers per `mode` (an unsigned token: see `unsignedToken`).
 */
export interface LocalTsa {
  url: string;
  mode: TsaMode;
  genTime: Date;
  requests: Array<{ contentType: string | undefined; req: TimeStampReq }>;
  close(): Promise<void>;
}

export async function startLocalTsa(): Promise<LocalTsa> {
  const hanging = new Set<http.ServerResponse>();
  const tsa = {
    url: '',
    mode: 'ok' as TsaMode,
    genTime: new Date('2026-11-28T01:00:05.250Z'),
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
        body = timeStampResp(
          0,
          unsignedToken(tstInfo({ imprint, nonce, genTime: tsa.genTime, serial: serial++ })),
        );
      }
      response.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  return tsa;
}
