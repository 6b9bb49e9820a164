import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.js';
import { headSigner, type HeadSigner } from '../../domain/audit/signing.js';

/** Where the key lives when AUDIT_SIGNING_KEY is not set. */
export function auditKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'audit-signing-key.pem');
}

const cache = new Map<string, HeadSigner>();

/**
 * The instance's audit signing key (issue 7, finding 4a): AUDIT_SIGNING_KEY if set, else
 * DATA_DIR/keys/audit-signing-key.pem, generated (Ed25519, mode 0600 in a 0700 folder) the first
 * time it is needed. Never stored in the database: whoever can write the database but not read
 * this file cannot re-sign a rewritten chain.
 */
export function loadAuditSigner(config: Pick<Config, 'dataDir' | 'auditSigningKey'>): HeadSigner;
/** With `create: false`: null when there is no key yet (the CLI verifies without making one). */
export function loadAuditSigner(
  config: Pick<Config, 'dataDir' | 'auditSigningKey'>,
  options: { create: false },
): HeadSigner | null;
export function loadAuditSigner(
  config: Pick<Config, 'dataDir' | 'auditSigningKey'>,
  options: { create: boolean } = { create: true },
): HeadSigner | null {
  if (config.auditSigningKey) return headSigner(config.auditSigningKey);
  const file = auditKeyFile(config.dataDir);
  const cached = cache.get(file);
  if (cached) return cached;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!options.create) return null;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // 'wx': two processes starting at once must not each write their own key.
      fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    pem = fs.readFileSync(file, 'utf8');
  }
  const signer = headSigner(createPrivateKey(pem));
  cache.set(file, signer);
  return signer;
}
