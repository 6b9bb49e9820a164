import { createPrivateKey, type KeyObject } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** `10.0.0.0/8`, `fd00::/8` or a single address: true when well formed. */
export function isIpOrCidr(s: string): boolean {
  const [addr, prefix, ...rest] = s.split('/');
  if (rest.length > 0 || !addr) return false;
  const family = net.isIP(addr);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const csv = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** proxy-addr's named ranges, accepted in TRUST_PROXY as Fastify does. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Fastify's `trustProxy`: false (the default: the socket address is the client), true (trust every
 * hop: only behind a proxy that overwrites X-Forwarded-For), a hop count, or the proxies' addresses.
 */
export type TrustProxy = boolean | number | string[];

const TrustProxySchema = z
  .string()
  .optional()
  .transform((v, ctx): TrustProxy => {
    const s = (v ?? '').trim().toLowerCase();
    if (s === '' || s === 'false') return false;
    if (s === 'true') return true;
    if (/^\d+$/.test(s)) return Number(s);
    const list = csv(s);
    const bad = list.filter((x) => !isIpOrCidr(x) && !PROXY_RANGE_NAMES.has(x));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be true, false, a hop count or comma-separated proxy addresses/CIDRs (bad: ${bad.join(', ')})`,
      });
      return z.NEVER;
    }
    return list;
  });

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** WEBHOOK_ALLOWED_HOSTS: host names, addresses or CIDRs a webhook may target although private. */
const AllowedHostsSchema = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const list = csv(v).map((x) => x.replace(/^\[(.*)\]$/, '$1').toLowerCase());
    const bad = list.filter((x) => !isIpOrCidr(x) && !HOST_NAME.test(x));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be comma-separated host names, addresses or CIDRs (bad: ${bad.join(', ')})`,
      });
      return z.NEVER;
    }
    return list.map((x) => (isIpOrCidr(x) ? x : x.replace(/\.$/, '')));
  });

/**
 * AUDIT_SIGNING_KEY: the Ed25519 private key that signs audit chain heads (issue 7, finding 4), as
 * PKCS#8 PEM or its DER in base64. Unset: DATA_DIR/keys/audit-signing-key.pem (made on first start).
 */
const AuditSigningKeySchema = z
  .string()
  .optional()
  .transform((v, ctx): KeyObject | null => {
    const s = (v ?? '').trim();
    if (s === '') return null;
    try {
      const key = s.includes('-----BEGIN')
        ? createPrivateKey({ key: s.replace(/\\n/g, '\n'), format: 'pem' })
        : createPrivateKey({ key: Buffer.from(s, 'base64'), format: 'der', type: 'pkcs8' });
      if (key.asymmetricKeyType === 'ed25519') return key;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be an Ed25519 private key (PKCS#8 PEM or base64 DER)' });
    return z.NEVER;
  });

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The environment, parsed once and typed. `loadConfig` throws a ConfigError naming every bad
 * variable, so the process fails before it listens (DESIGN §7: config fails fast).
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message:
        'must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite database)',
    }),
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http(s) URL' }),
  SMTP_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
      message: 'must start with smtp:// or smtps://',
    }),
  SMTP_FROM: z.string().optional(),
  BREACHPACT_ADMIN_EMAIL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || z.email().safeParse(v).success, {
      message: 'must be an e-mail address',
    }),
  BREACHPACT_ADMIN_PASSWORD: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || v.length >= 8, { message: 'must be at least 8 characters' }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(12),
  TRUST_PROXY: TrustProxySchema,
  WEBHOOK_ALLOW_PRIVATE: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().toLowerCase())
    .refine((v) => ['', 'true', 'false', '1', '0'].includes(v), { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1'),
  WEBHOOK_ALLOWED_HOSTS: AllowedHostsSchema,
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  WEBHOOK_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  AUDIT_SIGNING_KEY: AuditSigningKeySchema,
  /** RFC 3161 Time-Stamping Authority for the audit chain heads (issue 7, finding 4c); unset: none. */
  AUDIT_TSA_URL: z
    .string()
    .optional()
    .transform((v) => ((v ?? '').trim() === '' ? undefined : (v ?? '').trim()))
    .refine((v) => v === undefined || isHttpUrl(v), { message: 'must be an http(s) URL' }),
  /** Largest evidence upload in bytes (issue 9 item 2); default 2 GiB. */
  EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(2 * 1024 ** 3),
  NODE_ENV: z.string().optional(),
});

export type DatabaseConfig = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  publicUrl: string;
  smtpUrl: string | undefined;
  smtpFrom: string;
  admin: { email: string | undefined; password: string | undefined };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  loginRateLimit: number;
  sessionTtlHours: number;
  secureCookies: boolean;
  /** Fastify's trustProxy (TRUST_PROXY); false: the socket address is the client's. */
  trustProxy: TrustProxy;
  /** Which webhook targets are allowed besides public addresses (WEBHOOK_ALLOW_PRIVATE / _ALLOWED_HOSTS). */
  webhookTargets: WebhookTargetConfig;
  /** Outbox delivery limits: mails at once (MAIL_CONCURRENCY), webhook request timeout and requests per host. */
  outbox: { mailConcurrency: number; webhookTimeoutMs: number; webhookHostConcurrency: number };
  /** AUDIT_SIGNING_KEY (Ed25519), or null: the key file under DATA_DIR/keys/ is used. */
  auditSigningKey: KeyObject | null;
  /** AUDIT_TSA_URL: the RFC 3161 TSA that time-stamps audit chain heads, or null (none). */
  auditTsaUrl: string | null;
  /** EVIDENCE_MAX_BYTES: the largest evidence file accepted, in bytes (default 2 GiB). */
  evidenceMaxBytes: number;
}

export interface WebhookTargetConfig {
  /** Any address, private ones included (a closed network's own receivers). */
  allowPrivate: boolean;
  /** Host names (exact, lower case), addresses or CIDRs allowed although private. */
  allowedHosts: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { dialect: 'postgres', url: e.DATABASE_URL }
      : { dialect: 'sqlite', file: path.join(dataDir, 'breachpact.db') },
    publicUrl,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM ?? `BreachPact <no-reply@${new URL(publicUrl).hostname}>`,
    admin: { email: e.BREACHPACT_ADMIN_EMAIL, password: e.BREACHPACT_ADMIN_PASSWORD },
    logLevel: e.LOG_LEVEL,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: e.TRUST_PROXY,
    webhookTargets: { allowPrivate: e.WEBHOOK_ALLOW_PRIVATE, allowedHosts: e.WEBHOOK_ALLOWED_HOSTS },
    outbox: {
      mailConcurrency: e.MAIL_CONCURRENCY,
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
      webhookHostConcurrency: e.WEBHOOK_HOST_CONCURRENCY,
    },
    auditSigningKey: e.AUDIT_SIGNING_KEY,
    auditTsaUrl: e.AUDIT_TSA_URL ?? null,
    evidenceMaxBytes: e.EVIDENCE_MAX_BYTES,
  };
}
