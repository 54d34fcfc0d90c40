import { badRequest } from './errors.js';
import type { GraphCall } from './call.js';

/**
 * Paging tokens and links. Tokens are opaque to clients (they must follow `@odata.nextLink` and
 * `@odata.deltaLink` verbatim, user-list.md, delta-query-users.md) but here they are base64url JSON
 * of everything the next call needs (an offset, the delta watermark, the $select). The simulator keeps
 * no per-client paging state, so memory does not grow with callers, and a link stays valid across a
 * restart with the same seed and user count (the population is regenerated identically; changes made
 * through /_sim before the restart are gone, so a delta token then sees only later changes).
 */
export function encodeToken(data: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

export function decodeToken<T extends Record<string, unknown>>(raw: string, what: '$skiptoken' | '$deltatoken'): T {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as T;
  } catch {
    // falls through to the 400
  }
  // [INF] the real text for a mangled token; Graph answers 400 for one.
  throw badRequest(`The ${what} value is invalid or has expired. Start again without it.`);
}

/** Query values as Graph writes them in its links: percent-encoded, but `$`, `,` and `'` left readable. */
export function odataQueryString(pairs: readonly (readonly [string, string])[]): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%2C/gi, ',').replace(/%24/g, '$').replace(/%27/g, "'");
  return pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

/**
 * An absolute `https://` link back to the same path with `pairs` as its query. It must be https and
 * absolute: graph-client's PageIterator follows a next link through `client.api(link)`, which only
 * treats a URL containing `https://` as absolute (wire-facts D).
 */
export function linkTo(call: GraphCall, pairs: readonly (readonly [string, string])[], path = call.path): string {
  return `${call.origin}/v1.0${path}?${odataQueryString(pairs)}`;
}

/** The request's own query pairs minus `drop` (e.g. the old $skiptoken), in their original order. */
export function queryPairsWithout(q: URLSearchParams, drop: readonly string[]): [string, string][] {
  return [...q.entries()].filter(([k]) => !drop.includes(k));
}

/** `@odata.context` for a collection or entity, as Graph writes it. */
export function contextUrl(call: GraphCall, fragment: string): string {
  return `${call.origin}/v1.0/$metadata#${fragment}`;
}
