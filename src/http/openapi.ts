import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { z } from 'zod';
import { CAUSE_ENTITIES, INCIDENT_KINDS, INFO_CATEGORIES } from '../domain/incident/classification.js';
import { NOTICE_ITEMS } from '../domain/incident/notice.js';
import { INCIDENT_STATES } from '../domain/incident/state.js';
import { ERROR_STATUS } from '../domain/shared/errors.js';
import { AuditEventList, AuditEventSchema } from './routes/agreements/schema.js';
import { ContainmentBody, ObligationStates } from './routes/incidents/schema.js';
import { PartyCode, Problem as ProblemSchema } from './schemas.js';

/**
 * The OpenAPI document's finishing touches, layered on fastify-type-provider-zod's transforms.
 * Replies are pre-serialised and never re-validated (docs/ARCHITECTURE.md, hot read path), so
 * routes do not all carry zod `response` schemas; this module documents per operation (keyed
 * `METHOD path`) the success status(es) and body, the `Idempotency-Key` / `If-Match` headers, and
 * the problem+json error responses. The schemas below mirror the serializers in
 * `routes/**\/serialize.ts` field by field; test/api/openapi.test.ts checks them against real replies.
 */

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

// ---------------------------------------------------------------------------------------------
// Response schemas (documentation only)

const Label = z.object({ ja: z.string(), en: z.string() });
const Instant = z.string().meta({ format: 'date-time', description: 'ISO-8601 instant in UTC' });
const PartyRef = z.object({ id: z.string(), name: z.string() });
const UserRef = z.object({ id: z.string(), name: z.string().nullable() });
const IncidentState = z.enum(INCIDENT_STATES);

export const ObligationSchema = z
  .object({
    id: z.string().meta({ example: 'obl_01jz0000000000000000000000_3-1' }),
    clause: z.enum(['3.1', '3.2(6)', '3.3']),
    title: Label,
    incidentId: z.string(),
    agreementId: z.string(),
    owedBy: PartyCode,
    owedTo: PartyCode,
    startsAt: Instant,
    dueAt: Instant,
    state: z.enum(ObligationStates),
    secondsLeft: z.number().int().meta({ description: 'Seconds until dueAt (negative once past)' }),
    metBy: z
      .object({ type: z.enum(['notice', 'item_request', 'containment']), id: z.string(), at: Instant })
      .nullable(),
    metAt: Instant.nullable(),
    waived: z.object({ byUserId: z.string().nullable(), reason: z.string(), at: Instant }).nullable(),
    sourceId: z.string().meta({ description: 'The record that created the duty (incident or item request)' }),
  })
  .meta({ id: 'Obligation', description: 'A duty under Art 3 with its clock, derived as of now' });

const NoticeItemsOut = z.object(
  Object.fromEntries(NOTICE_ITEMS.map((k) => [k, z.string().nullable()])) as Record<
    (typeof NOTICE_ITEMS)[number],
    z.ZodNullable<z.ZodString>
  >,
);

export const NoticeSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    agreementId: z.string(),
    fromParty: PartyCode,
    number: z.number().int(),
    version: z.number().int().meta({ description: 'The same as number (続報 carry a version)' }),
    kind: z.enum(['first', 'follow_up']),
    label: Label,
    items: NoticeItemsOut.meta({ description: 'Art 3.2 items; null = 調査中 (under investigation)' }),
    pendingItems: z.array(z.enum(NOTICE_ITEMS)),
    diff: z
      .array(
        z.object({
          item: z.enum(NOTICE_ITEMS),
          change: z.enum(['unchanged', 'added', 'changed', 'withdrawn']),
          before: z.string().nullable(),
          after: z.string().nullable(),
        }),
      )
      .nullable()
      .meta({ description: 'Against the previous notice; null for the 第一報' }),
    sentAt: Instant,
    sentBy: UserRef.nullable(),
    acknowledgedAt: Instant.nullable(),
    acknowledgedBy: UserRef.nullable(),
  })
  .meta({ id: 'Notice', description: 'A notice under Art 3.1-3.2 (第一報 or 続報)' });

export const ItemRequestSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    requestedByParty: PartyCode,
    requestedBy: z.string().nullable(),
    question: z.string(),
    requestedAt: Instant,
    dueAt: Instant,
    answer: z.string().nullable(),
    answeredAt: Instant.nullable(),
    answeredBy: z.string().nullable(),
    requestedByName: z.string().nullable(),
    answeredByName: z.string().nullable(),
  })
  .meta({ id: 'ItemRequest', description: 'A request for further items (Art 3.2(6)) and its answer' });

