import { segmentNotFound } from './errors.js';

export interface Match<R> {
  route: R;
  params: Record<string, string>;
}

/**
 * Finds the route for a percent-encoded path. Literal segments compare case-insensitively (Graph
 * treats `/Users` and `/users` alike); `{name}` captures one decoded segment.
 * Returns `{ methodMismatch }` when the path exists for another method, and throws Graph's 400
 * "Resource not found for the segment '…'" when no route has that path (what real Graph answers for
 * a wrong segment, e.g. the doubled `/v1.0/v1.0/...` of wire-facts A7).
 */
export function matchRoute<R extends { method: string; pattern: string }>(
  routes: readonly R[],
  method: string,
  path: string,
): Match<R> | { methodMismatch: true } {
  const segments = path.split('/').filter(Boolean);
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    throw segmentNotFound(segments.find((s) => !isDecodable(s)) ?? path);
  }
  let pathExists = false;
  let deepest = 0;
  for (const route of routes) {
    const r = tryRoute(route.pattern, decoded);
    deepest = Math.max(deepest, r.matched);
    if (!r.params) continue;
    if (route.method === method) return { route, params: r.params };
    pathExists = true;
  }
  if (pathExists) return { methodMismatch: true };
  throw segmentNotFound(decoded[deepest] ?? decoded[decoded.length - 1] ?? '');
}

function tryRoute(pattern: string, decoded: string[]): { params?: Record<string, string>; matched: number } {
  const parts = pattern.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  let i = 0;
  for (; i < parts.length && i < decoded.length; i++) {
    const part = parts[i]!;
    const seg = decoded[i]!;
    if (part.startsWith('{') && part.endsWith('}')) params[part.slice(1, -1)] = seg;
    else if (part.toLowerCase() !== seg.toLowerCase()) return { matched: i };
  }
  if (parts.length !== decoded.length) return { matched: i };
  return { params, matched: i };
}

function isDecodable(s: string): boolean {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}
