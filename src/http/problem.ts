import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, isAppError, type ErrorCode } from '../domain/shared/errors.js';

interface FieldError {
  path: string;
  code?: string;
  messageJa: string;
  messageEn: string;
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldPath(instancePath: string): string {
  return instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)';
}

const REQUIRED = (path: string): FieldError => ({
  path,
  code: 'REQUIRED',
  messageJa: '必須項目です。',
  messageEn: 'This field is required.',
});

/**
 * What a JSON pointer (`/parameters/noticeTargetHours`) names in the request part: `absent` only
 * when the path runs through objects and its last key is missing. Through anything else (a query
 * string that zod split into a list, say) the raw input cannot tell, and `absent` is false.
 */
function lookup(data: unknown, instancePath: string): { absent: boolean; value: unknown } {
  let v: unknown = data;
  for (const raw of instancePath === '/' ? [] : instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === undefined) return { absent: true, value: undefined };
    if (v === null || typeof v !== 'object') return { absent: false, value: undefined };
    if (!Object.hasOwn(v, key)) return { absent: true, value: undefined };
    v = (v as Record<string, unknown>)[key];
  }
  return { absent: v === undefined, value: v };
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Human messages for zod issues, in both languages; `allowed` values are listed for enums. `input`
 * is the request part that was validated: a field that is absent is REQUIRED, one that is present
 * with the wrong type is INVALID_TYPE (zod does not report the input itself).
 */
