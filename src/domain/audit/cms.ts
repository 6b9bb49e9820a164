import { createHash, verify, X509Certificate } from 'node:crypto';
import { children, decode, DerError, expectTag, readInteger, readOid, TAG, type DerNode } from './der.js';
import { OID_SIGNED_DATA, OID_TST_INFO } from './tsp.js';

/**
 * The TSA's CMS signature on an RFC 3161 token (RFC 5652 SignedData with signed attributes),
 * checked against the signer certificate the token carries (certReq TRUE): the signature over the
 * signed attributes, their messageDigest over the encapsulated TSTInfo, their contentType, the
 * certificate's extended key usage `timeStamping` and its validity at genTime. The certificate's
 * chain to a CA one trusts is NOT checked here (that needs a trust anchor: `openssl ts -verify
 * -CAfile`), so this shows the token is intact and self-consistent, not who the TSA is.
 */

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms verified with `crypto.verify(digest, …)`: RSA PKCS#1 v1.5 and ECDSA. */
const HASHED_SIGNATURES = new Set([
  '1.2.840.113549.1.1.1', // rsaEncryption
  '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
  '1.2.840.10045.2.1', // id-ecPublicKey
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
]);
const OID_ED25519 = '1.3.101.112';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export interface TokenSigner {
  /** Subject of the TSA's certificate. */
  subject: string;
  /** SHA-256 fingerprint of the TSA's certificate (`AA:BB:…`). */
  fingerprint256: string;
}

const algOid = (n: DerNode | undefined, what: string) =>
  readOid(children(expectTag(n, TAG.SEQUENCE, what))[0]!);

/** Throws with the reason unless the token's CMS signature verifies as described above. */
export function verifyTokenSignature(token: Buffer, genTime: string): TokenSigner {
  const [ct, explicit] = children(expectTag(decode(token), TAG.SEQUENCE, 'ContentInfo'));
  if (readOid(expectTag(ct, TAG.OID, 'contentType')) !== OID_SIGNED_DATA)
    throw new DerError('the token is not CMS SignedData');
  const sd = children(
    expectTag(children(expectTag(explicit, 0xa0, 'content'))[0], TAG.SEQUENCE, 'SignedData'),
  );
  const [, eContent] = children(expectTag(sd[2], TAG.SEQUENCE, 'encapContentInfo'));
  const tstInfo = expectTag(
    children(expectTag(eContent, 0xa0, 'eContent'))[0],
    TAG.OCTET_STRING,
    'eContent',
  ).content;
  const certNode = sd.slice(3).find((n) => n.tag === 0xa0);
  const certs = certNode ? children(certNode).map((c) => new X509Certificate(c.raw)) : [];
  const signerInfos = children(expectTag(sd.at(-1), TAG.SET, 'signerInfos'));
  if (signerInfos.length === 0) throw new Error('the token is not signed (no signerInfo)');
  const si = children(expectTag(signerInfos[0], TAG.SEQUENCE, 'SignerInfo'));
  const [, sid, digestAlg, attrs, sigAlg, signature] = si;
  const digest = DIGESTS[algOid(digestAlg, 'digestAlgorithm')];
  if (!digest) throw new Error('the token is signed with an unsupported digest');
  if (attrs?.tag !== 0xa0) throw new Error('the token has no signed attributes');
  let messageDigest: Buffer | null = null;
  let contentType: string | null = null;
  for (const a of children(attrs)) {
    const [type, values] = children(expectTag(a, TAG.SEQUENCE, 'Attribute'));
    const value = children(expectTag(values, TAG.SET, 'values'))[0];
    const oid = readOid(expectTag(type, TAG.OID, 'attrType'));
    if (oid === OID_MESSAGE_DIGEST)
      messageDigest = expectTag(value, TAG.OCTET_STRING, 'messageDigest').content;
    if (oid === OID_CONTENT_TYPE) contentType = readOid(expectTag(value, TAG.OID, 'contentType'));
  }
  if (contentType !== OID_TST_INFO) throw new Error('the signed content type is not TSTInfo');
  if (!messageDigest?.equals(createHash(digest).update(tstInfo).digest()))
    throw new Error('the signed message digest does not match the TSTInfo');
  // The signature is over the DER of the attributes as a SET (RFC 5652 §5.4).
  const signed = Buffer.concat([Buffer.from([TAG.SET]), attrs.raw.subarray(1)]);
  const sigOid = algOid(sigAlg, 'signatureAlgorithm');
  const sig = expectTag(signature, TAG.OCTET_STRING, 'signature').content;
  const serial = sid?.tag === TAG.SEQUENCE ? readInteger(children(sid)[1]!) : null;
  const candidates = certs.filter((c) => serial === null || BigInt(`0x${c.serialNumber}`) === serial);
  const cert = candidates.find((c) => {
    try {
      if (sigOid === OID_ED25519) return verify(null, signed, c.publicKey, sig);
      if (HASHED_SIGNATURES.has(sigOid)) return verify(digest, signed, c.publicKey, sig);
    } catch {
      return false;
    }
    return false;
  });
  if (!cert) {
    if (!HASHED_SIGNATURES.has(sigOid) && sigOid !== OID_ED25519)
      throw new Error(`the token is signed with an unsupported algorithm (${sigOid})`);
    throw new Error(
      certs.length ? "the TSA's signature does not verify" : 'the token carries no TSA certificate',
    );
  }
  if (!(cert.keyUsage ?? []).includes(EKU_TIME_STAMPING))
    throw new Error("the TSA's certificate is not for time-stamping");
  const at = Date.parse(genTime);
  if (at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo))
    throw new Error("the TSA's certificate was not valid at genTime");
  return { subject: cert.subject, fingerprint256: cert.fingerprint256 };
}
