import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyTokenSignature } from '../../src/domain/audit/cms.js';
import { decode, children, readInteger, readOid } from '../../src/domain/audit/der.js';
import {
  buildTimeStampReq,
  checkTimeStampResp,
  headImprint,
  OID_SHA256,
  parseTimeStampReq,
  parseTimeStampToken,
  randomNonce,
} from '../../src/domain/audit/tsp.js';
import { signedHeadMessage } from '../../src/domain/audit/signing.js';
import { makeTsaSigner, signedToken, timeStampResp, tstInfo, unsignedToken } from '../support/local-tsa.js';

const head = { chain: 'agr_1', seq: 7, hash: 'ab'.repeat(32), at: '2026-11-28T01:00:00.000Z' };

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('RFC 3161 request and reply (issue 7, finding 4c)', () => {
  it('the imprint is SHA-256 of `chain|seq|hash|at`; the request is version 1, SHA-256, nonce, certReq TRUE', () => {
    const imprint = headImprint(head);
    expect(imprint.toString('hex')).toBe(
      execFileSync('sha256sum', { input: signedHeadMessage(head) })
        .toString()
        .slice(0, 64),
    );
    const nonce = randomNonce();
    expect(nonce).toBeGreaterThanOrEqual(0n);
    expect(nonce).toBeLessThan(2n ** 63n);
    const der = buildTimeStampReq(imprint, nonce);
    const [version, mi] = children(decode(der));
    expect(readInteger(version!)).toBe(1n);
    expect(readOid(children(children(mi!)[0]!)[0]!)).toBe(OID_SHA256);
    expect(parseTimeStampReq(der)).toMatchObject({
      version: 1n,
      hashAlgorithm: OID_SHA256,
      imprint,
      nonce,
      certReq: true,
    });
  });

  it('a granted reply with the imprint and nonce gives the token and its genTime (dummy, unsigned token)', () => {
    const imprint = headImprint(head);
    const tst = tstInfo({ imprint, nonce: 42n, genTime: new Date('2026-11-28T01:00:05.250Z') });
    const token = unsignedToken(tst);
    for (const status of [0, 1]) {
      const r = checkTimeStampResp(timeStampResp(status, token), { imprint, nonce: 42n });
      expect(r.token.equals(token)).toBe(true);
      expect(r.tst.genTime).toBe('2026-11-28T01:00:05.250Z');
    }
    expect(parseTimeStampToken(token).imprint.equals(imprint)).toBe(true);
  });

  it('refuses a rejection, a missing token, another imprint or another nonce', () => {
    const imprint = headImprint(head);
    const other = headImprint({ ...head, seq: 8 });
    const ok = (i: Buffer, n: bigint | null) =>
      timeStampResp(0, unsignedToken(tstInfo({ imprint: i, nonce: n, genTime: new Date() })));
    expect(() => checkTimeStampResp(timeStampResp(2, null, 'bad alg'), { imprint, nonce: 1n })).toThrow(
      /refused.*status 2.*bad alg/,
    );
    expect(() => checkTimeStampResp(timeStampResp(0, null), { imprint, nonce: 1n })).toThrow(/no token/);
    expect(() => checkTimeStampResp(ok(other, 1n), { imprint, nonce: 1n })).toThrow(/another imprint/);
    expect(() => checkTimeStampResp(ok(imprint, 2n), { imprint, nonce: 1n })).toThrow(/nonce/);
    expect(() => checkTimeStampResp(ok(imprint, null), { imprint, nonce: 1n })).toThrow(/nonce/);
    expect(() => checkTimeStampResp(Buffer.from('not der'), { imprint, nonce: 1n })).toThrow();
  });

  it("checks the TSA's CMS signature against the certificate in the token (chain of trust not checked)", () => {
    const signer = makeTsaSigner();
    const genTime = '2026-11-28T01:00:05.000Z';
    const tst = tstInfo({ imprint: headImprint(head), nonce: 1n, genTime: new Date(genTime) });
    expect(verifyTokenSignature(signedToken(tst, signer), genTime)).toMatchObject({
      subject: 'CN=BreachPact local test TSA',
    });
    expect(() => verifyTokenSignature(signedToken(tst, signer, true), genTime)).toThrow(/does not verify/);
    expect(() => verifyTokenSignature(unsignedToken(tst), genTime)).toThrow(/not signed/);
    // Another TSA's certificate in place of the signer's.
    const other = makeTsaSigner('Other TSA');
    const swapped = signedToken(tst, { ...signer, cert: other.cert });
    expect(() => verifyTokenSignature(swapped, genTime)).toThrow(/does not verify/);
  });

  it.skipIf(!hasOpenssl())(
    'interoperates with OpenSSL: parses its request, accepts its real signed reply, and the kept token passes `openssl ts -verify`',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-tsa-'));
      const f = (n: string) => path.join(dir, n);
      const run = (args: string[], input?: Buffer) =>
        execFileSync('openssl', args, {
          cwd: dir,
          stdio: ['pipe', 'pipe', 'pipe'],
          ...(input ? { input } : {}),
        });
      fs.writeFileSync(
        f('tsa.cnf'),
        [
          '[ req ]',
          'distinguished_name = dn',
          '[ dn ]',
          '[ v3_tsa ]',
          'basicConstraints = CA:FALSE',
          'extendedKeyUsage = critical,timeStamping',
          'keyUsage = critical,digitalSignature',
          '[ tsa ]',
          'default_tsa = tsa1',
          '[ tsa1 ]',
          `serial = ${f('serial')}`,
          `signer_cert = ${f('tsa.crt')}`,
          `signer_key = ${f('tsa.key')}`,
          'signer_digest = sha256',
          'default_policy = 1.2.3.4.1',
          'digests = sha256',
          'ess_cert_id_alg = sha256',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(f('serial'), '01\n');
      run([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        f('tsa.key'),
        '-out',
        f('tsa.crt'),
        '-days',
        '30',
        '-subj',
        '/CN=BreachPact test TSA',
        '-config',
        f('tsa.cnf'),
        '-extensions',
        'v3_tsa',
      ]);
      // OpenSSL's own request parses with our decoder.
      fs.writeFileSync(f('head.txt'), signedHeadMessage(head));
      run(['ts', '-query', '-data', f('head.txt'), '-sha256', '-cert', '-out', f('openssl.tsq')]);
      const theirs = parseTimeStampReq(fs.readFileSync(f('openssl.tsq')));
      expect(theirs.imprint.equals(headImprint(head))).toBe(true);
      expect(theirs.certReq).toBe(true);
      // Our request, answered by OpenSSL as a TSA with a real signature.
      const imprint = headImprint(head);
      const nonce = 0x5a5a5a5a12345678n;
      fs.writeFileSync(f('ours.tsq'), buildTimeStampReq(imprint, nonce));
      run(['ts', '-reply', '-queryfile', f('ours.tsq'), '-config', f('tsa.cnf'), '-out', f('reply.tsr')]);
      const { token, tst } = checkTimeStampResp(fs.readFileSync(f('reply.tsr')), { imprint, nonce });
      expect(Math.abs(Date.parse(tst.genTime) - Date.now())).toBeLessThan(60_000);
      // The token as BreachPact keeps it verifies against the data `chain|seq|hash|at` and the TSA's certificate.
      fs.writeFileSync(f('token.der'), token);
      const out = run([
        'ts',
        '-verify',
        '-in',
        f('token.der'),
        '-token_in',
        '-data',
        f('head.txt'),
        '-CAfile',
        f('tsa.crt'),
      ]);
      expect(out.toString()).toContain('Verification: OK');
      const text = run(['ts', '-reply', '-in', f('token.der'), '-token_in', '-text']).toString();
      // The TSA's CMS signature verifies against the certificate in the token; a changed byte breaks it.
      expect(verifyTokenSignature(token, tst.genTime)).toMatchObject({ subject: 'CN=BreachPact test TSA' });
      const tampered = Buffer.from(token);
      tampered[token.indexOf(imprint) + 3]! ^= 0x01;
      expect(() => verifyTokenSignature(tampered, tst.genTime)).toThrow(/message digest/);
      const badSig = Buffer.from(token);
      badSig[badSig.length - 3]! ^= 0x01;
      expect(() => verifyTokenSignature(badSig, tst.genTime)).toThrow(/does not verify/);
      expect(() => verifyTokenSignature(token, '2000-01-01T00:00:00.000Z')).toThrow(/not valid at genTime/);
      expect(text).toContain('Hash Algorithm: sha256');
      expect(text).toContain('Nonce: 0x5A5A5A5A12345678');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
});
