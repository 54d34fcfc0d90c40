/**
 * The one retry decision, as a pure function (PRODUCT.md §5).
 *
 * Retried: 429 and 412/502/503/504 and network errors — the codes Teams documents as "retry with
 * exponential backoff" (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * and …/bots/build-conversational-capability#status-codes-from-bot-conversational-apis), and Graph's
 * 429/503/504 (https://learn.microsoft.com/graph/throttling). A 500 from the connector is "ServiceError,
 * no retry"; 400/401/403/404 are final for the attempt and classified by the caller.
 * Always bounded: `maxAttempts` counts every try, the first included.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. @default 5 */
  maxAttempts: number;
  /** First backoff when the service gave no Retry-After. @default 500 */
  baseDelayMs: number;
  /** Ceiling of one backoff. @default 30000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export type Failure =
  /** `transient`: a status that is final in general but known to pass on retry for this call (a 400 from Teams' entitlement backend, transient-install-fault.ts). */
  | { kind: 'status'; status: number; retryAfterMs?: number | undefined; transient?: boolean | undefined }
  | { kind: 'network'; code?: string | undefined };

export type RetryDecision = { retry: true; delayMs: number; why: string } | { retry: false; why: string };

const RETRYABLE_STATUS = new Set([412, 429, 502, 503, 504]);

export function isRetryable(f: Failure): boolean {
  return f.kind === 'network' || RETRYABLE_STATUS.has(f.status) || f.transient === true;
}

/**
 * @param attempt the attempt that just failed, starting at 1
 * @param random a number in [0, 1) for the jitter (injected so tests are exact)
 */
export function decideRetry(f: Failure, attempt: number, policy: RetryPolicy, random: number): RetryDecision {
  const label = f.kind === 'network' ? `network error${f.code ? ` ${f.code}` : ''}` : `HTTP ${f.status}${f.transient ? ' (transient)' : ''}`;
  if (!isRetryable(f)) return { retry: false, why: `${label} is not retryable` };
  if (attempt >= policy.maxAttempts) return { retry: false, why: `${label} after ${attempt} attempts (the most the policy allows)` };
  if (f.kind === 'status' && f.retryAfterMs !== undefined) {
    // The service said when: wait that long, plus up to 10% so that a crowd of callers does not return at once.
    return { retry: true, delayMs: Math.round(f.retryAfterMs * (1 + 0.1 * random)), why: `${label}, Retry-After ${f.retryAfterMs} ms` };
  }
  // "Full jitter" exponential backoff: a random wait in [base·2^(n-1)/2, base·2^(n-1)], capped.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { retry: true, delayMs: Math.round(ceiling / 2 + (ceiling / 2) * random), why: `${label}, backoff` };
}
