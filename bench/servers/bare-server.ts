import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { serveChild } from '../support.js';

export interface BareServerInit {
  /** The object to answer with: the real endpoint's response, so both send the same JSON. */
  body: unknown;
  /** The route to serve (default `/api/v1/agreements/:id`). */
  route?: string;
  /** Per-id answers (the real endpoint's response for each id); `body` for any other id. */
  bodies?: Record<string, unknown>;
}

/** Child process: Fastify 5 with no plugins, no schema, one route of the same shape. */
serveChild<BareServerInit, { origin: string }>(async ({ body, route, bodies }) => {
  const app = Fastify({ logger: false });
  const path = route ?? '/api/v1/agreements/:id';
  if (bodies) {
    const byId = new Map(Object.entries(bodies));
    app.get<{ Params: { id: string } }>(path, async (request) => byId.get(request.params.id) ?? body);
  } else {
    app.get(path, async () => body);
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    info: { origin: `http://127.0.0.1:${port}` },
    close: () => app.close(),
  };
});
