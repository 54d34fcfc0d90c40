import type { Clock } from '../clock.js';
import { decideRetry, type Failure, type RetryDecision, type RetryPolicy } from './retry-policy.js';

/**
 * The one paced retry loop (issue 12 "One loop"): take a slot, attempt, let the answer say whether it is
 * done, decide on a failure with the one retry policy, pause the class on a 429's Retry-After, sleep.
 * Graph calls (graph/paced-retry-middleware.ts), repeatable Bot Connector calls (sender/paced-bot-call.ts)
 * and welcome sends (sender/send-welcome.ts) run through it; what differs between them is in the hooks.
 *
 * A 429 with Retry-After pauses the whole class, not only this call: "wait for the time specified in the
 * Retry-After field" applies to the app's requests of that kind
 * (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling;
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit#handle-rate-limits-for-bots).
 */
export interface PacedAttemptsDeps {
  clock: Clock;
  policy: RetryPolicy;
  /** A number in [0, 1) for the backoff's jitter (injected so tests are exact). */
  random: () => number;
}

/** What one attempt came to. */
export type AttemptAnswer<T> =
  /** Finished, well or not: the loop returns this. */
  | { done: T }
  /** Failed in a way the retry policy decides on (a final status is decided "no retry" there). */
  | { failure: Failure }
  /** Try again at once, outside the policy (the caller changed what it sends to, e.g. a chat created again). */
  | { again: true };

export interface PacedAttemptsHooks<T> {
  /**
   * Before each attempt: take the class's slot (and anything else the caller checks). Returning `{ stop }`
   * ends the loop with that value instead of attempting; throwing ends it with the error.
   */
  before: (attempt: number) => Promise<{ stop: T } | void>;
  attempt: (attempt: number) => Promise<AttemptAnswer<T>>;
  /** Pauses the class until this time (epoch ms): a 429 came with Retry-After. */
  pause: (untilMs: number) => void;
  /** After each decided failure, before any pause or sleep (counters, progress, logs). */
  decided?: (failure: Failure, decision: RetryDecision, attempt: number) => void;
  /** A retry the policy allows may still be refused by the caller (`true` = give up now). */
  veto?: (failure: Failure, attempt: number) => boolean;
  /** The policy (or the veto) gave up: the loop's value, or throw. */
  giveUp: (failure: Failure, decision: RetryDecision, attempt: number) => T | Promise<T>;
  /** Before the backoff's sleep (e.g. drain the refused answer's body). */
  beforeSleep?: () => Promise<void> | void;
  /** The backoff's sleep was cut short (the signal): the loop's value, or throw. @default rethrow */
  interrupted?: (error: unknown) => T | Promise<T>;
}

export async function pacedAttempts<T>(d: PacedAttemptsDeps, hooks: PacedAttemptsHooks<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const stop = await hooks.before(attempt);
    if (stop) return stop.stop;
    const answer = await hooks.attempt(attempt);
    if ('done' in answer) return answer.done;
    if ('again' in answer) continue;
    const { failure } = answer;
    let decision = decideRetry(failure, attempt, d.policy, d.random());
    if (decision.retry && hooks.veto?.(failure, attempt)) decision = { retry: false, why: `${decision.why}; not retried here` };
    hooks.decided?.(failure, decision, attempt);
    if (failure.kind === 'status' && failure.status === 429 && failure.retryAfterMs !== undefined) hooks.pause(d.clock.now() + failure.retryAfterMs);
    if (!decision.retry) return hooks.giveUp(failure, decision, attempt);
    await hooks.beforeSleep?.();
    try {
      await d.clock.sleep(decision.delayMs, signal);
    } catch (e) {
      if (!hooks.interrupted) throw e;
      return hooks.interrupted(e);
    }
  }
}
