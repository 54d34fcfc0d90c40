import type { Fault } from '../faults.js';
import type { GraphReply } from './call.js';
import { GraphHttpError, errorBody, graphDate, type RequestIds } from './errors.js';

/**
 * Retry-After in seconds, fractional like Graph's own ("Retry-After: 2.128", concepts/throttling.md,
 * wire-facts A8): milliseconds rounded up to three decimals, never 0.
 */
export function formatRetryAfter(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms)) / 1000;
  return String(Number(seconds.toFixed(3)));
}

/**
 * The Retry-After of a refused request. limits.ts charges refused requests (Graph "keeps counting usage
 * while throttled"), so the bucket's own figure (time until ITS token) is too short for a herd: requests
 * refused after this one deepen the debt before this one comes back, and a client such as graph-client's
 * RetryHandler, retrying each request at its own Retry-After, would be refused again and again. Adding one
 * bucket's worth (capacity = one second of requests) makes the figure honest for any herd up to the
 * bucket's size: a client that waits what it is told gets through.
 */
export function herdSafeRetryAfterMs(bucketRetryAfterMs: number, ratePerSecond: number): number {
  const capacity = Math.max(1, ratePerSecond);
  return bucketRetryAfterMs + ((capacity - 1) / ratePerSecond) * 1000;
}

/** The documented 429 (wire-facts A8), with its odd innerError. */
export function throttledReply(retryAfterMs: number, ids: RequestIds, nowMs: number, extraHeaders: Record<string, string> = {}): GraphReply {
  return {
    status: 429,
    headers: { 'Retry-After': formatRetryAfter(retryAfterMs), ...extraHeaders },
    body: {
      error: {
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: {
          code: '429',
          date: graphDate(nowMs),
          message: 'Please retry after',
          'request-id': ids.requestId,
          status: '429',
          'client-request-id': ids.clientRequestId,
        },
      },
    },
  };
}

/** Retry-After the injected faults ask for: a steady second, so a client that honours it recovers soon. */
export const FAULT_RETRY_AFTER_MS = 1000;

/**
 * The answer for an injected status fault. Codes other than 429 are [INF]: Graph's error list
 * (https://learn.microsoft.com/graph/errors) names `serviceNotAvailable` for 503; the 502/504/412 codes
 * are plausible stand-ins. A fault without Retry-After (`429-no-retry-after`) sends none.
 */
export function faultReply(fault: Extract<Fault, { kind: 'status' }>, ids: RequestIds, nowMs: number): GraphReply {
  if (fault.status === 429) {
    const r = throttledReply(FAULT_RETRY_AFTER_MS, ids, nowMs);
    if (!fault.retryAfter) delete r.headers!['Retry-After'];
    return r;
  }
  const [code, message] = FAULT_TEXT[fault.status] ?? ['UnknownError', 'An unexpected error occurred.'];
  const headers: Record<string, string> = fault.retryAfter && fault.status === 503 ? { 'Retry-After': formatRetryAfter(FAULT_RETRY_AFTER_MS) } : {};
  return { status: fault.status, headers, body: errorBody(new GraphHttpError(fault.status, code, message), ids, nowMs) };
}

const FAULT_TEXT: Record<number, [string, string]> = {
  412: ['PreconditionFailed', 'Precondition failed, please try again.'],
  502: ['BadGateway', 'The server received an invalid response from an upstream server. Please retry.'],
  503: ['serviceNotAvailable', 'Service is unavailable. Please try again later.'],
  504: ['GatewayTimeout', 'The upstream service did not answer in time. Please retry.'],
};
