import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditKeyFile, loadAuditSigner } from '../../src/app/audit/signing-key.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { signHead, verifySignedHead } from '../../src/domain/audit/signing.js';

describe('AUDIT_SIGNING_KEY (issue 7, finding 4a)', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const dataDir = () => path.join(os.tmpdir(), `bp-key-${randomBytes(6).toString('hex')}`);

  it('takes a PKCS#8 PEM (also with \\n escapes) or base64 DER Ed25519 key, and then writes no key file', () => {
    for (const value of [pem, pem.replace(/\n/g, '\\n'), der]) {
      const dir = dataDir();
      const config = loadConfig({ DATA_DIR: dir, AUDIT_SIGNING_KEY: value });
      const signer = loadAuditSigner(config);
      const head = signHead(signer, {
        chain: 'c',
        seq: 1,
        hash: '0'.repeat(64),
        at: '2026-11-28T01:00:00.000Z',
      });
      expect(verifySignedHead(signer.publicKey, head)).toBe(true);
      expect(signer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
      expect(fs.existsSync(auditKeyFile(dir))).toBe(false);
    }
  });

  it('refuses a key that is not Ed25519, or not a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    for (const value of [rsa.toString(), 'not-a-key']) {
      expect(() => loadConfig({ DATA_DIR: dataDir(), AUDIT_SIGNING_KEY: value })).toThrow(ConfigError);
    }
  });

  it('without it, the key is generated once under DATA_DIR/keys (0600) and reused; the CLI never makes one', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(loadAuditSigner(config, { create: false })).toBeNull();
    expect(fs.existsSync(dir)).toBe(false);
    const first = loadAuditSigner(config);
    expect(fs.statSync(auditKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(auditKeyFile(dir))).mode & 0o777).toBe(0o700);
    expect(loadAuditSigner(loadConfig({ DATA_DIR: dir })).fingerprint).toBe(first.fingerprint);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
