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
import type { ConversationReferenceRow, Store, UserRow } from '../store/types.js';
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
  const fail = async (refusal: Refusal, why?: string): Promise<SendResult> => {
    const r = await change((r) => welcomeFailed(r, d.claimer, why ? { ...refusal, detail: `${refusal.detail}; ${why}` } : refusal, at()));
    return r.changed ? refusal.state : 'lost-claim';
  };

  const stored = await d.store.getReference(row.tenantId, row.aadObjectId);
  if (!stored) return fail({ state: 'failed', reason: 'reference_unavailable', statusCode: null, serviceCode: null, detail: 'the conversation reference disappeared before the send' });
  let ref: ConversationReferenceRow = stored;
  // Checked before anything leaves: a binding the data did not fill ("${manager.name}") or a shown field
  // empty for this person would reach them as written (card-fields.ts), so this person is not sent it.
  const composed = d.card.compose(row);
  if (!composed.ok) {
    return fail({ state: 'failed', reason: 'card_incomplete', statusCode: null, serviceCode: null, detail: `nothing was sent: in the welcome card ${d.card.source}, ${composed.problems.join('; ')}` });
  }
  const activity = composed.activity;
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
      const fresh = reresolved || !graph ? 'not asked' : await lookUpAgain(d, graph, row);
      reresolved = true;
      if (typeof fresh === 'object' && fresh.conversationId !== ref.conversationId) {
        ref = fresh;
        continue;
      }
      const result = await fail(verdict.refusal, fresh === 'none' ? 'Graph has no chat for this person' : fresh === 'not asked' ? undefined : 'Graph gave the same chat');
      // Dropped only now that the row is final: a row left `welcoming` without any reference could never be claimed again.
      if (fresh === 'none') await d.store.deleteReference(row.tenantId, row.aadObjectId);
      return result;
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

/** A stale chat (404 ConversationNotFound, 403 not in roster): the installation's chat through Graph, once. */
async function lookUpAgain(d: SendWelcomeDeps, graph: GraphReferenceDeps, row: UserRow): Promise<ConversationReferenceRow | 'none'> {
  try {
    return (await resolveReferenceViaGraph(graph, row.aadObjectId, 'sender')) ?? 'none';
  } catch (e) {
    d.log.warn('looking the chat up again through Graph failed', { user: row.aadObjectId, error: (e as Error).message });
    return 'none';
  }
}
