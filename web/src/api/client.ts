import type { Problem } from './types';

/** An error answered by the API (problem+json) or a failure to reach it (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.messageEn ?? problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Sent as `Idempotency-Key` (POSTs from forms). */
  idempotencyKey?: string;
  /** Record version, sent as `If-Match: "<version>"`. */
  version?: number;
  signal?: AbortSignal;
}

const NETWORK_PROBLEM: Problem = {
  status: 0,
  code: 'NETWORK_ERROR',
  messageJa: 'サーバーに接続できませんでした。通信状態を確認して、もう一度お試しください。',
  messageEn: 'Could not reach the server. Check the connection and try again.',
};

async function toProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return { ...body, status: body.status ?? res.status, code: body.code ?? `HTTP_${res.status}` };
    } catch {
      // fall through to the generic problem below
    }
  }
  return {
    status: res.status,
    code: `HTTP_${res.status}`,
    messageJa: `サーバーがエラーを返しました（${res.status}）。`,
    messageEn: `The server answered with an error (${res.status}).`,
  };
}

/** Calls the API with the session cookie; JSON in, JSON out; throws ApiError on failure. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const method = options.method ?? 'GET';
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.version !== undefined) headers['If-Match'] = `"${options.version}"`;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(NETWORK_PROBLEM);
  }
  if (!res.ok) throw new ApiError(await toProblem(res));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : undefined) as T;
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A random UUID; falls back to getRandomValues where randomUUID is missing (plain-http hosts). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
