/**
 * Reads how long a service asks us to wait.
 *
 * - `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Microsoft Graph sends
 *   seconds and they may be fractional ("Retry-After: 2.128"):
 *   https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
 * - Azure services also send `retry-after-ms` / `x-ms-retry-after-ms` in milliseconds; the Azure SDK
 *   pipeline (which botbuilder's connector uses) honours them, so we do too.
 *
 * Returns milliseconds (>= 0), or undefined when no usable value is present.
 */
export type HeaderGetter = (name: string) => string | null | undefined;

const MAX_WAIT_MS = 10 * 60 * 1000; // a 10-minute ceiling guards against a mangled header pausing a run for days

export function parseRetryAfter(get: HeaderGetter, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = toNumber(get(name));
    if (ms !== undefined) return clamp(ms);
  }
  const raw = get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = toNumber(raw);
  if (seconds !== undefined) return clamp(seconds * 1000);
  // An HTTP-date always names a day and month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone would read "-4" as a year.
  const date = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isNaN(date)) return clamp(date - nowMs);
  return undefined;
}

function toNumber(raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  if (!/^\s*\d+(\.\d+)?\s*$/.test(raw)) return undefined;
  return Number(raw);
}

const clamp = (ms: number) => Math.min(MAX_WAIT_MS, Math.max(0, Math.ceil(ms)));

/** Adapts a plain headers object (any case) or a fetch Headers to a getter. */
export function headerGetter(headers: Headers | Record<string, unknown> | undefined | null): HeaderGetter {
  if (!headers) return () => undefined;
  if (typeof (headers as Headers).get === 'function') return (n) => (headers as Headers).get(n);
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v == null ? undefined : String(v)]));
  return (n) => lower.get(n.toLowerCase());
}
