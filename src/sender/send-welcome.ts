import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { applyChange } from '../store/apply-change.js';
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
import { pacedAttempts, type AttemptAnswer } from '../pace/paced-attempts.js';
import type { RetryPolicy } from '../pace/retry-policy.js';
import { resolveReferenceViaGraph, type GraphReferenceDeps } from '../references/resolve-via-graph.js';
import type { ConversationReferenceRow, Store, UserRow } from '../store/types.js';
import type { BotPacing } from './bot-pacing.js';
import type { WelcomeCard } from './card.js';
import { BotTokenRefusedError, type BotTokenGate } from './bot-token-gate.js';
import { classifySendFailure, connectorFailureText, SENDER_STOPPING_REASONS } from './classify-send-failure.js';
import type { ConnectorCreate } from './connector-create.js';
import type { ConnectorSend } from './connector-send.js';
import { pacedBotCall } from './paced-bot-call.js';

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
  /** Creates a 1:1 conversation, for a chat that is gone when Graph gives no other; absent: no such step. */
  create?: ConnectorCreate;
  /** The bot's token before each send (absent in local-emulator mode, which sends without one). */
  tokenGate?: BotTokenGate | undefined;
}

export type SendResult = 'welcomed' | 'failed' | 'skipped' | 'unconfirmed' | 'lost-claim' | 'released';

/**
 * One person's welcome, from a row this sender has claimed (`welcoming`): render the card, send it
 * paced, retry within the policy, and record the outcome at once. A stale conversation (404, or 403
 * not in roster) is looked up again through Graph once (PRODUCT.md §2 "Stale references"); when Graph
 * gives the same chat (or none could be asked) the conversation is created again once, and the welcome
 * sent there; only then does the person fail, with a detail that lists what was tried.
 */
export async function sendWelcome(d: SendWelcomeDeps, row: UserRow, signal?: AbortSignal): Promise<SendResult> {
  const at = () => d.clock.now();
  // The row as the claim (then each change) left it: each change is a compare-and-set on its version, with no read first.
  let held: UserRow | undefined = row;
  const change = async (fn: (r: UserRow) => Change | null) => {
    const r = await applyChange(d.store, row.tenantId, row.aadObjectId, fn, { at: at(), actor: 'sender' }, held);
    held = r.row;
    return r;
  };
  const fail = async (refusal: Refusal, why?: string): Promise<SendResult> => {
    const r = await change((r) => welcomeFailed(r, d.claimer, why ? { ...refusal, detail: `${refusal.detail}; ${why}` } : refusal));
    return r.changed ? refusal.state : 'lost-claim';
  };

  const stored = await d.store.getReference(row.tenantId, row.aadObjectId);
  if (!stored) return fail({ state: 'failed', reason: 'reference_unavailable', statusCode: null, serviceCode: null, detail: 'the conversation reference disappeared before the send' });
  let ref: ConversationReferenceRow = stored;
  const storedUserId = stored.userId;
  // Checked before anything leaves: a binding the data did not fill ("${manager.name}") or a shown field
  // empty for this person would reach them as written (card-fields.ts), so this person is not sent it.
  const composed = d.card.compose(row);
  if (!composed.ok) {
    return fail({ state: 'failed', reason: 'card_incomplete', statusCode: null, serviceCode: null, detail: `nothing was sent: in the welcome card ${d.card.source}, ${composed.problems.join('; ')}` });
  }
  const activity = composed.activity;
  // A stale chat gets one Graph look-up and one create per person and run (issue 10.1); `tried` is what the detail tells.
  let reresolved = false;
  let created = false;
  let sentTo = 'the stored chat';
  const tried: string[] = [];
  // Stopping (SIGTERM) while waiting for a slot or a backoff gives the person back unsent.
  const released = async (): Promise<SendResult> => {
    await change((r) => welcomeReleased(r, d.claimer));
    return 'released';
  };
  // The detail of the last retryable failure, for the person's row when the policy gives up.
  let lastDetail = '';
  return pacedAttempts<SendResult>(
    d,
    {
      before: async () => {
        // The bot's token was refused for another send: this one is not tried, and waits for a sender that has a token.
        if (signal?.aborted || d.tokenGate?.refusal) return { stop: await released() };
        try {
          await d.pacing.take(row.tenantId, ref.conversationId, signal);
        } catch {
          return { stop: await released() };
        }
      },
      attempt: async () => {
        const started = await change((r) => sendAttemptStarted(r, d.claimer, at()));
        if (!started.changed) return { done: 'lost-claim' }; // uninstalled or opted out meanwhile: nothing was sent
        let error: unknown;
        let sentId: string | null = null;
        try {
          await d.tokenGate?.check();
          sentId = (await d.send(ref, activity)).id;
        } catch (e) {
          error = e;
        }
        if (error instanceof BotTokenRefusedError) return { done: await released() }; // refused meanwhile, for another send
        if (error === undefined) {
          await change((r) => welcomeSent(r, d.claimer, sentId, at()));
          return { done: 'welcomed' };
        }
        const verdict = classifySendFailure(error, at());
        if (verdict.kind === 'unconfirmed') {
          await change((r) => welcomeUnconfirmed(r, d.claimer, verdict.detail));
          return { done: 'unconfirmed' };
        }
        await change((r) => sendAttemptAnswered(r, d.claimer));
        if (verdict.kind === 'final') {
          if (SENDER_STOPPING_REASONS.has(verdict.refusal.reason)) d.tokenGate?.refuse(verdict.refusal);
          return { done: await fail(verdict.refusal) };
        }
        if (verdict.kind === 'reresolve') return staleChat(verdict.refusal);
        lastDetail = verdict.detail;
        return { failure: verdict.failure };
      },
      pause: (untilMs) => d.pacing.pause(row.tenantId, untilMs),
      giveUp: (f, decision) => {
        const reason = f.kind === 'network' ? 'network_error' : f.status === 429 ? 'throttled' : 'service_error';
        return fail({ state: 'failed', reason, statusCode: f.kind === 'status' ? f.status : null, serviceCode: null, detail: `${lastDetail} (${decision.why})` });
      },
      // Stopping (SIGTERM) during a backoff gives the person back unsent.
      interrupted: () => released(),
    },
    signal,
  );

  /** 404, or 403 not in roster: Graph once, then a create once, each followed by a send to what it gave; then fail with what was tried. */
  async function staleChat(refusal: Refusal): Promise<AttemptAnswer<SendResult>> {
    tried.push(`${sentTo}: ${brief(refusal)}`);
    if (!reresolved) {
      reresolved = true;
      const graph = d.graphReferences?.(row.tenantId);
      const fresh = graph ? await lookUpAgain(d, graph, row) : 'not asked';
      if (typeof fresh === 'object' && fresh.conversationId !== ref.conversationId) {
        tried.push('Graph gave another chat');
        ref = fresh;
        sentTo = "Graph's chat";
        return { again: true };
      }
      if (fresh === 'none') {
        // Not installed for them (any more): creating the conversation would be refused too (msteams-docs#11125).
        const result = await fail(refusal, `tried ${[...tried, 'Graph has no chat for this person'].join('; ')}`);
        // Dropped only now that the row is final: a row left `welcoming` without any reference could never be claimed again.
        await d.store.deleteReference(row.tenantId, row.aadObjectId);
        return { done: result };
      }
      if (fresh !== 'not asked') tried.push(fresh === 'failed' ? 'Graph could not be asked' : 'Graph gave the same chat');
    }
    if (!created && d.create) {
      created = true;
      const made = await createAgain(d, row, ref, storedUserId, signal);
      if (typeof made === 'object') {
        tried.push('created the conversation again');
        ref = made;
        sentTo = 'the new conversation';
        return { again: true };
      }
      if (signal?.aborted) return { done: await released() };
      tried.push(`creating the conversation again: ${made}`);
    }
    return { done: await fail(refusal, tried.length > 1 ? `tried ${tried.join('; ')}` : undefined) };
  }
}