const ContainmentKind = ContainmentBody.shape.kind;
const ContainmentReason = z
  .string()
  .nullable()
  .meta({ description: 'none_needed: why no measure is needed (the description); otherwise null' });

const ContainmentRecordSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  byParty: PartyCode,
  kind: ContainmentKind,
  description: z.string(),
  reason: ContainmentReason,
  takenAt: Instant,
  result: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: Instant,
});

const incidentFields = {
  id: z.string().meta({ example: 'inc_01jz0000000000000000000000' }),
  agreementId: z.string(),
  version: z.number().int().meta({ description: 'Send it back in If-Match' }),
  reportingParty: PartyCode,
  title: z.string(),
  summary: z.string(),
  infoCategories: z.array(z.enum(INFO_CATEGORIES)),
  infoCategoryLabels: z.array(Label),
  kinds: z.array(z.enum(INCIDENT_KINDS)),
  kindLabels: z.array(Label),
  causeEntity: z.enum(CAUSE_ENTITIES),
  causeEntityLabel: Label,
  suspected: z.boolean(),
  state: IncidentState,
  stateLabel: Label,
  dismissedReason: z.string().nullable(),
  dismissedAt: Instant.nullable(),
  occurredAt: Instant.nullable(),
  discoveredAt: Instant,
  affectedPersons: z.number().int().nullable(),
  affectedPersonsEstimated: z.boolean(),
  affectedRecords: z.number().int().nullable(),
  affectedRecordsEstimated: z.boolean(),
  dataItems: z.array(z.string()),
  sensitiveData: z.boolean(),
  financialHarmRisk: z.boolean(),
  improperPurpose: z.boolean(),
  encrypted: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
};

export const IncidentSummarySchema = z
  .object({ ...incidentFields, obligations: z.array(ObligationSchema).optional() })
  .meta({ id: 'IncidentSummary', description: 'An incident in a list, with its obligations' });

export const IncidentSchema = z
  .object({
    ...incidentFields,
    obligations: z.array(ObligationSchema),
    myParty: PartyCode,
    allowedTransitions: z.array(IncidentState),
    agreement: z.object({
      id: z.string(),
      noticeTargetHours: z.number().int(),
      containmentTargetHours: z.number().int(),
    }),
    notices: z.array(NoticeSchema),
    itemRequests: z.array(ItemRequestSchema),
    parties: z.object({ A: PartyRef, B: PartyRef }),
    containmentActions: z.array(
      z.object({
        id: z.string(),
        byParty: PartyCode,
        kind: ContainmentKind,
        description: z.string(),
        reason: ContainmentReason,
        takenAt: Instant,
        result: z.string().nullable(),
        recordedBy: UserRef.nullable(),
        createdAt: Instant,
      }),
    ),
    createdByName: z.string().nullable(),
  })
  .meta({
    id: 'Incident',
    description: 'An incident with its notices, requests, containment and obligations (ETag: its version)',
  });

const WebhookSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    createdAt: Instant,
  })
  .meta({ id: 'Webhook' });

const DemoResultSchema = z.object({
  created: z.boolean(),
  password: z.string().nullable().meta({ description: 'The demo users’ password; null if already loaded' }),
  accounts: z.array(
    z.object({
      organization: z.string(),
      party: PartyCode,
      email: z.string(),
      name: z.string(),
      role: z.enum(['owner', 'legal', 'responder', 'viewer']),
    }),
  ),
  agreementId: z.string().nullable(),
  incidentId: z.string().nullable(),
});

const items = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });

// ---------------------------------------------------------------------------------------------
// The operations table

type SuccessStatus = 200 | 201 | 204;

export interface OperationDoc {
  /** Documented success statuses and their descriptions. */
  success: Partial<Record<SuccessStatus, string>>;
  /** The JSON body of the success responses, when the route does not declare one itself. */
  schema?: z.ZodType;
  /** Other media types of the success body (instead of `schema`). */
  content?: Record<string, z.ZodType>;
  /** The operation reads `If-Match` (parseIfMatch): required → 428 VERSION_REQUIRED when missing. */
  ifMatch?: 'required' | 'optional';
}

const Binary = z.string().meta({ format: 'binary' });

