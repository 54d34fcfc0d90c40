import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { applyChange } from '../ledger/apply.js';
import {
  sendAttemptAnswered,
  sendAttemptStarted,
  welcomeFailed,
  welcomeReleased,
  welcomeSent,
  welcomeUnconfirmed,
  type Change,
  type Refusal,
} from '../ledger/transitions.js';
import { decideRetry, type RetryPolicy } from '../pace/retry-policy.js';
import { resolveReferenceViaGraph, type GraphReferenceDeps } from '../references/resolve-via-graph.js';
import type { Store, UserRow } from '../store/types.js';
import type { BotPacing } from './bot-pacing.js';
import type { WelcomeCard } from './card.js';
import { classifySendFailure } from './classify-send-failure.js';
import type { ConnectorSend } from './connector-send.js';

export interface SendWelcomeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  send: ConnectorSend;
  card: WelcomeCard;
  pacing: BotPacing;
  policy: RetryPolicy;
  claimer: string;
  random: () => number;
  /** Graph, for looking a stale chat up again; per tenant (only the configured tenant has one). */
  graphReferences?: (tenantId: string) => GraphReferenceDeps | undefined;
}

export type SendResult = 'welcomed' | 'failed' | 'skipped' | 'unconfirmed' | 'lost-claim' | 'released';

/**
 * One person's welcome, from a row this sender has claimed (`welcoming`): render the card, send it
 * paced, retry within the policy, and record the outcome at once. A stale conversation (404, or 403
 * not in roster) is dropped and looked up again through Graph once (PRODUCT.md §2 "Stale references").
 */
export async function sendWelcome(d: SendWelcomeDeps, row: UserRow, signal?: AbortSignal): Promise<SendResult> {
  const at = () => d.clock.now();
  const change = (fn: (r: UserRow) => Change | null) => applyChange(d.store, row.tenantId, row.aadObjectId, fn, { at: at(), actor: 'sender' });
  const fail = async (refusal: Refusal): Promise<SendResult> => {
    const r = await change((r) => welcomeFailed(r, d.claimer, refusal, at()));
    return r.changed ? refusal.state : 'lost-claim';
  };

  let ref = await d.store.getReference(row.tenantId, row.aadObjectId);
  if (!ref) return fail({ state: 'failed', reason: 'reference_unavailable', statusCode: null, serviceCode: null, detail: 'the conversation reference disappeared before the send' });
  const activity = d.card.render(row);
  let reresolved = false;
  // Stopping (SIGTERM) while waiting for a slot or a backoff gives the person back unsent.
  const released = async (): Promise<SendResult> => {
    await change((r) => welcomeReleased(r, d.claimer, at()));
    return 'released';
  };
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return released();
    try {
      await d.pacing.take(row.tenantId, ref.conversationId, signal);
    } catch {
      return released();
    }
    const started = await change((r) => sendAttemptStarted(r, d.claimer, at()));
    if (!started.changed) return 'lost-claim'; // uninstalled or opted out meanwhile: nothing was sent
    let error: unknown;
    let sentId: string | null = null;
    try {
      sentId = (await d.send(ref, activity)).id;
    } catch (e) {
      error = e;
    }
    if (error === undefined) {
      await change((r) => welcomeSent(r, d.claimer, sentId, at()));
      return 'welcomed';
    }
    const verdict = classifySendFailure(error, at());
    if (verdict.kind === 'unconfirmed') {
      await change((r) => welcomeUnconfirmed(r, d.claimer, verdict.detail, at()));
      return 'unconfirmed';
    }
    await change((r) => sendAttemptAnswered(r, d.claimer, at()));
    if (verdict.kind === 'final') return fail(verdict.refusal);
    if (verdict.kind === 'reresolve') {
      const graph = d.graphReferences?.(row.tenantId);
      if (reresolved || !graph) return fail(verdict.refusal);
      reresolved = true;
      // Graph first, and the stale reference dropped only once the row is final: a process that dies in
      // between leaves the row `welcoming`, given back unsent by the next sender (recoverOrphanedWelcomes),
      // and a row without any reference is never claimed again (claimWelcomes joins references): lost for good.
      const fresh = await resolveReferenceViaGraph(graph, row.aadObjectId, 'sender').catch((e: unknown) => {
        d.log.warn('looking the chat up again through Graph failed', { user: row.aadObjectId, error: (e as Error).message });
        return undefined;
      });
      if (!fresh || fresh.conversationId === ref.conversationId) {
        const result = await fail({ ...verdict.refusal, detail: `${verdict.refusal.detail}; Graph ${fresh ? 'gave the same chat' : 'has no chat for this person'}` });
        if (!fresh) await d.store.deleteReference(row.tenantId, row.aadObjectId);
        return result;
      }
      ref = fresh;
      continue;
    }
    const decision = decideRetry(verdict.failure, attempt, d.policy, d.random());
    if (verdict.failure.kind === 'status' && verdict.failure.status === 429 && verdict.failure.retryAfterMs !== undefined) {
      d.pacing.pause(row.tenantId, at() + verdict.failure.retryAfterMs);
    }
    if (!decision.retry) {
      const f = verdict.failure;
      const reason = f.kind === 'network' ? 'network_error' : f.status === 429 ? 'throttled' : 'service_error';
      return fail({ state: 'failed', reason, statusCode: f.kind === 'status' ? f.status : null, serviceCode: null, detail: `${verdict.detail} (${decision.why})` });
    }
    try {
      await d.clock.sleep(decision.delayMs, signal);
    } catch {
      return released();
    }
  }
}
