import { randomBytes } from 'node:crypto';

/** Prefixed, time-sortable identifiers (`agr_…`). 10 chars of time + 16 of randomness, Crockford base32. */
export const ID_PREFIX = {
  organization: 'org',
  user: 'usr',
  agreement: 'agr',
  terminationNotice: 'tmn',
  auditEvent: 'aud',
  session: 'ses',
  apiToken: 'tok',
  calendarFeed: 'cal',
  invitation: 'inv',
  outbox: 'obx',
  incident: 'inc',
  notice: 'ntc',
  itemRequest: 'irq',
  containmentAction: 'cta',
  webhook: 'whk',
  discoveryCorrection: 'dcr',
  disclosure: 'dsc',
  disclosurePackage: 'dpk',
  incidentNote: 'nte',
  cooperationRequest: 'cor',
  consultation: 'cns',
  consultationMessage: 'cnm',
  evidence: 'evd',
  evidenceCustody: 'ecu',
  mutualTermination: 'mtr',
  announcement: 'ann',
  announcementVersion: 'anv',
  announcementApproval: 'anp',
} as const;

export type IdKind = keyof typeof ID_PREFIX;
export type Id<K extends IdKind> = string & { readonly __kind: K };

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}

export function newId<K extends IdKind>(kind: K, nowMs: number = Date.now()): Id<K> {
  return `${ID_PREFIX[kind]}_${encodeTime(nowMs)}${encodeRandom(16)}` as Id<K>;
}

const ID_PATTERN = /^[a-z]{3}_[0-9a-z]{26}$/;

export function isIdOf<K extends IdKind>(kind: K, value: string): value is Id<K> {
  return ID_PATTERN.test(value) && value.startsWith(`${ID_PREFIX[kind]}_`);
}

/** A random secret for tokens, 32 bytes in base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
