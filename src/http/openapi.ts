import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { z } from 'zod';
import { ERROR_STATUS } from '../domain/shared/errors.js';
import { Problem as ProblemSchema } from './schemas.js';

/**
 * The OpenAPI document's finishing touches, layered on fastify-type-provider-zod's transforms.
 * Reply bodies come from the routes' own `schema.response` (the zod schemas in
 * `routes/<resource>/schema.ts`, which the serializers' return types are derived from); this module
 * adds per operation (keyed `METHOD path`) its operationId, the success status(es) and their
 * descriptions, the `Idempotency-Key` / `If-Match` headers and the problem+json error responses.
 * test/api/openapi.test.ts checks the document against real replies and lints it (Redocly).
 */

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

// ---------------------------------------------------------------------------------------------
// The operations table

type SuccessStatus = 200 | 201 | 204;

export interface OperationDoc {
  /**
   * The operation's unique name in the document (client generators name their functions after it);
   * it replaces a route's own `schema.operationId`.
   */
  id: string;
  /** Documented success statuses and their descriptions; the bodies are the route's `schema.response`. */
  success: Partial<Record<SuccessStatus, string>>;
  /** Other media types of the success body, for a route that answers no JSON. */
  content?: Record<string, z.ZodType>;
  /** The operation reads `If-Match` (parseIfMatch): required → 428 VERSION_REQUIRED when missing. */
  ifMatch?: 'required' | 'optional';
  /** A request body that is not JSON (a raw file upload): its media type and description. */
  rawBody?: { mediaType: string; description: string };
  /** Problem statuses beyond the usual ones (e.g. 413 and 415 of an upload). */
  moreProblems?: number[];
}

const Binary = z.string().meta({ format: 'binary' });

