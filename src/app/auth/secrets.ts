import { createHash } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id (a const enum, which isolatedModules cannot import). */
const ARGON2ID = 2;

/** argon2id with the library's defaults (≈ 8-10 ms a hash here, STACK.md). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Session cookies, API tokens and invitation links are stored as SHA-256 of the secret. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A precomputed hash so unknown e-mails cost as much as wrong passwords (no user enumeration). */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
  return dummyHash;
}
