import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentDisposition, reprDigest } from './headers.js';

describe('evidence download headers', () => {
  it('Repr-Digest is the SHA-256 as an RFC 9530 byte sequence (base64 between colons)', () => {
    const hex = createHash('sha256').update('abc').digest('hex');
    expect(reprDigest(hex)).toBe('sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:');
  });

  it('Content-Disposition keeps a Japanese name in filename* and an ASCII fallback in filename', () => {
    expect(contentDisposition('報告書(最終)*.pdf')).toBe(
      'attachment; filename="___(__)*.pdf"; filename*=UTF-8\'\'%E5%A0%B1%E5%91%8A%E6%9B%B8%28%E6%9C%80%E7%B5%82%29%2A.pdf',
    );
    expect(contentDisposition('a"b\\c%d.txt')).toBe(
      'attachment; filename="a_b_c_d.txt"; filename*=UTF-8\'\'a%22b%5Cc%25d.txt',
    );
    expect(contentDisposition("it's.log")).toContain("filename*=UTF-8''it%27s.log");
  });
});
