import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import { login } from '../../src/app/auth/sessions.js';
import type { AppContext } from '../../src/app/context.js';
import { PASSWORD } from './fixtures.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | number | string[] | undefined>;
  bytes: Buffer;
  json: any;
}

/**
 * A request whose reply is read as bytes (ZIP packages, DOCX documents), as the user with this
 * e-mail address (logged in for the call).
 */
export async function rawRequest(
  ctx: AppContext,
  app: FastifyInstance,
  email: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<RawResponse> {
  const { token } = await login(ctx, email, PASSWORD);
  const res = await app.inject({
    method,
    url,
    headers: {
      cookie: `bp_session=${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, json };
}

/** The files of a ZIP, by path. */
export const unzip = (bytes: Uint8Array): Record<string, Uint8Array> => unzipSync(bytes);

export const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);