function describeIssue(issue: ValidationIssue, input: unknown): FieldError[] {
  const path = fieldPath(issue.instancePath);
  const p = issue.params ?? {};
  const { absent, value } = lookup(input, issue.instancePath); // '' = the whole body
  if (absent && (issue.keyword === 'invalid_type' || issue.keyword === 'invalid_value'))
    return [REQUIRED(path)];
  switch (issue.keyword) {
    case 'unrecognized_keys': {
      const keys = (p.keys as string[] | undefined) ?? [];
      return keys.map((k) => ({
        path: path === '(body)' ? k : `${path}.${k}`,
        code: 'UNKNOWN_FIELD',
        messageJa: `不明な項目です: ${k}`,
        messageEn: `Unknown field: ${k}`,
      }));
    }
    case 'invalid_type': {
      const expected = String(p.expected);
      if (value === undefined) {
        return [
          {
            path,
            code: 'INVALID_TYPE',
            messageJa: `型が正しくありません（${expected} が必要です）。`,
            messageEn: `Wrong type (expected ${expected}).`,
          },
        ];
      }
      const got = typeName(value);
      return [
        {
          path,
          code: 'INVALID_TYPE',
          messageJa: `型が正しくありません（${expected} が必要ですが、${got} が送られました）。`,
          messageEn: `Wrong type (expected ${expected}, got ${got}).`,
        },
      ];
    }
    case 'invalid_value': {
      const allowed = (p.values as unknown[] | undefined)?.map(String) ?? [];
      return [
        {
          path,
          code: 'NOT_ALLOWED',
          messageJa: `許可されていない値です。使用できる値: ${allowed.join(', ')}`,
          messageEn: `Value not allowed. Allowed: ${allowed.join(', ')}`,
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.keyword === 'too_small';
      const n = String(small ? p.minimum : p.maximum);
      const origin = String(p.origin ?? '');
      const text: Record<string, [string, string]> = {
        string: small
          ? [
              n === '1' ? '入力してください。' : `${n}文字以上にしてください。`,
              n === '1' ? 'Must not be empty.' : `At least ${n} characters.`,
            ]
          : [`${n}文字以内にしてください。`, `At most ${n} characters.`],
        array: small
          ? [`${n}件以上にしてください。`, `At least ${n} item(s).`]
          : [`${n}件以内にしてください。`, `At most ${n} items.`],
        number: small
          ? [`${n}以上にしてください。`, `At least ${n}.`]
          : [`${n}以下にしてください。`, `At most ${n}.`],
      };
      const [ja, en] =
        text[origin] ??
        (small
          ? [`値が小さすぎるか、空です（最小 ${n}）。`, `Too small or empty (minimum ${n}).`]
          : [`値が大きすぎるか、長すぎます（最大 ${n}）。`, `Too big or too long (maximum ${n}).`]);
      return [{ path, code: small ? 'TOO_SMALL' : 'TOO_BIG', messageJa: ja, messageEn: en }];
    }
    case 'invalid_format':
      return [
        { path, code: 'INVALID_FORMAT', messageJa: '形式が正しくありません。', messageEn: 'Invalid format.' },
      ];
    default:
      if (issue.message === 'INVALID_DATE') {
        return [
          {
            path,
            code: 'INVALID_DATE',
            messageJa: '存在しない日付です。',
            messageEn: 'This date does not exist.',
          },
        ];
      }
      if (issue.message === 'DATE_OUT_OF_RANGE') {
        return [
          {
            path,
            code: 'DATE_OUT_OF_RANGE',
            messageJa: '1900年から2100年までの日付・日時を指定してください。',
            messageEn: 'Dates and times must fall between the years 1900 and 2100.',
          },
        ];
      }
      if (issue.message === 'INVALID_CHARACTERS') {
        return [
          {
            path,
            code: 'INVALID_CHARACTERS',
            messageJa:
              '使用できない文字が含まれています（制御文字、または不正な文字コード。タブと改行は使えます）。',
            messageEn:
              'Contains characters that are not allowed (control characters or malformed text; tabs and line breaks are fine).',
          },
        ];
      }
      if (issue.message === 'INVALID_DATE_FORMAT') {
        return [
          {
            path,
            code: 'INVALID_DATE',
            messageJa: '日付は YYYY-MM-DD 形式で指定してください。',
            messageEn: 'Dates must be YYYY-MM-DD.',
          },
        ];
      }
      return [
        {
          path,
          code: issue.keyword.toUpperCase(),
          messageJa: '入力が正しくありません。',
          messageEn: issue.message ?? 'Invalid value.',
        },
      ];
  }
}

function prefersEnglish(request: FastifyRequest): boolean {
  const actorLocale = request.actor?.kind === 'user' ? request.actor.locale : undefined;
  if (actorLocale) return actorLocale === 'en';
  return /^en\b/i.test(request.headers['accept-language'] ?? '');
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: AppError,
  errors?: FieldError[],
): FastifyReply {
  const en = prefersEnglish(request);
  const extras = { ...(error.extras ?? {}) };
  const extraErrors = (extras.errors as Array<{ path: string }> | undefined)?.map((e) => ({
    path: e.path,
    code: error.code,
    messageJa: error.userMessage.ja,
    messageEn: error.userMessage.en,
  }));
  delete extras.errors;
  const body = {
    type: `https://breachpact.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.code,
    status: error.status,
    code: error.code,
    detail: en ? error.userMessage.en : error.userMessage.ja,
    messageJa: error.userMessage.ja,
    messageEn: error.userMessage.en,
    instance: request.url,
    ...(errors || extraErrors ? { errors: errors ?? extraErrors } : {}),
    ...extras,
  };
  return reply.code(error.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
};

/**
 * The single error handler: AppError → its status; schema validation → 400 with every field;
 * framework errors → their stable code; anything else → 500 with only a correlation id.
 */
export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isAppError(error)) return sendProblem(request, reply, error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'body';
    const input = {
      body: request.body,
      querystring: request.query,
      params: request.params,
      headers: request.headers,
    }[where];
    const fields = (error.validation as unknown as ValidationIssue[]).flatMap((i) => describeIssue(i, input));
    const onlyDates = fields.length > 0 && fields.every((f) => f.code === 'INVALID_DATE');
    return sendProblem(
      request,
      reply,
      new AppError(onlyDates ? 'INVALID_DATE' : 'VALIDATION_FAILED'),
      fields.map((f) => ({
        ...f,
        path: where === 'body' ? f.path : `${where}.${f.path}`,
      })),
    );
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return sendProblem(request, reply, new AppError(mapped, { detail: error.message }));
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return sendProblem(request, reply, new AppError('MALFORMED_JSON', { detail: error.message }));
  }
  if (error.statusCode === 429) return sendProblem(request, reply, new AppError('RATE_LIMITED'));
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(request, reply, new AppError('VALIDATION_FAILED', { detail: error.message }));
  }
  const correlationId = randomUUID();
  request.log.error({ err: error, correlationId }, 'unhandled error');
  const internal = new AppError('INTERNAL', { extras: { correlationId } });
  return sendProblem(request, reply, internal);
}