/** Keyed `METHOD /path/{param}` as in the document; every /api/v1 operation must be listed. */
export const OPERATIONS: Record<string, OperationDoc> = {
  'GET /healthz': { success: { 200: 'Alive; the database answered' } },

  'POST /api/v1/session': { success: { 200: 'Logged in; the httpOnly session cookie is set' } },
  'GET /api/v1/session': { success: { 200: 'The logged-in user' } },
  'DELETE /api/v1/session': { success: { 204: 'Logged out; the session cookie is cleared' } },
  'PATCH /api/v1/me': { success: { 200: 'The user, with the new language' } },
  'POST /api/v1/invitations/accept': { success: { 200: 'Password set; the user' } },

  'POST /api/v1/organizations': { success: { 201: 'The organisation was created' } },
  'GET /api/v1/organizations': { success: { 200: 'Organisations visible to me' } },
  'GET /api/v1/organizations/directory': { success: { 200: 'Organisation names' } },
  'GET /api/v1/organizations/{id}': { success: { 200: 'The organisation' } },
  'GET /api/v1/organizations/{id}/users': { success: { 200: 'Users of the organisation' } },
  'POST /api/v1/organizations/{id}/users': {
    success: { 201: 'The user was created (invitation mailed when no password was given)' },
  },

  'POST /api/v1/agreements': {
    success: { 201: 'The agreement was created, with its term (ETag: version; Location)' },
  },
  'GET /api/v1/agreements': { success: { 200: 'My agreements with their terms' } },
  'GET /api/v1/agreements/{id}': { success: { 200: 'The agreement with its term (ETag: version)' } },
  'PATCH /api/v1/agreements/{id}': {
    success: { 200: 'The updated draft (ETag: new version)' },
    ifMatch: 'required',
  },
  'POST /api/v1/agreements/{id}/sign': {
    success: { 200: 'The signed, now active agreement (ETag: new version)' },
    ifMatch: 'optional',
  },
  'POST /api/v1/agreements/{id}/termination-notices': {
    success: { 201: 'The termination notice was recorded, with its effect on the term' },
  },
  'GET /api/v1/agreements/{id}/document': {
    success: { 200: 'The memorandum document (HTML inline, DOCX as an attachment)' },
    content: {
      'text/html': z.string(),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document': Binary,
    },
  },
  'GET /api/v1/agreements/{id}/audit-events': {
    success: { 200: 'The audit events and the chain verification' },
  },

  'POST /api/v1/agreements/{id}/incidents': {
    success: { 201: 'The incident was reported; its clocks run (ETag: version; Location)' },
    schema: IncidentSchema,
  },
  'GET /api/v1/agreements/{id}/incidents': {
    success: { 200: 'Incidents under the agreement' },
    schema: items(IncidentSummarySchema),
  },
  'GET /api/v1/incidents/{id}': { success: { 200: 'The incident (ETag: version)' }, schema: IncidentSchema },
  'PATCH /api/v1/incidents/{id}': {
    success: { 200: 'The updated incident (ETag: new version)' },
    schema: IncidentSchema,
    ifMatch: 'required',
  },
  'POST /api/v1/incidents/{id}/transitions': {
    success: { 200: 'The incident in its new state (ETag: new version)' },
    schema: IncidentSchema,
    ifMatch: 'optional',
  },
  'POST /api/v1/incidents/{id}/notices': {
    success: { 201: 'The notice was sent (Location)' },
    schema: NoticeSchema,
  },
  'GET /api/v1/incidents/{id}/notices': {
    success: { 200: 'Notices of the incident, oldest first' },
    schema: items(NoticeSchema),
  },
  'POST /api/v1/incidents/{id}/item-requests': {
    success: { 201: 'The request was recorded; the reporting party owes an answer' },
    schema: ItemRequestSchema,
  },
  'POST /api/v1/item-requests/{id}/answer': {
    success: { 200: 'The answered request' },
    schema: ItemRequestSchema,
  },
  'POST /api/v1/incidents/{id}/containment-actions': {
    success: { 201: 'The containment action was recorded' },
    schema: ContainmentRecordSchema,
  },
  'GET /api/v1/incidents/{id}/audit-events': {
    success: { 200: "The incident's audit events and the chain verification" },
    schema: z.object({ items: z.array(AuditEventSchema), verification: AuditEventList.shape.verification }),
  },
  'GET /api/v1/incidents/{id}/obligations': {
    success: { 200: "The incident's obligations" },
    schema: items(ObligationSchema),
  },

  'GET /api/v1/notices/{id}': { success: { 200: 'The notice' }, schema: NoticeSchema },
  'POST /api/v1/notices/{id}/acknowledgement': {
    success: {
      201: 'Acknowledged now',
      200: 'Already acknowledged: the first acknowledgement stands (alreadyAcknowledged: true)',
    },
    schema: NoticeSchema.extend({ alreadyAcknowledged: z.boolean() }),
  },
  'GET /api/v1/agreements/{id}/obligations': {
    success: { 200: "Obligations across the agreement's incidents, soonest first" },
    schema: items(
      ObligationSchema.extend({
        incident: z.object({ id: z.string(), title: z.string(), state: IncidentState }),
      }),
    ),
  },
  'POST /api/v1/obligations/{id}/waiver': {
    success: { 200: 'The waived obligation' },
    schema: ObligationSchema,
  },

  'POST /api/v1/organizations/{id}/webhooks': {
    success: { 201: 'The webhook was registered; `secret` is shown only this once' },
    schema: WebhookSchema.extend({ secret: z.string() }),
  },
  'GET /api/v1/organizations/{id}/webhooks': {
    success: { 200: "The organisation's webhooks (without secrets)" },
    schema: items(WebhookSchema),
  },
  'DELETE /api/v1/organizations/{id}/webhooks/{webhookId}': { success: { 204: 'The webhook was removed' } },

  'POST /api/v1/demo': {
    success: { 201: 'The demo was loaded', 200: 'The demo was already loaded; nothing changed' },
    schema: DemoResultSchema,
  },
};

