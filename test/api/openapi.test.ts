import fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/http/openapi.js';
import { forEachDialect } from '../support/dialects.js';
import { login } from '../../src/app/auth/sessions.js';
import { client, PASSWORD, seedWorld, type Response, type World } from '../support/fixtures.js';

type Schema = Record<string, unknown>;
interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}
interface OpenApiDoc {
  openapi: string;
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** DESIGN §5: the paths acceptance tests rely on. */
const DESIGN_PATHS = [
  'POST /api/v1/session',
  'DELETE /api/v1/session',
  'POST /api/v1/organizations',
  'GET /api/v1/organizations',
  'POST /api/v1/organizations/{id}/users',
  'POST /api/v1/agreements',
  'GET /api/v1/agreements/{id}',
  'POST /api/v1/agreements/{id}/termination-notices',
  'GET /api/v1/agreements/{id}/document',
  'POST /api/v1/agreements/{id}/incidents',
  'GET /api/v1/incidents/{id}',
  'POST /api/v1/incidents/{id}/notices',
  'POST /api/v1/notices/{id}/acknowledgement',
  'GET /api/v1/incidents/{id}/obligations',
  'GET /api/v1/agreements/{id}/obligations',
  'GET /api/v1/agreements/{id}/audit-events',
];

const typeOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : typeof v;

/**
 * A small JSON Schema check (the subset zod emits: $ref, anyOf/oneOf, type, enum/const, properties,
 * required, additionalProperties: false, items). Returns every mismatch with its path.
 */
function mismatches(doc: OpenApiDoc, schema: Schema, value: unknown, path = '$'): string[] {
  const ref = schema.$ref as string | undefined;
  if (ref) {
    const target = doc.components.schemas[ref.replace('#/components/schemas/', '')];
    return target ? mismatches(doc, target, value, path) : [`${path}: unresolved ${ref}`];
  }
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) {
    const results = branches.map((b) => mismatches(doc, b, value, path));
    return results.some((r) => r.length === 0)
      ? []
      : [`${path}: no branch matches (${results.flat().join('; ')})`];
  }
  const out: string[] = [];
  const actual = typeOf(value);
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
    return [`${path}: expected ${types.join('|')}, got ${actual}`];
  }
  if ('const' in schema && value !== schema.const) out.push(`${path}: expected ${String(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    out.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in obj)) out.push(`${path}.${name}: documented as required, missing in the reply`);
    }
    for (const [name, v] of Object.entries(obj)) {
      const p = props[name];
      if (p) out.push(...mismatches(doc, p, v, `${path}.${name}`));
      else if (schema.additionalProperties === false) out.push(`${path}.${name}: not documented`);
    }
  }
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((v, i) =>
      out.push(...mismatches(doc, schema.items as Schema, v, `${path}[${i}]`)),
    );
  }
  return out;
}

forEachDialect('OpenAPI document', (h) => {
  let w: World;
  let doc: OpenApiDoc;
  let agreementId: string;

  const operation = (key: string): Operation => {
    const [method, path] = key.split(' ') as [string, string];
    const op = doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${key} is not in the document`);
    return op;
  };

  /** The real reply has a documented status and, if a schema is documented, matches it. */
  const conforms = (key: string, res: Response) => {
    const documented = operation(key).responses[String(res.status)];
    expect(documented, `${key} answered ${res.status}, which is not documented`).toBeDefined();
    const media = String(res.headers['content-type'] ?? '').split(';')[0] as string;
    const schema = documented?.content?.[media]?.schema;
    if (res.status === 204) expect(documented?.content).toBeUndefined();
    else expect(schema, `${key} ${res.status}: no schema for ${media}`).toBeDefined();
    if (schema) expect(mismatches(doc, schema, res.json), `${key} ${res.status}`).toEqual([]);
  };

  beforeAll(async () => {
    w = await seedWorld(h.ctx, h.app);
    const res = await w.anon.get('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.json as OpenApiDoc;
    const created = await w.admin.post('/api/v1/agreements', {
      partyA: w.orgA.id,
      partyB: w.orgB.id,
      signedOn: '2026-04-01',
    });
    conforms('POST /api/v1/agreements', created);
    agreementId = created.json.id;
  });

  describe('the document', () => {
    it('is OpenAPI 3.1 with the DESIGN §5 paths', () => {
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      for (const key of DESIGN_PATHS) expect(() => operation(key), key).not.toThrow();
    });

    it('documents every /api/v1 operation from the table, with a 2xx and problem+json errors', () => {
      const inDoc: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/')) continue;
        for (const [method, op] of Object.entries(ops)) {
          const key = `${method.toUpperCase()} ${path}`;
          inDoc.push(key);
          expect(OPERATIONS[key], `${key}: add it to OPERATIONS in src/http/openapi.ts`).toBeDefined();
          const statuses = Object.keys(op.responses);
          expect(
            statuses.some((s) => /^2\d\d$/.test(s)),
            key,
          ).toBe(true);
          expect(statuses.includes('400') || statuses.includes('401'), key).toBe(true);
          for (const s of statuses.filter((x) => /^[45]/.test(x))) {
            expect(op.responses[s]?.content?.['application/problem+json']?.schema, `${key} ${s}`).toEqual({
              $ref: '#/components/schemas/Problem',
            });
          }
          for (const s of statuses)
            expect(op.responses[s]?.description, `${key} ${s}`).not.toBe('Default Response');
          // Every success with a body names its schema: the route's `schema.response` (one shape per record).
          for (const s of statuses.filter((x) => /^2\d\d$/.test(x) && x !== '204')) {
            expect(
              op.responses[s]?.content,
              `${key} ${s}: declare schema.response on the route`,
            ).toBeDefined();
          }
        }
      }
      const stale = Object.keys(OPERATIONS).filter((k) => k.includes('/api/v1/') && !inDoc.includes(k));
      expect(stale, 'OPERATIONS entries without a route').toEqual([]);
    });

    it("passes Redocly's recommended rules with no error or warning", async () => {
      const config = await createConfig({ extends: ['recommended'] });
      const problems = await lintFromString({
        source: JSON.stringify(doc),
        absoluteRef: 'openapi.json',
        config,
      });
      expect(
        problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`),
      ).toEqual([]);
    });

    it('names every operation (a unique operationId from OPERATIONS) and the server', () => {
      const ids: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const key = `${method.toUpperCase()} ${path}`;
          expect(op.operationId, key).toBe(OPERATIONS[key]?.id);
          ids.push(op.operationId as string);
        }
      }
      expect(ids.length).toBeGreaterThan(30);
      expect(new Set(ids).size).toBe(ids.length);
      expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    });

    it('GET /healthz: 200, and a malformed URL is a 400 problem', async () => {
      conforms('GET /healthz', await w.anon.get('/healthz'));
      const bad = await w.anon.get('/healthz%');
      expect(bad.status).toBe(400);
      conforms('GET /healthz', bad);
    });

    it('has a Problem component and every $ref resolves', () => {
      const problem = doc.components.schemas.Problem as { required: string[] };
      expect(problem.required).toEqual(
        expect.arrayContaining(['type', 'title', 'status', 'code', 'detail', 'messageJa', 'messageEn']),
      );
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
        (m) => m[1],
      );
      for (const name of new Set(refs)) expect(doc.components.schemas[name as string], name).toBeDefined();
    });

    it('reporting an incident: 201, problems, Idempotency-Key', () => {
      const op = operation('POST /api/v1/agreements/{id}/incidents');
      expect(Object.keys(op.responses)).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422']),
      );
      expect(op.responses['200']).toBeUndefined();
      expect(op.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      );
    });

    it('Idempotency-Key on every POST the idempotency plugin honours (not public or opted-out ones)', () => {
      // POST /api/v1/tokens opts out: its reply holds the token's secret, never stored as a replay.
      const ignored = [
        'POST /api/v1/session',
        'POST /api/v1/invitations/accept',
        'POST /api/v1/demo',
        'POST /api/v1/tokens',
        'POST /api/v1/calendar-feeds',
        // A disclosure package is a streamed ZIP (not stored for replay); each build is audited.
        'POST /api/v1/disclosures/{id}/package',
        // An evidence upload's body is a stream: it cannot be hashed for a replay before it is stored.
        'POST /api/v1/incidents/{id}/evidence',
      ];
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/') || !ops.post) continue;
        const key = `POST ${path}`;
        const names = (ops.post.parameters ?? []).map((p) => p.name);
        expect(names.includes('Idempotency-Key'), key).toBe(!ignored.includes(key));
        expect('422' in ops.post.responses, key).toBe(!ignored.includes(key));
      }
    });

    it('If-Match is documented exactly where the routes call parseIfMatch', () => {
      const routesDir = fileURLToPath(new URL('../../src/http/routes', import.meta.url));
      const source = fs
        .readdirSync(routesDir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => fs.readFileSync(join(routesDir, f), 'utf8'))
        .join('\n');
      const calls = (required: boolean) =>
        source.split(`parseIfMatch(request, ${String(required)})`).length - 1;
      const documented = (mode: string) => Object.values(OPERATIONS).filter((o) => o.ifMatch === mode).length;
      expect(documented('required')).toBe(calls(true));
      expect(documented('optional')).toBe(calls(false));
    });

    it('If-Match: required (428) on PATCH, optional on POST actions', () => {
      const patch = operation('PATCH /api/v1/incidents/{id}');
      expect(patch.parameters).toContainEqual(
        expect.objectContaining({ name: 'If-Match', in: 'header', required: true }),
      );
      expect(patch.responses['428']).toBeDefined();
      expect(operation('PATCH /api/v1/agreements/{id}').parameters).toContainEqual(
        expect.objectContaining({ name: 'If-Match', required: true }),
      );
      expect(operation('POST /api/v1/incidents/{id}/transitions').parameters).toContainEqual(
        expect.objectContaining({ name: 'If-Match', required: false }),
      );
      expect(operation('POST /api/v1/incidents/{id}/transitions').responses['428']).toBeUndefined();
    });

    it('DELETE /api/v1/session: 204; login: 429; both 201 and 200 where a repeat answers 200', () => {
      const del = operation('DELETE /api/v1/session');
      expect(del.responses['204']).toBeDefined();
      expect(del.responses['200']).toBeUndefined();
      expect(operation('POST /api/v1/session').responses['429']).toBeDefined();
      for (const key of ['POST /api/v1/notices/{id}/acknowledgement', 'POST /api/v1/demo']) {
        expect(Object.keys(operation(key).responses)).toEqual(expect.arrayContaining(['200', '201']));
      }
    });
  });

  describe('real replies match the document', () => {
    it('agreements, incidents, notices, requests, containment, obligations', async () => {
      conforms('GET /api/v1/agreements/{id}', await w.a.viewer.get(`/api/v1/agreements/${agreementId}`));

      const report = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '再委託先でのマルウェア感染',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
        causeEntity: 'subcontractor',
        infoCategories: ['personal'],
        kinds: ['cyber_attack'],
      });
      expect(report.status).toBe(201);
      conforms('POST /api/v1/agreements/{id}/incidents', report);
      const incidentId = report.json.id as string;

      const noVersion = await w.b.responder.patch(`/api/v1/incidents/${incidentId}`, { summary: '概要' });
      expect(noVersion.status).toBe(428);
      conforms('PATCH /api/v1/incidents/{id}', noVersion);
      const patched = await w.b.responder.patch(
        `/api/v1/incidents/${incidentId}`,
        { summary: '概要' },
        { 'if-match': `"${report.json.version}"` },
      );
      conforms('PATCH /api/v1/incidents/{id}', patched);
      const stale = await w.b.responder.patch(
        `/api/v1/incidents/${incidentId}`,
        { summary: '別の概要' },
        { 'if-match': `"${report.json.version}"` },
      );
      expect(stale.status).toBe(409);
      conforms('PATCH /api/v1/incidents/{id}', stale);

      const notice = await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
        items: {
          occurredOn: '2026-11-27',
          summary: '不正アクセスのおそれ',
          informationScope: null,
          expectedImpact: null,
          measures: '端末を遮断',
          otherMatters: null,
        },
      });
      expect(notice.status).toBe(201);
      conforms('POST /api/v1/incidents/{id}/notices', notice);
      const ack = await w.a.responder.post(`/api/v1/notices/${notice.json.id}/acknowledgement`);
      expect(ack.status).toBe(201);
      conforms('POST /api/v1/notices/{id}/acknowledgement', ack);
      const again = await w.a.owner.post(`/api/v1/notices/${notice.json.id}/acknowledgement`);
      expect(again.status).toBe(200);
      conforms('POST /api/v1/notices/{id}/acknowledgement', again);
      conforms('GET /api/v1/notices/{id}', await w.a.viewer.get(`/api/v1/notices/${notice.json.id}`));

      // 乙's Art 3.3 duty (containment, owed to 甲) is still open here: 甲 waives it. (甲's own
      // Art 3.3 duty, owed to 乙 from the first notice, is the other '3.3'.)
      const before = await w.a.viewer.get(`/api/v1/incidents/${incidentId}/obligations`);
      const open = (
        before.json.items as Array<{ id: string; clause: string; state: string; owedTo: string }>
      ).find((o) => o.clause === '3.3' && o.owedTo === 'A' && o.state === 'open');
      expect(open).toBeDefined();
      const waived = await w.a.legal.post(`/api/v1/obligations/${open?.id}/waiver`, { reason: '不要' });
      expect(waived.status).toBe(200);
      conforms('POST /api/v1/obligations/{id}/waiver', waived);

      const request = await w.a.legal.post(`/api/v1/incidents/${incidentId}/item-requests`, {
        question: '対象件数を教えてください',
      });
      conforms('POST /api/v1/incidents/{id}/item-requests', request);
      const answer = await w.b.responder.post(`/api/v1/item-requests/${request.json.id}/answer`, {
        answer: '約1,200件です',
      });
      conforms('POST /api/v1/item-requests/{id}/answer', answer);
      conforms(
        'POST /api/v1/incidents/{id}/containment-actions',
        await w.b.responder.post(`/api/v1/incidents/${incidentId}/containment-actions`, {
          kind: 'access_cutoff',
          description: 'VPN を停止',
        }),
      );
      conforms(
        'POST /api/v1/incidents/{id}/transitions',
        await w.b.owner.post(`/api/v1/incidents/${incidentId}/transitions`, { to: 'confirmed' }),
      );

      // The fully populated incident (notices, diff-less first notice, request, containment).
      const full = await w.a.viewer.get(`/api/v1/incidents/${incidentId}`);
      expect(full.json.notices).toHaveLength(1);
      expect(full.json.containmentActions).toHaveLength(1);
      conforms('GET /api/v1/incidents/{id}', full);
      conforms(
        'GET /api/v1/agreements/{id}/incidents',
        await w.a.viewer.get(`/api/v1/agreements/${agreementId}/incidents`),
      );
      conforms(
        'GET /api/v1/incidents/{id}/notices',
        await w.a.viewer.get(`/api/v1/incidents/${incidentId}/notices`),
      );
      const obligations = await w.a.viewer.get(`/api/v1/agreements/${agreementId}/obligations?state=all`);
      expect(obligations.json.items.length).toBeGreaterThan(0);
      conforms('GET /api/v1/agreements/{id}/obligations', obligations);
      const own = await w.a.viewer.get(`/api/v1/incidents/${incidentId}/obligations`);
      conforms('GET /api/v1/incidents/{id}/obligations', own);
      conforms(
        'GET /api/v1/incidents/{id}/audit-events',
        await w.a.viewer.get(`/api/v1/incidents/${incidentId}/audit-events`),
      );

      conforms('GET /api/v1/incidents/{id}', await w.a.viewer.get('/api/v1/incidents/inc_nonexistent'));
    });

    it('Art 5 disclosures (register, decision, disclosed, package) and party notes', async () => {
      const report = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '顧客リストの誤送信',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
      });
      const incidentId = report.json.id as string;
      await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
        items: {
          occurredOn: '2026-11-27',
          summary: '誤送信',
          informationScope: null,
          expectedImpact: null,
          measures: null,
          otherMatters: null,
        },
      });
      const filed = await w.b.legal.post(`/api/v1/incidents/${incidentId}/disclosures`, {
        recipient: '保険会社',
        purpose: '保険金請求',
        scope: '第一報',
        basis: 'consent',
      });
      expect(filed.status).toBe(201);
      conforms('POST /api/v1/incidents/{id}/disclosures', filed);
      conforms(
        'POST /api/v1/incidents/{id}/disclosures',
        await w.b.legal.post(`/api/v1/incidents/${incidentId}/disclosures`, { recipient: '保険会社' }),
      );
      const early = await w.b.legal.post(`/api/v1/disclosures/${filed.json.id}/package`, {});
      expect(early.status).toBe(403);
      conforms('POST /api/v1/disclosures/{id}/package', early);
      const own = await w.b.legal.post(`/api/v1/disclosures/${filed.json.id}/decision`, {
        decision: 'consented',
      });
      expect(own.status).toBe(403);
      conforms('POST /api/v1/disclosures/{id}/decision', own);
      const decided = await w.a.legal.post(`/api/v1/disclosures/${filed.json.id}/decision`, {
        decision: 'consented',
        conditions: '氏名を伏せる',
      });
      expect(decided.status).toBe(200);
      conforms('POST /api/v1/disclosures/{id}/decision', decided);
      conforms(
        'POST /api/v1/disclosures/{id}/decision',
        await w.a.legal.post(`/api/v1/disclosures/${filed.json.id}/decision`, { decision: 'refused' }),
      );
      const disclosed = await w.b.legal.post(`/api/v1/disclosures/${filed.json.id}/disclosed`, {
        disclosedAt: '2026-11-28T01:00:00Z',
      });
      expect(disclosed.status).toBe(200);
      conforms('POST /api/v1/disclosures/{id}/disclosed', disclosed);
      const zip = await w.b.legal.post(`/api/v1/disclosures/${filed.json.id}/package`, {
        includeIncident: true,
      });
      expect(zip.status).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      expect(operation('POST /api/v1/disclosures/{id}/package').responses['200']?.content).toHaveProperty(
        'application/zip',
      );
      const register = await w.a.viewer.get(`/api/v1/incidents/${incidentId}/disclosures`);
      expect(register.json.items[0].packages).toHaveLength(1);
      conforms('GET /api/v1/incidents/{id}/disclosures', register);

      const note = await w.b.owner.post(`/api/v1/incidents/${incidentId}/notes`, {
        body: '社内メモ',
        visibility: 'party',
      });
      expect(note.status).toBe(201);
      conforms('POST /api/v1/incidents/{id}/notes', note);
      conforms(
        'GET /api/v1/incidents/{id}/notes',
        await w.b.viewer.get(`/api/v1/incidents/${incidentId}/notes`),
      );
      conforms(
        'GET /api/v1/incidents/{id}/notes',
        await w.c.owner.get(`/api/v1/incidents/${incidentId}/notes`),
      );
    });

    it('evidence (Art 4.2(7)): upload, list, metadata, share, content, custody', async () => {
      const incidentId = (
        await w.a.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
          reportingParty: 'A',
          title: '証跡の保全',
          suspected: true,
          discoveredAt: '2026-11-27T23:40:00+09:00',
        })
      ).json.id as string;
      const { token } = await login(h.ctx, w.emails['a.legal'] as string, PASSWORD);
      const raw = async (method: 'GET' | 'POST', url: string, payload?: Buffer) => {
        const res = await h.app.inject({
          method,
          url,
          headers: {
            cookie: `bp_session=${token}`,
            ...(payload ? { 'content-type': 'application/octet-stream' } : {}),
          },
          ...(payload ? { payload } : {}),
        });
        let json: unknown;
        try {
          json = JSON.parse(res.body);
        } catch {
          json = res.body; // the bytes: the documented binary string
        }
        return { status: res.statusCode, headers: res.headers, body: res.body, json };
      };
      const up = await raw(
        'POST',
        `/api/v1/incidents/${incidentId}/evidence?filename=ログ.txt`,
        Buffer.from('log'),
      );
      expect(up.status, up.body).toBe(201);
      conforms('POST /api/v1/incidents/{id}/evidence', up);
      conforms(
        'POST /api/v1/incidents/{id}/evidence',
        await raw('POST', `/api/v1/incidents/${incidentId}/evidence?filename=..`, Buffer.from('x')),
      );
      const id = (up.json as { id: string }).id;
      conforms(
        'GET /api/v1/incidents/{id}/evidence',
        await w.a.viewer.get(`/api/v1/incidents/${incidentId}/evidence`),
      );
      conforms('GET /api/v1/evidence/{id}', await w.a.viewer.get(`/api/v1/evidence/${id}`));
      conforms('GET /api/v1/evidence/{id}', await w.b.viewer.get(`/api/v1/evidence/${id}`));
      conforms('POST /api/v1/evidence/{id}/share', await w.a.viewer.post(`/api/v1/evidence/${id}/share`));
      conforms('POST /api/v1/evidence/{id}/share', await w.a.owner.post(`/api/v1/evidence/${id}/share`));
      const content = await raw('GET', `/api/v1/evidence/${id}/content`);
      expect(content.status).toBe(200);
      conforms('GET /api/v1/evidence/{id}/content', content);
      conforms('GET /api/v1/evidence/{id}/custody', await w.a.viewer.get(`/api/v1/evidence/${id}/custody`));
      conforms('GET /api/v1/evidence/{id}/custody', await w.admin.get(`/api/v1/evidence/${id}/custody`));
    });

    it('Art 4.2 cooperation requests and Art 12 consultations', async () => {
      const report = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '協力要請の確認',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
      });
      const incidentId = report.json.id as string;
      await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
        items: {
          occurredOn: '2026-11-27',
          summary: '不正アクセス',
          informationScope: null,
          expectedImpact: null,
          measures: null,
          otherMatters: null,
        },
      });
      const asked = await w.a.owner.post(`/api/v1/incidents/${incidentId}/cooperation-requests`, {
        category: 'evidence_and_logs',
        details: 'ログ',
      });
      expect(asked.status).toBe(201);
      conforms('POST /api/v1/incidents/{id}/cooperation-requests', asked);
      conforms(
        'POST /api/v1/incidents/{id}/cooperation-requests',
        await w.a.owner.post(`/api/v1/incidents/${incidentId}/cooperation-requests`, { category: 'x' }),
      );
      const respond = (c: typeof w.a.owner, body: Record<string, unknown>) =>
        c.post(`/api/v1/cooperation-requests/${asked.json.id}/response`, body);
      conforms(
        'POST /api/v1/cooperation-requests/{id}/response',
        await respond(w.a.owner, { decision: 'accepted' }),
      );
      const accepted = await respond(w.b.owner, { decision: 'accepted', deliverBy: '2026-12-01T00:00:00Z' });
      expect(accepted.status).toBe(200);
      conforms('POST /api/v1/cooperation-requests/{id}/response', accepted);
      conforms(
        'POST /api/v1/cooperation-requests/{id}/response',
        await respond(w.b.owner, { decision: 'declined', reason: 'x' }),
      );
      conforms(
        'GET /api/v1/incidents/{id}/cooperation-requests',
        await w.a.viewer.get(`/api/v1/incidents/${incidentId}/cooperation-requests`),
      );
      conforms(
        'GET /api/v1/incidents/{id}/obligations',
        await w.b.viewer.get(`/api/v1/incidents/${incidentId}/obligations`),
      );

      const opened = await w.a.owner.post('/api/v1/consultations', {
        subjectType: 'cooperation_request',
        subjectId: asked.json.id,
        topic: '提供期限',
      });
      expect(opened.status).toBe(201);
      conforms('POST /api/v1/consultations', opened);
      conforms(
        'POST /api/v1/consultations',
        await w.a.owner.post('/api/v1/consultations', { subjectType: 'x' }),
      );
      const id = opened.json.id as string;
      conforms(
        'POST /api/v1/consultations/{id}/messages',
        await w.b.owner.post(`/api/v1/consultations/${id}/messages`, { body: '了解' }),
      );
      conforms(
        'POST /api/v1/consultations/{id}/confirmation',
        await w.b.owner.post(`/api/v1/consultations/${id}/confirmation`, {}),
      );
      conforms(
        'POST /api/v1/consultations/{id}/outcome',
        await w.a.owner.post(`/api/v1/consultations/${id}/outcome`, { text: '12月1日まで' }),
      );
      conforms(
        'POST /api/v1/consultations/{id}/confirmation',
        await w.a.owner.post(`/api/v1/consultations/${id}/confirmation`, {}),
      );
      conforms(
        'POST /api/v1/consultations/{id}/confirmation',
        await w.b.owner.post(`/api/v1/consultations/${id}/confirmation`, {}),
      );
      conforms('GET /api/v1/consultations/{id}', await w.a.viewer.get(`/api/v1/consultations/${id}`));
      conforms('GET /api/v1/consultations/{id}', await w.c.owner.get(`/api/v1/consultations/${id}`));
      conforms(
        'GET /api/v1/incidents/{id}/consultations',
        await w.b.viewer.get(`/api/v1/incidents/${incidentId}/consultations`),
      );
      const minutes = await w.a.viewer.get(`/api/v1/consultations/${id}/minutes.docx`);
      expect(minutes.status).toBe(200);
      expect(
        operation('GET /api/v1/consultations/{id}/minutes.docx').responses['200']?.content,
      ).toHaveProperty('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    });

    it('Art 6 announcements and mutual termination (合意解約)', async () => {
      const report = await w.b.responder.post(`/api/v1/agreements/${agreementId}/incidents`, {
        reportingParty: 'B',
        title: '公表を要する事故',
        suspected: true,
        discoveredAt: '2026-11-27T23:40:00+09:00',
      });
      const incidentId = report.json.id as string;
      await w.b.responder.post(`/api/v1/incidents/${incidentId}/notices`, {
        items: {
          occurredOn: '2026-11-27',
          summary: '不正アクセス',
          informationScope: null,
          expectedImpact: null,
          measures: null,
          otherMatters: null,
        },
      });
      const draft = await w.a.responder.post(`/api/v1/incidents/${incidentId}/announcements`, {
        channel: 'press_release',
        title: 'お知らせ',
        body: '調査中です。',
      });
      expect(draft.status).toBe(201);
      conforms('POST /api/v1/incidents/{id}/announcements', draft);
      conforms(
        'POST /api/v1/incidents/{id}/announcements',
        await w.a.responder.post(`/api/v1/incidents/${incidentId}/announcements`, { channel: 'tv' }),
      );
      const id = draft.json.id as string;
      const v2 = await w.b.responder.post(`/api/v1/announcements/${id}/versions`, {
        title: 'お知らせ',
        body: '第2版',
      });
      conforms('POST /api/v1/announcements/{id}/versions', v2);
      const stale = await w.a.legal.post(`/api/v1/announcements/${id}/approvals`, { version: 1 });
      expect(stale.status).toBe(409);
      conforms('POST /api/v1/announcements/{id}/approvals', stale);
      conforms(
        'POST /api/v1/announcements/{id}/approvals',
        await w.a.legal.post(`/api/v1/announcements/${id}/approvals`, { version: 2 }),
      );
      const notApproved = await w.a.legal.post(`/api/v1/announcements/${id}/publication`, { version: 2 });
      expect(notApproved.status).toBe(409);
      conforms('POST /api/v1/announcements/{id}/publication', notApproved);
      await w.b.legal.post(`/api/v1/announcements/${id}/approvals`, { version: 2 });
      const published = await w.a.legal.post(`/api/v1/announcements/${id}/publication`, {
        version: 2,
        url: 'https://example.com/news',
      });
      expect(published.status).toBe(200);
      conforms('POST /api/v1/announcements/{id}/publication', published);
      const emergency = (
        await w.b.legal.post(`/api/v1/incidents/${incidentId}/announcements`, {
          channel: 'website',
          title: '注意喚起',
          body: '偽サイトにご注意ください。',
        })
      ).json.id as string;
      const urgent = await w.b.legal.post(`/api/v1/announcements/${emergency}/publication`, {
        version: 1,
        emergency: { reason: 'prevent_harm', explanation: '偽サイトが公開された' },
      });
      expect(urgent.status).toBe(200);
      conforms('POST /api/v1/announcements/{id}/publication', urgent);
      conforms('GET /api/v1/announcements/{id}', await w.a.viewer.get(`/api/v1/announcements/${id}`));
      conforms('GET /api/v1/announcements/{id}', await w.c.owner.get(`/api/v1/announcements/${id}`));
      conforms(
        'GET /api/v1/incidents/{id}/announcements',
        await w.b.viewer.get(`/api/v1/incidents/${incidentId}/announcements`),
      );
      conforms('GET /api/v1/incidents/{id}', await w.a.viewer.get(`/api/v1/incidents/${incidentId}`));

      const other = (
        await w.admin.post('/api/v1/agreements', {
          partyA: w.orgA.id,
          partyB: w.orgB.id,
          signedOn: '2026-04-01',
        })
      ).json.id as string;
      const past = await w.a.owner.post(`/api/v1/agreements/${other}/mutual-termination`, {
        effectiveOn: '2026-01-01',
      });
      expect(past.status).toBe(400);
      conforms('POST /api/v1/agreements/{id}/mutual-termination', past);
      const proposed = await w.a.owner.post(`/api/v1/agreements/${other}/mutual-termination`, {
        effectiveOn: '2026-12-31',
      });
      expect(proposed.status).toBe(201);
      conforms('POST /api/v1/agreements/{id}/mutual-termination', proposed);
      const own = await w.a.legal.post(`/api/v1/agreements/${other}/mutual-termination/confirmation`);
      expect(own.status).toBe(403);
      conforms('POST /api/v1/agreements/{id}/mutual-termination/confirmation', own);
      conforms('GET /api/v1/agreements/{id}', await w.a.viewer.get(`/api/v1/agreements/${other}`));
      conforms(
        'POST /api/v1/agreements/{id}/mutual-termination/withdrawal',
        await w.a.owner.post(`/api/v1/agreements/${other}/mutual-termination/withdrawal`),
      );
      await w.b.owner.post(`/api/v1/agreements/${other}/mutual-termination`, { effectiveOn: '2026-12-31' });
      const confirmed = await w.a.owner.post(`/api/v1/agreements/${other}/mutual-termination/confirmation`);
      expect(confirmed.status).toBe(200);
      conforms('POST /api/v1/agreements/{id}/mutual-termination/confirmation', confirmed);
      conforms(
        'GET /api/v1/agreements/{id}',
        await w.a.viewer.get(`/api/v1/agreements/${other}?on=2026-12-31`),
      );
    });

    it('idempotency replays and refusals', async () => {
      const url = `/api/v1/agreements/${agreementId}/termination-notices`;
      const key = { 'idempotency-key': `oa-${h.dialect}` };
      const first = await w.a.owner.post(url, { byParty: 'A', receivedOn: '2026-11-28' }, key);
      expect(first.status).toBe(201);
      conforms('POST /api/v1/agreements/{id}/termination-notices', first);
      const reused = await w.a.owner.post(url, { byParty: 'A', receivedOn: '2026-11-29' }, key);
      expect(reused.status).toBe(422);
      conforms('POST /api/v1/agreements/{id}/termination-notices', reused);
    });

    it('organisations, users, webhooks and the session', async () => {
      const org = await w.admin.post('/api/v1/organizations', {
        name: '丁株式会社',
        address: '福岡県福岡市中央区天神一丁目1番1号',
        representative: '代表取締役 田中次郎',
      });
      conforms('POST /api/v1/organizations', org);
      const email = `oa-${h.dialect}-${Date.now()}@example.com`;
      conforms(
        'POST /api/v1/organizations/{id}/users',
        await w.admin.post(`/api/v1/organizations/${org.json.id}/users`, {
          email,
          name: '田中',
          role: 'owner',
          password: PASSWORD,
        }),
      );
      const hook = await w.b.owner.post(`/api/v1/organizations/${w.orgB.id}/webhooks`, {
        url: 'https://example.com/hook',
        events: ['incident.reported'],
      });
      conforms('POST /api/v1/organizations/{id}/webhooks', hook);
      conforms(
        'GET /api/v1/organizations/{id}/webhooks',
        await w.b.owner.get(`/api/v1/organizations/${w.orgB.id}/webhooks`),
      );
      conforms(
        'DELETE /api/v1/organizations/{id}/webhooks/{webhookId}',
        await w.b.owner.delete(`/api/v1/organizations/${w.orgB.id}/webhooks/${hook.json.id}`),
      );

      const login = await w.anon.post('/api/v1/session', { email, password: PASSWORD });
      conforms('POST /api/v1/session', login);
      conforms(
        'POST /api/v1/session',
        await w.anon.post('/api/v1/session', { email, password: 'wrong-password' }),
      );
      const cookie = String(login.headers['set-cookie']).match(/bp_session=([^;]+)/)?.[1];
      expect(cookie).toBeDefined();
      const me = client(h.app, { session: cookie as string });
      conforms('GET /api/v1/session', await me.get('/api/v1/session'));
      // Me and the daily digest opt-out (issue 8, item 5).
      conforms('GET /api/v1/me', await me.get('/api/v1/me'));
      conforms('PATCH /api/v1/me', await me.patch('/api/v1/me', { dailyDigest: false }));
      conforms('PATCH /api/v1/me', await me.patch('/api/v1/me', {}));
      // The access lifecycle (issue 7, finding 7): my tokens, my password, the owner's member changes.
      const token = await me.post('/api/v1/tokens', { name: 'oa', expiresInDays: 30 });
      conforms('POST /api/v1/tokens', token);
      conforms('GET /api/v1/tokens', await me.get('/api/v1/tokens'));
      conforms('DELETE /api/v1/tokens/{id}', await me.delete(`/api/v1/tokens/${token.json.id}`));
      conforms('DELETE /api/v1/tokens/{id}', await me.delete(`/api/v1/tokens/${token.json.id}`));
      // Calendar feeds (issue 8, item 4): the secret .ics URL answers without a session.
      const feed = await me.post('/api/v1/calendar-feeds');
      conforms('POST /api/v1/calendar-feeds', feed);
      conforms('GET /api/v1/calendar-feeds', await me.get('/api/v1/calendar-feeds'));
      const ics = new URL(feed.json.url as string).pathname;
      const feedText = await w.anon.get(ics); // text/calendar: the body itself is the documented string
      conforms('GET /api/v1/calendar/{feedToken}.ics', { ...feedText, json: feedText.body });
      conforms(
        'DELETE /api/v1/calendar-feeds/{id}',
        await me.delete(`/api/v1/calendar-feeds/${feed.json.id}`),
      );
      conforms(
        'DELETE /api/v1/calendar-feeds/{id}',
        await me.delete(`/api/v1/calendar-feeds/${feed.json.id}`),
      );
      conforms('GET /api/v1/calendar/{feedToken}.ics', await w.anon.get(ics));
      conforms(
        'POST /api/v1/me/password',
        await me.post('/api/v1/me/password', { currentPassword: 'wrong-password', newPassword: PASSWORD }),
      );
      conforms(
        'POST /api/v1/me/password',
        await me.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: PASSWORD }),
      );
      const orgOwner = (await me.get('/api/v1/session')).json.user;
      const colleague = await me.post(`/api/v1/organizations/${orgOwner.organizationId}/users`, {
        email: `oa-colleague-${h.dialect}-${Date.now()}@example.com`,
        name: '同僚',
        role: 'viewer',
      });
      const memberUrl = `/api/v1/organizations/${orgOwner.organizationId}/users/${colleague.json.id}`;
      conforms(
        'PATCH /api/v1/organizations/{id}/users/{userId}',
        await me.patch(memberUrl, { role: 'legal' }),
      );
      conforms(
        'PATCH /api/v1/organizations/{id}/users/{userId}',
        await me.patch(`/api/v1/organizations/${orgOwner.organizationId}/users/${orgOwner.id}`, {
          disabled: true,
        }),
      );
      conforms('DELETE /api/v1/organizations/{id}/users/{userId}', await me.delete(memberUrl));
      conforms('DELETE /api/v1/session', await me.delete('/api/v1/session'));
      conforms('GET /api/v1/session', await me.get('/api/v1/session'));
    });
  });
});
