/**
 * The driver benchmark's bare route: a Hono app on @hono/node-server answering the catalog-update route
 * (`PATCH /api/marketplace/catalog/:entryId`) at once with a small JSON, so the scenario's own
 * `catalogUpdate` requests can be sent to it. It measures the client: what the route costs is as little
 * as Hono on Node allows. Run as a process of its own (so its CPU is its own), it keeps the target's
 * process contract: one JSON ready line on stdout once listening on 127.0.0.1, exit 0 on SIGTERM.
 * `node --import tsx harness/run/bench/bare-route.ts`
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.patch('/api/marketplace/catalog/:entryId', (c) => c.json({ id: Number(c.req.param('entryId')), ok: true }));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${info.port}`, pid: process.pid })}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
