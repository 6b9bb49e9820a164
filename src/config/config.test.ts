import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** Runs loadConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('config: defaults', () => {
  it('an empty environment gives port 3000, ./data resolved, SQLite at DATA_DIR/breachpact.db', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(path.isAbsolute(c.dataDir)).toBe(true);
    expect(c.database).toEqual({
      dialect: 'sqlite',
      file: path.join(path.resolve('./data'), 'breachpact.db'),
    });
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.secureCookies).toBe(false);
    expect(c.smtpUrl).toBeUndefined();
    expect(c.smtpFrom).toBe('BreachPact <no-reply@localhost>');
    expect(c.admin).toEqual({ email: undefined, password: undefined });
    expect(c.logLevel).toBe('info');
    expect(c.loginRateLimit).toBe(20);
    expect(c.sessionTtlHours).toBe(12);
  });

  it('does not read process.env when an environment is passed', () => {
    const saved = process.env.PORT;
    process.env.PORT = '4321';
    try {
      expect(loadConfig({}).port).toBe(3000);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('empty strings count as unset for the optional URLs', () => {
    const c = loadConfig({
      DATABASE_URL: '',
      PUBLIC_URL: '',
      SMTP_URL: '',
      BREACHPACT_ADMIN_EMAIL: '',
      BREACHPACT_ADMIN_PASSWORD: '',
    });
    expect(c.database.dialect).toBe('sqlite');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.smtpUrl).toBeUndefined();
    expect(c.admin).toEqual({ email: undefined, password: undefined });
  });
});

describe('config: values', () => {
  it('DATA_DIR is resolved to an absolute path and holds the SQLite file', () => {
    const c = loadConfig({ DATA_DIR: 'some/rel/dir' });
    expect(c.dataDir).toBe(path.resolve('some/rel/dir'));
    expect(c.database).toEqual({ dialect: 'sqlite', file: path.resolve('some/rel/dir', 'breachpact.db') });
    expect(loadConfig({ DATA_DIR: '/var/lib/bp' }).database).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/bp/breachpact.db',
    });
  });

  it.each(['postgres://u:p@db.example:5432/bp', 'postgresql://localhost/bp'])(
    'DATABASE_URL %s selects PostgreSQL',
    (url) => {
      const c = loadConfig({ DATABASE_URL: url, DATA_DIR: '/tmp/x' });
      expect(c.database).toEqual({ dialect: 'postgres', url });
      expect(c.dataDir).toBe('/tmp/x');
    },
  );

  it('PORT is a number and sets the default public URL', () => {
    const c = loadConfig({ PORT: '8080' });
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('http://localhost:8080');
  });

  it('PUBLIC_URL loses trailing slashes; https turns secure cookies on and sets the mail sender host', () => {
    const c = loadConfig({ PUBLIC_URL: 'https://bp.example.co.jp///' });
    expect(c.publicUrl).toBe('https://bp.example.co.jp');
    expect(c.secureCookies).toBe(true);
    expect(c.smtpFrom).toBe('BreachPact <no-reply@bp.example.co.jp>');
  });

  it('reads the remaining variables', () => {
    const c = loadConfig({
      HOST: '127.0.0.1',
      SMTP_URL: 'smtps://mail.example:465',
      SMTP_FROM: 'BP <bp@example.com>',
      BREACHPACT_ADMIN_EMAIL: 'root@example.com',
      BREACHPACT_ADMIN_PASSWORD: 'long-enough',
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT: '3',
      SESSION_TTL_HOURS: '48',
    });
    expect(c.host).toBe('127.0.0.1');
    expect(c.smtpUrl).toBe('smtps://mail.example:465');
    expect(c.smtpFrom).toBe('BP <bp@example.com>');
    expect(c.admin).toEqual({ email: 'root@example.com', password: 'long-enough' });
    expect(c.logLevel).toBe('silent');
    expect(c.loginRateLimit).toBe(3);
    expect(c.sessionTtlHours).toBe(48);
  });
});

describe('config: fails fast naming every bad variable', () => {
  const bad: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'sqlite:./x.db'],
    ['PUBLIC_URL', 'localhost:3000'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['SMTP_URL', 'http://mail.example'],
    ['BREACHPACT_ADMIN_EMAIL', 'not-an-email'],
    ['BREACHPACT_ADMIN_PASSWORD', 'short'],
    ['LOG_LEVEL', 'verbose'],
    ['LOGIN_RATE_LIMIT', '0'],
    ['LOGIN_RATE_LIMIT', 'many'],
    ['SESSION_TTL_HOURS', '0'],
    ['SESSION_TTL_HOURS', '1.5'],
  ];
  it.each(bad)('%s=%s is rejected and named', (name, value) => {
    const e = configError({ [name]: value });
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(e.message).toContain(name);
    expect(e.name).toBe('ConfigError');
  });

  it('several bad variables are all reported at once', () => {
    const e = configError({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', PUBLIC_URL: 'nope' });
    const names = e.problems.map((p) => p.split(':')[0]).sort();
    expect(names).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL']);
    for (const n of names) expect(e.message).toContain(n);
  });

  it('the DATABASE_URL message says what is accepted', () => {
    const e = configError({ DATABASE_URL: 'mysql://x' });
    expect(e.message).toMatch(/postgres:\/\//);
  });

  it('the message does not leak the rejected secret values', () => {
    const e = configError({ BREACHPACT_ADMIN_PASSWORD: 'sekret1' });
    expect(e.message).not.toContain('sekret1');
  });
});
