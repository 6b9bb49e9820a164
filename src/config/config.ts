import path from 'node:path';
import { z } from 'zod';

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
  };
}
