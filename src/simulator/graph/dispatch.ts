import type { SimContext } from '../context.js';
import { createGraphTokenVerifier } from '../verify-token.js';
import type { GraphCall, GraphReply, GraphRoute, TokenClaims } from './call.js';
import { GraphHttpError, errorBody, invalidToken } from './errors.js';
import { matchRoute } from './match.js';
import { faultReply, herdSafeRetryAfterMs, throttledReply } from './refusals.js';

/** What became of one Graph request: an answer, or a connection to drop without one (`reset` fault). */
export type GraphOutcome = { kind: 'reply'; reply: GraphReply; label: string } | { kind: 'reset'; label: string };

export type Dispatch = (call: GraphCall) => Promise<GraphOutcome>;

/**
 * The one pipeline every Graph request goes through, outer or inside `$batch`:
 * route → bearer token (401) → the published rate limit (429 + Retry-After) → injected fault →
 * handler (its own 403/404/409…) → `request-id`/`client-request-id` headers → counted in the inspection.
 *
 * Injected 502/504 faults on writes fire AFTER the handler: the work was done and only the answer
 * was lost, the more demanding case (a retry then meets 409 Conflict). [INF] for the real service.
 */
export function createDispatch(ctx: SimContext, routes: readonly GraphRoute[]): Dispatch {
  const verifyToken = createGraphTokenVerifier(ctx);
  return async (call) => {
    const ids = { requestId: call.requestId, clientRequestId: call.clientRequestId };
    let label = 'graph.unknown';
    let reply: GraphReply;
    try {
      const m = matchRoute(routes, call.method, call.path);
      if ('methodMismatch' in m) throw new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      label = m.route.label;
      const auth = await verifyToken(call.headers.authorization);
      if (!auth.ok) throw invalidToken(auth.message);
      const claims = auth.claims as TokenClaims;
      const bucket = m.route.bucket ? ctx.buckets[m.route.bucket] : null;
      const throttled = bucket ? bucket.take(ctx.clock.now()) : { ok: true as const };
      if (!throttled.ok) {
        const retryAfterMs = herdSafeRetryAfterMs(throttled.retryAfterMs, bucket!.rate);
        reply = throttledReply(retryAfterMs, ids, ctx.clock.now(), throttleHeaders(m.route.bucket!, claims));
      } else {
        const fault = ctx.faults.draw('graph');
        if (fault?.kind === 'reset') return finish({ kind: 'reset', label });
        if (fault?.kind === 'slow') await ctx.clock.sleep(fault.ms);
        const lostAnswer = fault?.kind === 'status' && (fault.status === 502 || fault.status === 504) && call.method !== 'GET';
        if (fault?.kind === 'status' && !lostAnswer) reply = faultReply(fault, ids, ctx.clock.now());
        else {
          reply = await m.route.handle({ call, params: m.params, claims, ctx });
          if (lostAnswer) reply = faultReply(fault, ids, ctx.clock.now());
        }
      }
    } catch (e) {
      if (!(e instanceof GraphHttpError)) ctx.log.error('graph handler failed', { path: call.path, error: (e as Error)?.stack ?? String(e) });
      const err = e instanceof GraphHttpError ? e : new GraphHttpError(500, 'InternalServerError', 'The simulated tenant failed to handle the request.');
      reply = { status: err.status, headers: { ...err.extra.headers }, body: errorBody(err, ids, ctx.clock.now()) };
    }
    reply.headers = { ...reply.headers, 'request-id': call.requestId, 'client-request-id': call.clientRequestId };
    return finish({ kind: 'reply', reply, label });
  };

  /** A dropped connection is counted under status 0: it never got one. */
  function finish(outcome: GraphOutcome): GraphOutcome {
    ctx.state.countRequest(outcome.label, outcome.kind === 'reply' ? outcome.reply.status : 0);
    return outcome;
  }
}

/** Identity throttling names its scope (throttling-limits.md, "Identity and access service limits"). */
function throttleHeaders(bucket: string, claims: TokenClaims): Record<string, string> {
  if (bucket !== 'graphDirectory') return {};
  return { 'x-ms-throttle-scope': `Tenant_Application/Read/${claims.appid}/${claims.tid}`, 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' };
}
