import type { Clock } from '../clock.js';
import { decideRetry, type RetryPolicy } from '../pace/retry-policy.js';
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
  for (let attempt = 1; ; attempt++) {
    await d.pacing.take(tenantId, conversationKey, signal);
    try {
      return await fn();
    } catch (e) {
      const v = classifySendFailure(e, d.clock.now());
      const failure = v.kind === 'retry' ? v.failure : v.kind === 'unconfirmed' ? ({ kind: 'network' } as const) : undefined;
      if (!failure) throw e;
      const decision = decideRetry(failure, attempt, d.policy, d.random());
      if (failure.kind === 'status' && failure.status === 429 && failure.retryAfterMs !== undefined) d.pacing.pause(tenantId, d.clock.now() + failure.retryAfterMs);
      if (!decision.retry) throw e;
      await d.clock.sleep(decision.delayMs, signal);
    }
  }
}
