/**
 * Company Communicator's send step (peers.md): one queue message per recipient, 30 sends at once;
 * on 429 or 5xx, 5 in-process retries with jittered exponential backoff (Retry-After is not read);
 * a recipient still throttled after them is marked "Unknown" and never retried, and the whole tenant's
 * sending pauses (~11 minutes in CC; `pauseMs` here, see bench/scenarios.ts for the scale used).
 */
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { WELCOME_TEXT, sleep, statusOf } from './common.js';

export interface CcSendOptions {
  adapter: CloudAdapter;
  botAppId: string;
  tenantId: string;
  /** The tenant-wide serviceUrl CC caches from the first conversationUpdate it ever received. */
  serviceUrl: () => string | undefined;
  concurrency: number;
  retries: number;
  /** Median of the first retry's delay; each later one doubles. */
  firstRetryMs: number;
  pauseMs: number;
}

export interface CcSendTally {
  pauses: number;
  attempts: number;
}

/** Sends to every recipient (aadObjectId → conversation id); returns each one's final status. */
export async function ccSend(o: CcSendOptions, recipients: [string, string][], status: Map<string, string>): Promise<CcSendTally> {
  const tally: CcSendTally = { pauses: 0, attempts: 0 };
  let pausedUntil = 0;
  const gate = async () => {
    while (Date.now() < pausedUntil) await sleep(pausedUntil - Date.now());
  };
  const sendOnce = async (conversationId: string) => {
    const serviceUrl = o.serviceUrl();
    // CC issues #446/#1418: with no serviceUrl ever captured, every proactive send fails.
    if (!serviceUrl) throw Object.assign(new Error('no serviceUrl captured yet'), { code: 'no_service_url' });
    const ref: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal', tenantId: o.tenantId, isGroup: false, name: '' },
      bot: { id: `28:${o.botAppId}`, name: '' },
    };
    await o.adapter.continueConversationAsync(o.botAppId, ref, async (context) => {
      await context.sendActivity(WELCOME_TEXT);
    });
  };
  const sendOne = async (conversationId: string): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      await gate();
      tally.attempts++;
      try {
        await sendOnce(conversationId);
        return 'succeeded';
      } catch (e) {
        const s = statusOf(e);
        const transient = s === '429' || (/^5\d\d$/.test(s) && s !== '501');
        if (!transient) return `failed:${s}`;
        if (attempt >= o.retries) {
          if (s !== '429') return `failed:${s}`;
          if (Date.now() >= pausedUntil) tally.pauses++;
          pausedUntil = Math.max(pausedUntil, Date.now() + o.pauseMs);
          return 'unknown';
        }
        await sleep(o.firstRetryMs * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < recipients.length) {
        const [aadObjectId, conversationId] = recipients[next++]!;
        status.set(aadObjectId, await sendOne(conversationId));
      }
    }),
  );
  return tally;
}
