import { randomUUID } from 'node:crypto';
import type { GraphCall, GraphReply, GraphRoute } from './call.js';
import type { Dispatch } from './dispatch.js';
import { GraphHttpError, badRequest, errorBody } from './errors.js';

/** At most 20 requests per batch (concepts/json-batching.md, wire-facts A7). */
export const MAX_BATCH_REQUESTS = 20;

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** Validates the batch envelope; anything wrong fails the whole batch with 400 ([INF] texts). */
export function parseBatch(body: unknown): InnerRequest[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw badRequest('Invalid batch payload format: the body must be {"requests":[…]}.');
  if (requests.length > MAX_BATCH_REQUESTS) throw badRequest(`The batch has ${requests.length} requests; the limit is ${MAX_BATCH_REQUESTS}.`);
  const ids = new Set<string>();
  for (const r of requests as InnerRequest[]) {
    if (!r || typeof r.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw badRequest('Each batch request needs a string id, method and url.');
    }
    if (ids.has(r.id)) throw badRequest(`Batch request id '${r.id}' is not unique.`);
    ids.add(r.id);
    if (r.body !== undefined && !Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) {
      throw badRequest(`Batch request '${r.id}' has a body but no Content-Type header.`);
    }
  }
  for (const r of requests as InnerRequest[]) {
    for (const dep of r.dependsOn ?? []) if (!ids.has(dep)) throw badRequest(`Batch request '${r.id}' depends on unknown request '${dep}'.`);
  }
  return requests as InnerRequest[];
}

/**
 * `POST /$batch`. Each inner request runs through the same pipeline as an outer one, so it is rate-limited,
 * faulted and permission-checked on its own; a throttled one answers 429 with its own Retry-After among its
 * headers. The envelope is 200 whenever the batch parses ([INF]: throttling.md says 424, json-batching.md
 * shows 200). Urls are relative and WITHOUT the version: `/v1.0/users/…` meets Graph's
 * "Resource not found for the segment 'v1.0'" (msgraph-sdk-javascript#1178), as graph-client 3.0.7's
 * BatchRequestContent would send it. A failed dependency gives 424. An injected `reset` on an inner
 * request becomes a 504 there, since the batch connection itself stays up ([INF]).
 * Graph says responses "may come back in any order"; they are returned in reverse order, so a client
 * pairing them by position fails here rather than in production.
 */
export function createBatchRoute(dispatch: Dispatch): GraphRoute {
  return {
    method: 'POST',
    pattern: '/$batch',
    label: 'graph.batch',
    bucket: null,
    async handle({ call, ctx }) {
      const requests = parseBatch(call.body);
      const done = new Map<string, Promise<GraphReply & { id: string }>>();
      const run = async (r: InnerRequest): Promise<GraphReply & { id: string }> => {
        const deps = await Promise.all((r.dependsOn ?? []).map((d) => done.get(d)!));
        if (deps.some((d) => d.status >= 400)) {
          const e = new GraphHttpError(424, 'FailedDependency', 'A request this one depends on failed.');
          return { id: r.id, status: 424, body: errorBody(e, { requestId: randomUUID(), clientRequestId: call.clientRequestId }, ctx.clock.now()) };
        }
        const outcome = await dispatch(innerCall(call, r));
        if (outcome.kind === 'reset') {
          const e = new GraphHttpError(504, 'GatewayTimeout', 'The request timed out.');
          return { id: r.id, status: 504, body: errorBody(e, { requestId: randomUUID(), clientRequestId: call.clientRequestId }, ctx.clock.now()) };
        }
        return { id: r.id, ...outcome.reply };
      };
      // Requests are started in order, so a dependency's promise always exists before its dependants look it up.
      for (const r of requests) done.set(r.id, run(r));
      const replies = await Promise.all([...done.values()]);
      const responses = replies.reverse().map((r) => ({
        id: r.id,
        status: r.status,
        headers: { ...(r.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...r.headers },
        ...(r.body !== undefined ? { body: r.body } : {}),
      }));
      return { status: 200, body: { responses } };
    },
  };
}

function innerCall(outer: GraphCall, r: InnerRequest): GraphCall {
  const url = r.url.startsWith('/') ? r.url : `/${r.url}`;
  const q = url.indexOf('?');
  const headers: Record<string, string | undefined> = { authorization: outer.headers.authorization };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  return {
    method: r.method.toUpperCase(),
    path: q < 0 ? url : url.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    headers,
    body: r.body,
    origin: outer.origin,
    requestId: randomUUID(),
    clientRequestId: headers['client-request-id'] ?? outer.clientRequestId,
  };
}
