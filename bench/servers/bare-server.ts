import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { serveChild } from '../support.js';

export interface BareServerInit {
  /** The object to answer with: the real endpoint's response, so both send the same JSON. */
  body: unknown;
}

/** Child process: Fastify 5 with no plugins, no schema, one route of the same shape. */
serveChild<BareServerInit, { origin: string }>(async ({ body }) => {
  const app = Fastify({ logger: false });
  app.get('/api/v1/agreements/:id', async () => body);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    info: { origin: `http://127.0.0.1:${port}` },
    close: () => app.close(),
  };
});
