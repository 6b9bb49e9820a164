import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Signed chain heads (issue 7, finding 4): the instance signs `(chain, seq, hash, at)` with an
 * Ed25519 key kept outside the database, so whoever can write the database but not read the key
 * cannot rewrite a chain and make its recorded head signature verify again. A receipt handed to a
 * party has the same shape: it is a signed head the party keeps.
 */
export interface SignedHead {
  chain: string;
  seq: number;
  hash: string;
  /** ISO instant of the signature (for a head signed when appended: the event's time). */
  at: string;
  /** Base64 Ed25519 signature over `signedHeadMessage`. */
  signature: string;
}

/** The bytes signed: `chain|seq|hash|at` (UTF-8). Chain ids contain no `|`. */
export function signedHeadMessage(h: Pick<SignedHead, 'chain' | 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`${h.chain}|${h.seq}|${h.hash}|${h.at}`, 'utf8');
}

/** Signs with the private key and also knows its public half. */
export interface HeadSigner {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM of the public key: what the UI and README point the parties to. */
  readonly publicKeyPem: string;
  /** SHA-256 of the public key's DER (hex): short enough to compare by eye. */
  readonly fingerprint: string;
}

export function headSigner(privateKey: KeyObject): HeadSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key must be Ed25519');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

export function signHead(signer: HeadSigner, h: Omit<SignedHead, 'signature'>): SignedHead {
  return { ...h, signature: sign(null, signedHeadMessage(h), signer.privateKey).toString('base64') };
}

/** True when `h.signature` is the key's signature of `h` (false on any malformed input). */
export function verifySignedHead(publicKey: KeyObject, h: SignedHead): boolean {
  try {
    const sig = Buffer.from(h.signature, 'base64');
    return sig.length === 64 && verify(null, signedHeadMessage(h), publicKey, sig);
  } catch {
    return false;
  }
}