/** Keyed `METHOD /path/{param}` as in the document; every operation must be listed. */
export const OPERATIONS: Record<string, OperationDoc> = {
  'GET /healthz': { id: 'getHealth', success: { 200: 'Alive; the database answered' } },

  'POST /api/v1/session': { id: 'login', success: { 200: 'Logged in; the httpOnly session cookie is set' } },
  'GET /api/v1/session': { id: 'getSession', success: { 200: 'The logged-in user' } },
  'DELETE /api/v1/session': { id: 'logout', success: { 204: 'Logged out; the session cookie is cleared' } },
  'GET /api/v1/me': { id: 'getMe', success: { 200: 'The logged-in user with its preferences' } },
  'PATCH /api/v1/me': {
    id: 'updateMe',
    success: { 200: 'The user, with the new language or digest choice' },
  },
  'POST /api/v1/invitations/accept': { id: 'acceptInvitation', success: { 200: 'Password set; the user' } },
  'POST /api/v1/me/password': {
    id: 'changeMyPassword',
    success: { 200: 'Password changed; my other sessions ended' },
  },
  'POST /api/v1/tokens': {
    id: 'createApiToken',
    success: { 201: 'The API token was created; `token` is shown only this once' },
  },
  'GET /api/v1/tokens': { id: 'listApiTokens', success: { 200: 'My API tokens (without secrets)' } },
  'DELETE /api/v1/tokens/{id}': {
    id: 'revokeApiToken',
    success: { 204: 'The API token was revoked; it answers 401 from now on' },
  },
  'POST /api/v1/calendar-feeds': {
    id: 'createCalendarFeed',
    success: { 201: 'The calendar feed was created; `url` (its secret) is shown only this once' },
  },
  'GET /api/v1/calendar-feeds': {
    id: 'listCalendarFeeds',
    success: { 200: 'My calendar feeds (without URLs)' },
  },
  'DELETE /api/v1/calendar-feeds/{id}': {
    id: 'revokeCalendarFeed',
    success: { 204: 'The calendar feed was ended; its URL answers 404 from now on' },
  },
  'GET /api/v1/calendar/{feedToken}.ics': {
    id: 'getCalendarFeed',
    success: { 200: 'The open and overdue duties as iCalendar (RFC 5545), for calendar subscriptions' },
    content: { 'text/calendar': z.string().meta({ description: 'An iCalendar (RFC 5545) stream' }) },
  },

  'POST /api/v1/organizations': {
    id: 'createOrganization',
    success: { 201: 'The organisation was created' },
  },
  'GET /api/v1/organizations': { id: 'listOrganizations', success: { 200: 'Organisations visible to me' } },
  'GET /api/v1/organizations/directory': {
    id: 'listOrganizationDirectory',
    success: { 200: 'Organisation names' },
  },
  'GET /api/v1/organizations/{id}': { id: 'getOrganization', success: { 200: 'The organisation' } },
  'GET /api/v1/organizations/{id}/users': {
    id: 'listOrganizationUsers',
    success: { 200: 'Users of the organisation' },
  },
  'POST /api/v1/organizations/{id}/users': {
    id: 'createUser',
    success: { 201: 'The user was created (invitation mailed when no password was given)' },
  },
  'PATCH /api/v1/organizations/{id}/users/{userId}': {
    id: 'updateOrganizationUser',
    success: { 200: 'The user with its new role or state; owners are mailed' },
  },
  'DELETE /api/v1/organizations/{id}/users/{userId}': {
    id: 'removeOrganizationUser',
    success: { 204: 'The user was removed; its sessions and API tokens ended; owners are mailed' },
  },

  'POST /api/v1/agreements': {
    id: 'createAgreement',
    success: { 201: 'The agreement was created, with its term (ETag: version; Location)' },
  },
  'GET /api/v1/agreements': { id: 'listAgreements', success: { 200: 'My agreements with their terms' } },
  'GET /api/v1/agreements/{id}': {
    id: 'getAgreement',
    success: { 200: 'The agreement with its term (ETag: version)' },
  },
  'PATCH /api/v1/agreements/{id}': {
    id: 'updateAgreementDraft',
    success: { 200: 'The updated draft (ETag: new version)' },
    ifMatch: 'required',
  },
  'POST /api/v1/agreements/{id}/sign': {
    id: 'signAgreement',
    success: {
      200: 'The agreement with the signature recorded: active once both parties have signed, else still a draft (ETag: new version)',
    },
    ifMatch: 'optional',
  },
  'POST /api/v1/agreements/{id}/termination-notices': {
    id: 'recordTerminationNotice',
    success: { 201: 'The termination notice was recorded, with its effect on the term' },
  },
  'POST /api/v1/incidents/{id}/announcements': {
    id: 'createAnnouncement',
    success: { 201: 'The announcement, drafted as version 1' },
  },
  'GET /api/v1/incidents/{id}/announcements': {
    id: 'listAnnouncements',
    success: { 200: "The incident's announcements with their versions and approvals" },
  },
  'GET /api/v1/announcements/{id}': { id: 'getAnnouncement', success: { 200: 'The announcement' } },
  'POST /api/v1/announcements/{id}/versions': {
    id: 'addAnnouncementVersion',
    success: { 201: 'The announcement with its new latest version' },
  },
  'POST /api/v1/announcements/{id}/approvals': {
    id: 'approveAnnouncement',
    success: { 201: "The announcement with the caller's party's approval of the latest version" },
  },
  'POST /api/v1/announcements/{id}/publication': {
    id: 'publishAnnouncement',
    success: { 200: 'The announcement, published with its final text' },
  },
  'POST /api/v1/agreements/{id}/mutual-termination': {
    id: 'proposeMutualTermination',
    success: { 201: "The proposal of a mutual termination, awaiting the other party's confirmation" },
  },
  'POST /api/v1/agreements/{id}/mutual-termination/confirmation': {
    id: 'confirmMutualTermination',
    success: { 200: 'The mutual termination is agreed: the memorandum ends on the day before effectiveOn' },
  },
  'POST /api/v1/agreements/{id}/mutual-termination/withdrawal': {
    id: 'withdrawMutualTermination',
    success: { 200: 'The proposal was withdrawn' },
  },
  'GET /api/v1/agreements/{id}/document': {
    id: 'getAgreementDocument',
    success: { 200: 'The memorandum document (HTML inline, DOCX as an attachment)' },
    content: {
      'text/html': z.string(),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document': Binary,
    },
  },
  'GET /api/v1/agreements/{id}/audit-events': {
    id: 'listAgreementAuditEvents',
    success: { 200: 'The audit events and the chain verification' },
  },
  'GET /api/v1/agreements/{id}/audit-receipts': {
    id: 'listAgreementAuditReceipts',
    success: { 200: "The signed head receipts of the agreement's audit chain and the public key" },
  },
  'GET /api/v1/agreements/{id}/audit-timestamps': {
    id: 'listAgreementAuditTimestamps',
    success: { 200: "The RFC 3161 time-stamps of the agreement's audit chain heads, with their tokens" },
  },
  'GET /api/v1/audit/public-key': {
    id: 'getAuditPublicKey',
    success: { 200: 'The Ed25519 public key that signs audit chain heads and receipts' },
  },
  'POST /api/v1/audit/receipts/verification': {
    id: 'verifyAuditReceipts',
    success: { 200: 'Whether the database matches the receipts; the first mismatch' },
  },
  'POST /api/v1/audit/verifications': {
    id: 'runAuditVerification',
    success: { 201: 'The full verification ran; what it found' },
  },

  'POST /api/v1/agreements/{id}/incidents': {
    id: 'reportIncident',
    success: { 201: 'The incident was reported; its clocks run (ETag: version; Location)' },
  },
  'GET /api/v1/agreements/{id}/incidents': {
    id: 'listAgreementIncidents',
    success: { 200: 'Incidents under the agreement' },
  },
  'GET /api/v1/incidents/{id}': { id: 'getIncident', success: { 200: 'The incident (ETag: version)' } },
  'PATCH /api/v1/incidents/{id}': {
    id: 'updateIncident',
    success: { 200: 'The updated incident (ETag: new version)' },
    ifMatch: 'required',
  },
  'POST /api/v1/incidents/{id}/transitions': {
    id: 'transitionIncident',
    success: { 200: 'The incident in its new state (ETag: new version)' },
    ifMatch: 'optional',
  },
  'POST /api/v1/incidents/{id}/notices': {
    id: 'sendNotice',
    success: { 201: 'The notice was sent (Location)' },
  },
  'GET /api/v1/incidents/{id}/notices': {
    id: 'listIncidentNotices',
    success: { 200: 'Notices of the incident, oldest first' },
  },
  'POST /api/v1/incidents/{id}/item-requests': {
    id: 'requestItems',
    success: { 201: 'The request was recorded; the reporting party owes an answer' },
  },
  'POST /api/v1/item-requests/{id}/answer': {
    id: 'answerItemRequest',
    success: { 200: 'The answered request' },
  },
  'POST /api/v1/incidents/{id}/containment-actions': {
    id: 'recordContainment',
    success: { 201: 'The containment action was recorded' },
  },
  'GET /api/v1/incidents/{id}/audit-events': {
    id: 'listIncidentAuditEvents',
    success: { 200: "The incident's audit events and the chain verification" },
  },
  'GET /api/v1/incidents/{id}/obligations': {
    id: 'listIncidentObligations',
    success: { 200: "The incident's obligations" },
  },

  'POST /api/v1/incidents/{id}/discovery-corrections': {
    id: 'requestDiscoveryCorrection',
    success: {
      201: 'The correction was recorded: an earlier time applies now, a later one waits for the other party',
    },
  },
  'GET /api/v1/incidents/{id}/discovery-corrections': {
    id: 'listDiscoveryCorrections',
    success: { 200: 'Corrections of the discovery time, oldest first' },
  },
  'POST /api/v1/incidents/{id}/evidence': {
    id: 'uploadEvidence',
    success: {
      201: 'The evidence was stored (SHA-256 computed while streaming); only the uploading party sees it',
    },
    rawBody: {
      mediaType: 'application/octet-stream',
      description:
        'The file itself (at most EVIDENCE_MAX_BYTES, default 2 GiB); the name and description are query parameters',
    },
    moreProblems: [413, 415],
  },
  'GET /api/v1/incidents/{id}/evidence': {
    id: 'listEvidence',
    success: {
      200: "Evidence the caller may see: its party's own and what the other party shared, oldest first",
    },
  },
  'GET /api/v1/evidence/{id}': { id: 'getEvidence', success: { 200: 'The evidence metadata' } },
  'POST /api/v1/evidence/{id}/share': {
    id: 'shareEvidence',
    success: { 200: 'The evidence, now shared with the other party (unchanged if it already was)' },
  },
  'GET /api/v1/evidence/{id}/content': {
    id: 'downloadEvidence',
    success: {
      200: 'The bytes, checked against the SHA-256 recorded at upload; headers Repr-Digest (RFC 9530) and Content-Disposition (RFC 6266, UTF-8 name)',
    },
    content: { 'application/octet-stream': Binary },
  },
  'GET /api/v1/evidence/{id}/custody': {
    id: 'getEvidenceCustody',
    success: { 200: 'The chain of custody, in audit-chain order' },
  },
  'POST /api/v1/discovery-corrections/{id}/decision': {
    id: 'decideDiscoveryCorrection',
    success: { 200: 'The decided correction (accepted: the clocks moved)' },
  },
  'POST /api/v1/incidents/{id}/cooperation-requests': {
    id: 'createCooperationRequest',
    success: { 201: 'The cooperation request was made; the other party owes its answer by dueAt (4.2(n))' },
  },
  'GET /api/v1/incidents/{id}/cooperation-requests': {
    id: 'listCooperationRequests',
    success: { 200: 'Cooperation requests of the incident, both directions, oldest first' },
  },
  'POST /api/v1/cooperation-requests/{id}/response': {
    id: 'respondToCooperationRequest',
    success: { 200: 'The answered request (accepted, declined or delivered)' },
  },
  'POST /api/v1/consultations': {
    id: 'openConsultation',
    success: { 201: 'The consultation was opened (Art 12)' },
  },
  'GET /api/v1/consultations/{id}': {
    id: 'getConsultation',
    success: { 200: 'The consultation with its messages, proposals and confirmation' },
  },
  'GET /api/v1/incidents/{id}/consultations': {
    id: 'listConsultations',
    success: { 200: 'Consultations of the incident, oldest first' },
  },
  'POST /api/v1/consultations/{id}/messages': {
    id: 'addConsultationMessage',
    success: { 201: 'The message was added; the consultation' },
  },
  'POST /api/v1/consultations/{id}/outcome': {
    id: 'proposeConsultationOutcome',
    success: { 200: 'The outcome was proposed; the other party confirms it' },
  },
  'POST /api/v1/consultations/{id}/confirmation': {
    id: 'confirmConsultationOutcome',
    success: { 200: 'The outcome was confirmed: the consultation is agreed' },
  },
  'GET /api/v1/consultations/{id}/minutes.docx': {
    id: 'getConsultationMinutes',
    success: { 200: 'The minutes (協議記録) as DOCX' },
    content: { 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': Binary },
  },

  'POST /api/v1/incidents/{id}/disclosures': {
    id: 'fileDisclosure',
    success: {
      201: 'The disclosure was filed: pending_consent (the other party decides) or excepted (the other party was told at once)',
    },
  },
  'GET /api/v1/incidents/{id}/disclosures': {
    id: 'listDisclosures',
    success: { 200: 'The disclosure register of the incident, oldest first' },
  },
  'POST /api/v1/disclosures/{id}/decision': {
    id: 'decideDisclosure',
    success: { 200: 'The decided disclosure (consented or refused)' },
  },
  'POST /api/v1/disclosures/{id}/disclosed': {
    id: 'recordDisclosure',
    success: { 200: 'The disclosure with the actual disclosure recorded (priorNotice)' },
  },
  'POST /api/v1/disclosures/{id}/package': {
    id: 'buildDisclosurePackage',
    success: {
      200: 'The ZIP for the recipient (manifest.json, records as JSON and text, evidence); headers BreachPact-Package-Id and BreachPact-Manifest-SHA256',
    },
    content: { 'application/zip': Binary },
  },
  'POST /api/v1/incidents/{id}/notes': {
    id: 'addIncidentNote',
    success: { 201: 'The note was written (party: your company only; shared: both parties)' },
  },
  'GET /api/v1/incidents/{id}/notes': {
    id: 'listIncidentNotes',
    success: { 200: "The notes you may read: your company's and the other party's shared ones" },
  },

  'GET /api/v1/notices/{id}': { id: 'getNotice', success: { 200: 'The notice' } },
  'POST /api/v1/notices/{id}/acknowledgement': {
    id: 'acknowledgeNotice',
    success: {
      201: 'Acknowledged now',
      200: 'Already acknowledged: the first acknowledgement stands (alreadyAcknowledged: true)',
    },
  },
  'GET /api/v1/agreements/{id}/obligations': {
    id: 'listAgreementObligations',
    success: { 200: "Obligations across the agreement's incidents, soonest first" },
  },
  'POST /api/v1/obligations/{id}/waiver': {
    id: 'waiveObligation',
    success: { 200: 'The waived obligation' },
  },
  'GET /api/v1/obligations': {
    id: 'listWorkQueue',
    success: { 200: 'My obligations across all my agreements (the work queue), soonest first' },
  },
  'GET /api/v1/obligations/summary': {
    id: 'getWorkQueueSummary',
    success: { 200: 'How many of our own duties are overdue and due within 24 hours' },
  },

  'POST /api/v1/organizations/{id}/webhooks': {
    id: 'createWebhook',
    success: { 201: 'The webhook was registered; `secret` is shown only this once' },
  },
  'GET /api/v1/organizations/{id}/webhooks': {
    id: 'listWebhooks',
    success: { 200: "The organisation's webhooks (without secrets)" },
  },
  'DELETE /api/v1/organizations/{id}/webhooks/{webhookId}': {
    id: 'deleteWebhook',
    success: { 204: 'The webhook was removed' },
  },

  'POST /api/v1/demo': {
    id: 'loadDemo',
    success: { 201: 'The demo was loaded', 200: 'The demo was already loaded; nothing changed' },
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
  413: 'The request body is too large',
  415: 'Unsupported Content-Type',
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
        if (isZod(own)) response[status] = { description, content: { 'application/json': { schema: own } } };
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
    const out = converted.schema as FastifySchema & { response?: ResponseMap; operationId?: string };
    out.response = { ...(out.response ?? {}), ...later };
    if (doc) out.operationId = doc.id;
    if (doc?.rawBody) {
      // Documentation only: the route reads the raw stream (no JSON body schema to validate).
      Object.assign(out, {
        body: { type: 'string', format: 'binary', description: doc.rawBody.description },
        consumes: [doc.rawBody.mediaType],
      });
    }

    if (isApi) {
      const statuses = [400, 401, 403, 404, 409];
      if (idempotent) statuses.push(422);
      if (doc?.ifMatch === 'required') statuses.push(428);
      if (config?.rateLimit) statuses.push(429);
      statuses.push(...(doc?.moreProblems ?? []));
      for (const status of statuses) {
        out.response[status] = {
          description: problemDescription(status),
          content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
        };
      }
    } else {
      // Outside the API (GET /healthz): only a malformed URL is refused (server.ts frameworkErrors).
      out.response[400] = {
        description: 'Malformed URL (problem+json; code: VALIDATION_FAILED)',
        content: { [PROBLEM_MEDIA_TYPE]: { schema: PROBLEM_REF } },
      };
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
