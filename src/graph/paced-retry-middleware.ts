import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../clock.js';
import { parseRetryAfter, headerGetter } from '../pace/retry-after.js';
import { pacedAttempts } from '../pace/paced-attempts.js';
import type { RetryPolicy } from '../pace/retry-policy.js';
import type { TokenBucket } from '../pace/token-bucket.js';
import { classifyGraphRequest, type GraphClass } from './request-class.js';
import { isTransientEntitlementFault } from './transient-install-fault.js';

/**
 * Per-call record, passed with `.middlewareOptions([info])`: how many attempts the call took and
 * whether an earlier one may have been acted on by the service (a dropped connection or a 5xx) —
 * so that a 409 on the retry of an install is known to be our own earlier attempt.
 */
export class CallInfo implements MiddlewareOptions {
  attempts = 0;
  earlierAttemptMayHaveLanded = false;
}

/** What one HTTP attempt did, for counters and progress. */
export interface GraphAttempt {
  cls: GraphClass;
  method: string;
  status: number | null;
  attempt: number;
  retryAfterMs?: number | undefined;
  willRetry: boolean;
  networkCode?: string | undefined;
  /** A status that is final in general but retried here because it is known to pass (the install's entitlement 400). */
  transient?: boolean | undefined;
}

export interface PacedRetryOptions {
  buckets: Partial<Record<GraphClass, TokenBucket>>;
  policy: RetryPolicy;
  clock: Clock;
  random?: () => number;
  onAttempt?: (a: GraphAttempt) => void;
}

/**
 * Pacing and bounded retries for every Graph call, in one middleware that replaces the SDK's
 * RetryHandler (whose sleeps cannot be injected and whose retries would stack on ours,
 * wire-facts D). The loop is pace/paced-attempts.ts: each attempt first takes a slot from its class's
 * token bucket, so a healthy run stays under the published limits instead of reacting to 429s; a 429's
 * Retry-After pauses the whole class (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling).
 * One logical call is tried at most `policy.maxAttempts` times, whatever the status.
 */
export class PacedRetryMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly options: PacedRetryOptions) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error('PacedRetryMiddleware must not be the last middleware');
    const { buckets, policy, clock, onAttempt } = this.options;
    const random = this.options.random ?? Math.random;
    const method = (context.options?.method ?? (typeof context.request === 'string' ? 'GET' : context.request.method) ?? 'GET').toUpperCase();
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const cls = classifyGraphRequest(method, url);
    const bucket = buckets[cls];
    const info = context.middlewareControl?.getMiddlewareOptions(CallInfo) as CallInfo | undefined;
    // A caller's AbortSignal (request .options({ signal })) also ends our waits, so Ctrl-C is not held up by pacing.
    const signal = (context.options as { signal?: AbortSignal } | undefined)?.signal ?? undefined;
    // Each request inside a $batch counts against its own limit ("evaluated individually against
    // throttling limits": https://learn.microsoft.com/graph/json-batching, wire-facts A7).
    const inner = innerClasses(url, method, context.options?.body);
    let networkError: unknown;
    await pacedAttempts<void>(
      { clock, policy, random },
      {
        before: async (attempt) => {
          await bucket?.take(signal);
          for (const c of inner) await buckets[c]?.take(signal);
          if (info) info.attempts = attempt;
        },
        attempt: async (attempt) => {
          networkError = undefined;
          context.response = undefined;
          try {
            await next.execute(context);
          } catch (e) {
            networkError = e;
            return { failure: { kind: 'network', code: networkCode(e) } };
          }
          const status = context.response!.status;
          if (status < 400) {
            onAttempt?.({ cls, method, status, attempt, willRetry: false });
            return { done: undefined };
          }
          const retryAfterMs = parseRetryAfter(headerGetter(context.response!.headers), clock.now());
          // Only an install's 400 is read here (a copy: the Graph client still reads the original for its GraphError).
          const transient = cls === 'teamsPost' && status === 400 && isTransientEntitlementFault(status, await bodyTextOf(context.response!));
          return { failure: { kind: 'status', status, retryAfterMs, ...(transient ? { transient } : {}) } };
        },
        decided: (failure, decision, attempt) => {
          onAttempt?.({
            cls,
            method,
            status: failure.kind === 'status' ? failure.status : null,
            attempt,
            retryAfterMs: failure.kind === 'status' ? failure.retryAfterMs : undefined,
            willRetry: decision.retry,
            networkCode: failure.kind === 'network' ? failure.code : undefined,
            ...(failure.kind === 'status' && failure.transient ? { transient: true } : {}),
          });
          // [INF] The entitlement 400 is an exception inside Teams' backend: whether it had installed the app first is unknown.
          if (info && (failure.kind === 'network' || failure.status >= 500 || failure.transient)) info.earlierAttemptMayHaveLanded = true;
        },
        pause: (untilMs) => bucket?.pauseUntil(untilMs),
        giveUp: () => {
          if (networkError !== undefined) throw networkError;
          // else the Graph client turns the final status into a GraphError
        },
        beforeSleep: async () => {
          // Drain the refused answer so the keep-alive socket can be reused.
          await (context.response as Response | undefined)?.arrayBuffer().catch(() => undefined);
          // The SDK's AuthenticationHandler *appends* its header: without this a retry would carry "Bearer a, Bearer a".
          dropAuthorization(context);
        },
      },
      signal,
    );
  }
}

async function bodyTextOf(response: Response): Promise<string | null> {
  try {
    return await response.clone().text();
  } catch {
    return null;
  }
}

/** The class of each request inside a `POST /$batch` body; none for any other call. */
export function innerClasses(url: string, method: string, body: unknown): GraphClass[] {
  if (method !== 'POST' || !/\/\$batch(\?|$)/.test(url.split('#')[0]!) || typeof body !== 'string') return [];
  try {
    const requests = (JSON.parse(body) as { requests?: { method?: string; url?: string }[] }).requests ?? [];
    return requests.map((r) => classifyGraphRequest(r.method ?? 'GET', r.url ?? ''));
  } catch {
    return [];
  }
}

function dropAuthorization(context: Context): void {
  const headers = context.options?.headers as Headers | Record<string, string> | undefined;
  if (!headers) return;
  if (typeof (headers as Headers).delete === 'function') (headers as Headers).delete('Authorization');
  else for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete (headers as Record<string, string>)[k];
  if (typeof context.request !== 'string') context.request.headers.delete('Authorization');
}

function networkCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.cause?.code ?? err?.code ?? undefined;
}
