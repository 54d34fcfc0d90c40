import type { SimContext } from '../context.js';
import { signChannelToken, type ChannelTokenVariant } from './channel-token.js';
import type { ChannelActivity } from './install-activities.js';

/**
 * How long the channel waits for the bot before calling the delivery failed. [INF] 15 s is the answer
 * time Teams gives a bot for invoke activities; nothing is documented for install events.
 */
export const BOT_TIMEOUT_MS = 15_000;

export interface PostActivityOptions {
  /** Where to post. @default ctx.state.botEndpoint */
  endpoint?: string | null;
  /** A broken token, for tests that prove the bot refuses it. @default 'valid' */
  token?: ChannelTokenVariant;
  /** Send exactly this Authorization header instead (null: none at all). */
  authorization?: string | null;
  signal?: AbortSignal;
}

export interface PostResult {
  /** delivered = 2xx; rejected = the bot answered something else; failed = no answer; no-endpoint = nowhere to post. */
  outcome: 'delivered' | 'rejected' | 'failed' | 'no-endpoint';
  status?: number;
  /** The bot's answer (botbuilder puts the reason of a 401 there). */
  body?: string;
}

/**
 * POSTs one activity to the bot as Teams does: a channel JWT whose `serviceurl` claim is the activity's
 * own serviceUrl (B4 step 6), plus the headers Teams adds to every request to a bot,
 * `x-ms-conversation-id` and `x-ms-tenant-id` (build-conversational-capability.md, "Request headers of the bot").
 */
export async function postSignedActivity(ctx: SimContext, activity: ChannelActivity, options: PostActivityOptions = {}): Promise<PostResult> {
  const endpoint = options.endpoint === undefined ? ctx.state.botEndpoint : options.endpoint;
  if (!endpoint) return { outcome: 'no-endpoint' };
  const authorization =
    options.authorization === undefined
      ? `Bearer ${await signChannelToken(ctx, { serviceUrl: activity.serviceUrl, variant: options.token ?? 'valid' })}`
      : options.authorization;
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-ms-conversation-id': activity.conversation.id,
    'x-ms-tenant-id': activity.conversation.tenantId,
  };
  if (authorization !== null) headers.authorization = authorization;
  const timeout = AbortSignal.timeout(BOT_TIMEOUT_MS);
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(activity),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    const body = await res.text();
    return { outcome: res.ok ? 'delivered' : 'rejected', status: res.status, body };
  } catch (e) {
    if (options.signal?.aborted) throw e;
    return { outcome: 'failed', body: (e as Error).message };
  }
}