// ---------------------------------------------------------------------------------------------
// The transforms

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: invalid input',
  401: 'Not logged in, or wrong credentials',
  403: 'Not allowed (or a cross-site request)',
  404: 'Not found, or not visible to you',
  409: 'Conflict with the current state',
  422: 'Idempotency-Key reused with a different request',
  428: 'If-Match is required',
  429: 'Too many attempts',
};

/** "Bad request …: VALIDATION_FAILED, MALFORMED_JSON, …" — the codes come from ERROR_STATUS. */
function problemDescription(status: number): string {
  const codes = Object.entries(ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([c]) => c);
  return `${STATUS_TEXT[status] ?? 'Error'} (problem+json; code: ${codes.join(', ')})`;
}

export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

type RouteConfig = {
  public?: boolean;
  storeIdempotentReplies?: boolean;
  rateLimit?: unknown;
};

/** POSTs whose `Idempotency-Key` the idempotency plugin honours: authenticated, not opted out. */
function honoursIdempotencyKey(method: string, config: RouteConfig | undefined): boolean {
  return method === 'POST' && config?.public !== true && config?.storeIdempotentReplies !== false;
}

type ResponseMap = Record<string, unknown>;

const isZod = (x: unknown): x is z.ZodType => x instanceof z.ZodType;

/**
 * `transform` for @fastify/swagger: adds the success responses, headers and problem responses
 * of the table to the route's zod schema, converts it with fastify-type-provider-zod's
 * jsonSchemaTransform, then adds what zod cannot express (204 without a body, `$ref` to Problem).
 */
