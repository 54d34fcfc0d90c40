import { randomUUID } from 'node:crypto';
import express from 'express';
import type { SimContext } from '../context.js';
import { createBatchRoute } from './batch.js';
import type { GraphCall, GraphReply } from './call.js';
import { createDispatch } from './dispatch.js';
import { GraphHttpError, errorBody, unreadableJson } from './errors.js';
import { GRAPH_ROUTES } from './routes.js';

/** Graph answers JSON with this content type. */
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Request bodies Graph would accept here are small; the cap keeps a bad client from filling memory (PRODUCT.md §6). */
const BODY_LIMIT = '1mb';

/**
 * Graph v1.0 on the HTTPS app: adapts express requests to the express-free pipeline (dispatch.ts), so
 * `$batch` can run its inner requests through the very same one.
 */
export function createGraphRouter(ctx: SimContext): express.Router {
  // Inner requests of a batch cannot be batches themselves (json-batching.md), hence two route tables.
  const inner = createDispatch(ctx, GRAPH_ROUTES);
  const dispatch = createDispatch(ctx, [...GRAPH_ROUTES, createBatchRoute(inner)]);
  const router = express.Router();

  router.use('/v1.0', express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }), async (req, res) => {
    const outcome = await dispatch(toCall(req));
    ctx.state.noteClient(outcome.label, req.socket.remotePort);
    if (outcome.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    send(res, outcome.reply);
  });

  // Malformed JSON or an oversized body: Graph's own 400 text, in the Graph envelope.
  router.use('/v1.0', (err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const type = (err as { type?: string } | null)?.type;
    if (type !== 'entity.parse.failed' && type !== 'entity.too.large') return next(err);
    const e = type === 'entity.parse.failed' ? unreadableJson() : new GraphHttpError(413, 'RequestEntityTooLarge', `The request body is larger than ${BODY_LIMIT}.`);
    const call = toCall(req);
    ctx.state.countRequest('graph.badRequest', e.status);
    send(res, { status: e.status, headers: { 'request-id': call.requestId, 'client-request-id': call.clientRequestId }, body: errorBody(e, call, ctx.clock.now()) });
  });
  return router;
}

function toCall(req: express.Request): GraphCall {
  const url = req.url; // relative to the /v1.0 mount, still percent-encoded
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers,
    body: req.body,
    origin: `https://${req.headers.host ?? 'localhost'}`,
    requestId: randomUUID(),
    clientRequestId: headers['client-request-id'] ?? randomUUID(),
  };
}

function send(res: express.Response, reply: GraphReply): void {
  res.status(reply.status);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.end(JSON.stringify(reply.body));
}
