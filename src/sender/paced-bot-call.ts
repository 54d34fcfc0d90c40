import type { Clock } from '../clock.js';
import { pacedAttempts } from '../pace/paced-attempts.js';
import type { RetryPolicy } from '../pace/retry-policy.js';
import type { BotPacing } from './bot-pacing.js';
import { classifySendFailure } from './classify-send-failure.js';

export interface PacedBotCallDeps {
  pacing: BotPacing;
  policy: RetryPolicy;
  clock: Clock;
  random: () => number;
}

/**
 * A Bot Connector call that is safe to repeat (list members, create a 1:1 conversation — Teams
 * answers the same conversation for the same person), paced at the bot's limits and retried within
 * the policy on 429/412/5xx and network errors. Other failures are thrown for the caller to classify.
 */
export async function pacedBotCall<T>(d: PacedBotCallDeps, tenantId: string, conversationKey: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let lastError: unknown;
  return pacedAttempts<T>(
    d,
    {
      before: async () => {
        await d.pacing.take(tenantId, conversationKey, signal);
      },
      attempt: async () => {
        try {
          return { done: await fn() };
        } catch (e) {
          const v = classifySendFailure(e, d.clock.now());
          // A lost answer is retried too: these calls are safe to repeat.
          const failure = v.kind === 'retry' ? v.failure : v.kind === 'unconfirmed' ? ({ kind: 'network' } as const) : undefined;
          if (!failure) throw e;
          lastError = e;
          return { failure };
        }
      },
      pause: (untilMs) => d.pacing.pause(tenantId, untilMs),
      giveUp: () => {
        throw lastError;
      },
    },
    signal,
  );
}