function transformWith(base: BaseTransform): SwaggerTransform {
  return (input) => {
    const { schema, url, route } = input;
    const method = (Array.isArray(route.method) ? route.method[0] : route.method) as string;
    const doc = OPERATIONS[`${method} ${openApiPath(url)}`];
    const isApi = url.startsWith('/api/v1/') || url === '/api/v1';
    const original = (schema ?? {}) as FastifySchema & { hide?: boolean; response?: ResponseMap };
    if (original.hide || (!doc && !isApi)) return base(input as BaseInput);

    const config = route.config as RouteConfig | undefined;
    const idempotent = isApi && honoursIdempotencyKey(method, config);
    const success = doc?.success ?? { 200: 'Success' };
    const routeResponses = original.response ?? {};
    const routeBody = Object.entries(routeResponses).find(([s]) => /^2/.test(s))?.[1];

    // Success responses with a body, as zod (converted below with the shared registry).
    const response: ResponseMap = {};
    const later: ResponseMap = {};
    for (const [status, description] of Object.entries(success)) {
      if (status === '204') {
        later[status] = { type: 'null', description };
        continue;
      }
      const own = routeResponses[status] ?? routeBody;
      if (doc?.content) {
        response[status] = {
          description,
          content: Object.fromEntries(Object.entries(doc.content).map(([t, s]) => [t, { schema: s }])),
        };
      } else {
        const body = isZod(own) ? own : doc?.schema;
        if (body) response[status] = { description, content: { 'application/json': { schema: body } } };
        else later[status] = { description };
      }
    }

    // Request headers.
    const headerShape: Record<string, z.ZodType> = {};
    if (idempotent) {
      headerShape['Idempotency-Key'] = z
        .string()
        .min(1)
        .max(255)
        .optional()
        .meta({
          description:
            'Retry safely: the first response is stored for 24 h and replayed for the same body; ' +
            'the same key with a different body → 422 IDEMPOTENCY_KEY_REUSED; while the first is running → 409',
          example: '6f1c2a9e-2b7d-4c1e-9a51-0d3f1b2c4e5a',
        });
    }
    if (doc?.ifMatch) {
      const ifMatch = z.string().meta({
        description:
          doc.ifMatch === 'required'
            ? 'The record version you read (its ETag); missing → 428 VERSION_REQUIRED, stale → 409 VERSION_CONFLICT'
            : 'Optional: the record version you read (its ETag); stale → 409 VERSION_CONFLICT',
        example: '"3"',
      });
      headerShape['If-Match'] = doc.ifMatch === 'required' ? ifMatch : ifMatch.optional();
    }
    const ownHeaders = (original as { headers?: unknown }).headers;
    let headers: unknown = ownHeaders;
    if (Object.keys(headerShape).length > 0) {
      headers = ownHeaders instanceof z.ZodObject ? ownHeaders.extend(headerShape) : z.object(headerShape);
    }

    const converted = base({
      ...input,
      schema: { ...original, response, ...(headers ? { headers } : {}) },
    } as BaseInput);
    const out = converted.schema as FastifySchema & { response?: ResponseMap };
    out.response = { ...(out.response ?? {}), ...later };

    if (isApi) {
      const statuses = [400, 401, 403, 404, 409];
      if (idempotent) statuses.push(422);
      if (doc?.ifMatch === 'required') statuses.push(428);
      if (config?.rateLimit) statuses.push(429);
      for (const status of statuses) {
        out.response[status] = {
          description: problemDescription(status),
          content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
        };
      }
    }
    return converted;
  };
}

type Components = { schemas?: Record<string, unknown> } & Record<string, unknown>;

/** Component names referenced from `value`, then transitively from those components. */
function referencedComponents(value: unknown, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const queue = [value];
  while (queue.length > 0) {
    const text = JSON.stringify(queue.pop());
    for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      const name = m[1] as string;
      if (!seen.has(name)) {
        seen.add(name);
        queue.push(schemas[name]);
      }
    }
  }
  return seen;
}

/**
 * `transformObject` for @fastify/swagger: fastify-type-provider-zod's components, plus the shared
 * `Problem` schema; the `…Input` twins the zod provider emits for every registered schema are
 * dropped when nothing references them.
 */
function transformObjectWith(base: SwaggerTransformObject): SwaggerTransformObject {
  return (input) => {
    const document = base(input) as { paths?: unknown; components?: Components };
    const components: Components = document.components ?? {};
    const schemas: Record<string, unknown> = { ...(components.schemas ?? {}) };
    const { $schema: _drop, ...problem } = z.toJSONSchema(ProblemSchema, {
      target: 'draft-2020-12',
      io: 'output',
    });
    schemas.Problem = problem;
    const used = referencedComponents(document.paths, schemas);
    for (const name of Object.keys(schemas)) {
      const twin = name.endsWith('Input') ? name.slice(0, -'Input'.length) : null;
      if (twin && twin in schemas && !used.has(name)) delete schemas[name];
    }
    document.components = { ...components, schemas };
    return document as ReturnType<SwaggerTransformObject>;
  };
}

/** The route schema type of fastify-type-provider-zod's `jsonSchemaTransform`. */
type BaseTransform = SwaggerTransform<FastifySchema & { hide?: boolean }>;
type BaseInput = Parameters<BaseTransform>[0];

/**
 * @fastify/swagger's `transform` and `transformObject`, composed over fastify-type-provider-zod's
 * `jsonSchemaTransform` / `jsonSchemaTransformObject` (passed in, so this module stays a layer on
 * top of them).
 */
export function openApiTransforms(
  base: BaseTransform,
  baseObject: SwaggerTransformObject,
): { transform: SwaggerTransform; transformObject: SwaggerTransformObject } {
  return { transform: transformWith(base), transformObject: transformObjectWith(baseObject) };
}
