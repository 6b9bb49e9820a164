import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { forEachDialect } from '../support/dialects.js';
import { client, type Response } from '../support/fixtures.js';

function expectProblem(res: Response, status: number, code: string): void {
  expect(res.status, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code, title: code });
  expect(res.json.messageJa.length).toBeGreaterThan(0);
  expect(res.json.messageEn.length).toBeGreaterThan(0);
}

describe('config: TRUST_PROXY', () => {
  it('defaults to false (the socket address); accepts true/false, a hop count or addresses/CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['proxy.example', '10.0.0.0/33', 'yes', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

const wrongLogin = (ip: string) => ({
  body: { email: 'nobody-rl@example.com', password: 'wrong-password' },
  headers: { 'x-forwarded-for': ip },
});

forEachDialect(
  'login rate limit, default (no proxy trusted)',
  (h) => {
    it('25 wrong passwords from one client, each with another X-Forwarded-For, end in 429', async () => {
      const anon = client(h.app);
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        const { body, headers } = wrongLogin(`203.0.113.${i + 1}`);
        statuses.push((await anon.post('/api/v1/session', body, headers)).status);
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
      const { body, headers } = wrongLogin('198.51.100.77');
      expectProblem(await anon.post('/api/v1/session', body, headers), 429, 'RATE_LIMITED');
    });
  },
  { env: { LOGIN_RATE_LIMIT: '20' } },
);

forEachDialect(
  'login rate limit, TRUST_PROXY set',
  (h) => {
    it('the forwarded address of a trusted proxy is the client: each address has its own count', async () => {
      const anon = client(h.app);
      // app.inject connects from 127.0.0.1, the configured proxy.
      for (let i = 0; i < 6; i++) {
        const { body, headers } = wrongLogin(`203.0.113.${i + 1}`);
        expectProblem(await anon.post('/api/v1/session', body, headers), 401, 'INVALID_CREDENTIALS');
      }
      for (let i = 0; i < 3; i++) {
        const { body, headers } = wrongLogin('198.51.100.9');
        expect((await anon.post('/api/v1/session', body, headers)).status).toBe(401);
      }
      const { body, headers } = wrongLogin('198.51.100.9');
      expectProblem(await anon.post('/api/v1/session', body, headers), 429, 'RATE_LIMITED');
    });
  },
  { env: { LOGIN_RATE_LIMIT: '3', TRUST_PROXY: '127.0.0.1' } },
);
