import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBotApp } from '../../src/bot/app.js';
import { createActivityHandler } from '../../src/bot/on-activity.js';
import { createBotDeps, type BotDeps } from '../../src/deps.js';
import { countsByState } from '../../src/cli/render.js';
import { SENDER_LEASE } from '../../src/sender/welcome-worker.js';
import type { SimUser } from '../../src/simulator/types.js';
import { personalBotAdded, personalInstallationUpdate, postSignedActivity, type ChannelActivity, type PostResult } from '../../src/simulator/channel.js';
import type { ChannelTokenVariant } from '../../src/simulator/botframework.js';
import type { RolloutEnv } from './rollout.js';

/** `serve` built in this process the way src/cli/serve.ts builds it, listening on 127.0.0.1:0. */
export interface InProcessServe {
  endpoint: string;
  base: string;
  bot: BotDeps;
  handler: ReturnType<typeof createActivityHandler>;
  app: ReturnType<typeof createBotApp>;
  status: () => Promise<unknown>;
  stop(): Promise<void>;
}

export async function startServe(e: RolloutEnv, o: { startWorker?: boolean; sweepMs?: number } = {}): Promise<InProcessServe> {
  const { core } = e;
  const bot = await createBotDeps(core, e.graph, { sweepMs: o.sweepMs ?? 200 });
  const handler = createActivityHandler({ store: core.store, clock: core.clock, log: core.log, onReferenceReady: () => bot.worker.notify(), app: bot.app });
  const status = async () => ({
    counts: countsByState(await core.store.countByState({})),
    sender: { holdsLease: bot.worker.isHoldingLease, leaseHolder: (await core.store.leaseHolder(SENDER_LEASE, core.clock.now())) ?? null, results: bot.worker.results },
  });
  const app = createBotApp({ adapter: bot.adapter, onTurn: handler, log: core.log, adminToken: e.config.serve.adminToken, status });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  e.tenant.setBotEndpoint(`${base}/api/messages`);
  if (o.startWorker !== false) bot.worker.start();
  return {
    endpoint: `${base}/api/messages`,
    base,
    bot,
    handler,
    app,
    status,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await bot.worker.stop();
    },
  };
}

/** Messages the tenant accepted for one person (its own record, not our ledger). */
export const messagesTo = (e: RolloutEnv, userId: string) => e.tenant.state.messages.filter((m) => m.userAadObjectId === userId);

/** Whether an accepted message is the welcome card (and not a reply). */
export const isWelcomeCard = (activity: Record<string, unknown>) =>
  Array.isArray(activity.attachments) && (activity.attachments as { contentType?: string }[]).some((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');

let seq = 0;
const stamp = (e: RolloutEnv) => ({ id: `f:test-${++seq}`, at: e.tenant.ctx.clock.now() });

/** The two install events Teams posts for a personal install (wire-facts B1), signed by the simulated channel. */
export function installEvents(e: RolloutEnv, user: SimUser): { installationUpdate: ChannelActivity; conversationUpdate: ChannelActivity } {
  const conversationId = e.tenant.state.personalConversationFor(user.id, e.tenant.ctx.clock.now()).id;
  return {
    installationUpdate: personalInstallationUpdate(e.tenant.ctx, user, conversationId, 'add', stamp(e)),
    conversationUpdate: personalBotAdded(e.tenant.ctx, user, conversationId, stamp(e)),
  };
}

export function removeEvent(e: RolloutEnv, user: SimUser): ChannelActivity {
  const conversationId = e.tenant.state.personalConversationFor(user.id, e.tenant.ctx.clock.now()).id;
  return personalInstallationUpdate(e.tenant.ctx, user, conversationId, 'remove', stamp(e));
}

/** A personal message from the person to the bot: typed text, or an Adaptive Card Action.Submit `value`. */
export function personalMessage(e: RolloutEnv, user: SimUser, content: { text?: string; value?: unknown }): ChannelActivity {
  const { conversationUpdate } = installEvents(e, user);
  const { membersAdded: _added, ...envelope } = conversationUpdate;
  return { ...envelope, type: 'message', id: stamp(e).id, from: { ...envelope.from, name: user.displayName }, ...content };
}

export function post(e: RolloutEnv, s: InProcessServe, activity: ChannelActivity, token?: ChannelTokenVariant): Promise<PostResult> {
  return postSignedActivity(e.tenant.ctx, activity, { endpoint: s.endpoint, ...(token ? { token } : {}) });
}