/** A stale chat (404 ConversationNotFound, 403 not in roster): the installation's chat through Graph, once. */
async function lookUpAgain(d: SendWelcomeDeps, graph: GraphReferenceDeps, row: UserRow): Promise<ConversationReferenceRow | 'none' | 'failed'> {
  try {
    return (await resolveReferenceViaGraph(graph, row.aadObjectId, 'sender')) ?? 'none';
  } catch (e) {
    d.log.warn('looking the chat up again through Graph failed', { user: row.aadObjectId, error: (e as Error).message });
    return 'failed';
  }
}

/**
 * The guide's own step when the chat is gone (the person removed its history, or the id is stale) and Graph
 * gives no other: create the 1:1 conversation again, with their `29:` id when we have one, else their Entra
 * object id (send-proactive-messages.md "Create the conversation"; msteams-docs#14079). The new reference is
 * stored before anything is sent to it, so later sends (and a sender that takes over) use it. Throttling
 * and 5xx are retried within the policy (the create changes nothing until it succeeds); any other answer
 * is returned as text for the person's detail.
 */
async function createAgain(d: SendWelcomeDeps, row: UserRow, ref: ConversationReferenceRow, userId: string | null, signal?: AbortSignal): Promise<ConversationReferenceRow | string> {
  try {
    const memberId = userId ?? row.aadObjectId;
    const conversationId = await pacedBotCall(d, row.tenantId, `create:${row.aadObjectId}`, () => d.create!({ tenantId: row.tenantId, serviceUrl: ref.serviceUrl, memberId, name: row.displayName ?? undefined }), signal);
    const fresh: ConversationReferenceRow = { ...ref, conversationId, userId, source: 'created', capturedAt: d.clock.now() };
    await d.store.putReference(fresh);
    d.log.info('created the 1:1 conversation again', { user: row.aadObjectId, conversationId });
    return fresh;
  } catch (e) {
    return connectorFailureText(e, d.clock.now());
  }
}

/** `404 ConversationNotFound`: the status and code of a refusal, for the list of what was tried. */
const brief = (r: Refusal) => [r.statusCode, r.serviceCode].filter((x) => x !== null).join(' ') || r.reason;

