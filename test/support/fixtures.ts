import type { FastifyInstance } from 'fastify';
import { createAdmin } from '../../src/app/auth/bootstrap-admin.js';
import { login } from '../../src/app/auth/sessions.js';
import type { AppContext } from '../../src/app/context.js';
import { createOrganization } from '../../src/app/organizations/create-organization.js';
import { createUser, type OrganizationRole } from '../../src/app/users/create-user.js';
import type { OrganizationRecord } from '../../src/persistence/repositories/organizations.js';

export interface Response {
  status: number;
  headers: Record<string, string | number | string[] | undefined>;
  body: string;
  json: any;
}

export interface Client {
  get(url: string, headers?: Record<string, string>): Promise<Response>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  delete(url: string, headers?: Record<string, string>): Promise<Response>;
}

/** An HTTP client over `app.inject`, authenticated by a session cookie, a bearer token, or nothing. */
export function client(app: FastifyInstance, auth: { session?: string; bearer?: string } = {}): Client {
  const base: Record<string, string> = {};
  if (auth.session) base.cookie = `bp_session=${auth.session}`;
  if (auth.bearer) base.authorization = `Bearer ${auth.bearer}`;
  const send = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...base, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    let json: unknown;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: res.body, json };
  };
  return {
    get: (url, headers) => send('GET', url, undefined, headers),
    post: (url, body, headers) => send('POST', url, body ?? {}, headers),
    patch: (url, body, headers) => send('PATCH', url, body ?? {}, headers),
    delete: (url, headers) => send('DELETE', url, undefined, headers),
  };
}

export interface World {
  admin: Client;
  anon: Client;
  orgA: OrganizationRecord;
  orgB: OrganizationRecord;
  orgC: OrganizationRecord;
  /** Users of party A (甲), B (乙) and an outsider C, by role. */
  a: Record<OrganizationRole, Client>;
  b: Record<OrganizationRole, Client>;
  c: Record<OrganizationRole, Client>;
  emails: Record<string, string>;
}

const ROLES: OrganizationRole[] = ['owner', 'legal', 'responder', 'viewer'];
export const PASSWORD = 'correct-horse-battery';

let counter = 0;

/** Three organisations with one user per role each, and an administrator, all logged in. */
export async function seedWorld(ctx: AppContext, app: FastifyInstance): Promise<World> {
  const tag = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const system = { kind: 'system', label: 'test' } as const;
  const adminEmail = `admin-${tag}@example.com`;
  await createAdmin(ctx, { email: adminEmail, name: '管理者', password: PASSWORD });
  const orgA = await createOrganization(ctx, system, {
    name: '甲商事株式会社',
    address: '東京都千代田区丸の内一丁目1番1号',
    representative: '代表取締役 山田太郎',
  });
  const orgB = await createOrganization(ctx, system, {
    name: '乙システム株式会社',
    address: '大阪府大阪市北区梅田二丁目2番2号',
    representative: '代表取締役 佐藤花子',
  });
  const orgC = await createOrganization(ctx, system, {
    name: '丙データ株式会社',
    address: '神奈川県横浜市西区みなとみらい3-3-3',
    representative: '代表取締役 鈴木一郎',
  });
  const emails: Record<string, string> = { admin: adminEmail };
  const usersOf = async (org: OrganizationRecord, key: string) => {
    const out = {} as Record<OrganizationRole, Client>;
    for (const role of ROLES) {
      const email = `${key}-${role}-${tag}@example.com`;
      emails[`${key}.${role}`] = email;
      await createUser(ctx, system, {
        organizationId: org.id,
        email,
        name: `${key.toUpperCase()} ${role}`,
        role,
        password: PASSWORD,
      });
      out[role] = client(app, { session: (await login(ctx, email, PASSWORD)).token });
    }
    return out;
  };
  return {
    admin: client(app, { session: (await login(ctx, adminEmail, PASSWORD)).token }),
    anon: client(app),
    orgA,
    orgB,
    orgC,
    a: await usersOf(orgA, 'a'),
    b: await usersOf(orgB, 'b'),
    c: await usersOf(orgC, 'c'),
    emails,
  };
}

/** Snapshot of every table, to assert that a rejected request changed nothing. */
export async function snapshot(ctx: AppContext): Promise<string> {
  const tables = [
    'organizations',
    'users',
    'agreements',
    'termination_notices',
    'audit_events',
    'audit_heads',
    'invitations',
    'outbox',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const t of tables) {
    out[t] = await ctx.db.kysely
      .selectFrom(t)
      .selectAll()
      .orderBy(t === 'audit_heads' ? 'chain' : 'id')
      .execute();
  }
  return JSON.stringify(out);
}

/** The six Art 3.2 items of a typical 第一報 (null = 調査中). */
export const FIRST_ITEMS = {
  occurredOn: '2026-11-27',
  summary: '再委託先の作業端末がマルウェアに感染し、顧客リストへの不正アクセスのおそれ',
  informationScope: null,
  expectedImpact: null,
  measures: '当該端末をネットワークから遮断',
  otherMatters: '続報は24時間以内',
};
