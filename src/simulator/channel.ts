import { setMaxListeners } from 'node:events';
import type { ChannelHooks, SimContext } from './context.js';
import { createRng } from './rng.js';
import type { ChannelDelivery, Installation, SimTeam, SimUser } from './types.js';
import { personalBotAdded, personalInstallationUpdate, teamBotAdded, type ChannelActivity } from './bot-side/install-activities.js';
import { postSignedActivity } from './bot-side/post-activity.js';

export { postSignedActivity, type PostActivityOptions, type PostResult } from './bot-side/post-activity.js';
export { personalBotAdded, personalInstallationUpdate, teamBotAdded, type ChannelActivity } from './bot-side/install-activities.js';

export interface Channel extends ChannelHooks {
  /** Posts the team-scope conversationUpdate "bot added to a team", on behalf of `by` (default: the first member). */
  teamInstalled(team: SimTeam, by?: SimUser): void;
  /** Resolves when every scheduled post has been made and recorded. */
  idle(): Promise<void>;
  /** Cancels what is still scheduled and aborts posts in flight. */
  close(): Promise<void>;
}

type Scheduled = { activity: ChannelActivity; userId: string; delayMs: number; duplicate?: boolean };

/**
 * The Teams channel: after an install it posts `installationUpdate` (add) and `conversationUpdate` (bot
 * in membersAdded) to the bot endpoint, each after a delay drawn from ctx.eventDelayMs, in either order
 * (the order is not documented, wire-facts B1 [INF]). Faults: lost events (neither arrives), a
 * duplicated event (one arrives twice, the same activity a little later), and `conversation-update-only`
 * (the conversationUpdate alone, no installationUpdate at all: msteams-docs' own one-to-one example comes
 * without one, test/fixtures/microsoft/docs-personal-bot-added.json). An app upgrade posts installationUpdate
 * `add-upgrade` ("When you upgrade an application … the action field is set to add-upgrade",
 * subscribe-to-conversation-events.md). Every delivery is recorded.
 *
 * [INF] No retry of a failed or rejected delivery: Microsoft does not document whether Teams retries
 * install events, and a bot that must cope with a lost event (PRODUCT.md §2) is the demanding case.
 */
export function createChannel(ctx: SimContext): Channel {
  const rng = createRng(`${ctx.state.tenantId}:channel`);
  const log = ctx.log.child('channel');
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every pending install event waits on it
  const pending = new Set<Promise<void>>();
  const stamp = (delayMs: number) => ({ id: `f:${rng.uuid()}`, at: ctx.clock.now() + delayMs });
  const delay = () => rng.int(Math.min(...ctx.eventDelayMs), Math.max(...ctx.eventDelayMs));

  const record = (s: Scheduled, d: Pick<ChannelDelivery, 'outcome' | 'status'>) =>
    ctx.state.recordDelivery({
      userId: s.userId,
      type: s.activity.type as ChannelDelivery['type'],
      ...(typeof s.activity.action === 'string' ? { action: s.activity.action } : {}),
      conversationId: s.activity.conversation.id,
      at: ctx.clock.now(),
      ...d,
      ...(s.duplicate ? { duplicate: true } : {}),
    });

  const deliver = async (s: Scheduled) => {
    await ctx.clock.sleep(s.delayMs, stop.signal);
    const result = await postSignedActivity(ctx, s.activity, { signal: stop.signal });
    if (result.outcome !== 'delivered') log.debug('install event not delivered', { type: s.activity.type, outcome: result.outcome, status: result.status });
    record(s, { outcome: result.outcome, ...(result.status !== undefined ? { status: result.status } : {}) });
  };

  const schedule = (events: Scheduled[]) => {
    if (!ctx.state.botEndpoint) return events.forEach((s) => record(s, { outcome: 'no-endpoint' }));
    if (ctx.faults.loseEvent()) return events.forEach((s) => record(s, { outcome: 'lost' }));
    const all = [...events];
    if (ctx.faults.duplicateEvent()) {
      const twin = rng.pick(events);
      all.push({ ...twin, delayMs: Math.max(...events.map((e) => e.delayMs)) + 1 + delay(), duplicate: true });
    }
    for (const s of all) {
      // Aborted by close(): nothing to record.
      const p: Promise<void> = deliver(s)
        .catch(() => undefined)
        .finally(() => pending.delete(p));
      pending.add(p);
    }
  };

  /** Two delays, one per event; which event gets the shorter one is a coin toss. */
  const twoEvents = (a: (d: number) => ChannelActivity, b: (d: number) => ChannelActivity, userId: string): Scheduled[] => {
    const [first, second] = rng.next() < 0.5 ? [a, b] : [b, a];
    const [d1, d2] = [delay(), delay()].sort((x, y) => x - y) as [number, number];
    return [
      { activity: first(d1), userId, delayMs: d1 },
      { activity: second(d2), userId, delayMs: d2 },
    ];
  };

  return {
    installed(user: SimUser, _installation: Installation) {
      const conversationId = ctx.state.personalConversationFor(user.id, ctx.clock.now()).id;
      if (ctx.faults.conversationUpdateOnly()) {
        const d = delay();
        return schedule([{ activity: personalBotAdded(ctx, user, conversationId, stamp(d)), userId: user.id, delayMs: d }]);
      }
      schedule(
        twoEvents(
          (d) => personalInstallationUpdate(ctx, user, conversationId, 'add', stamp(d)),
          (d) => personalBotAdded(ctx, user, conversationId, stamp(d)),
          user.id,
        ),
      );
    },
    uninstalled(user: SimUser, _installation: Installation) {
      const conversationId = ctx.state.personalConversationFor(user.id, ctx.clock.now()).id;
      const d = delay();
      schedule([{ activity: personalInstallationUpdate(ctx, user, conversationId, 'remove', stamp(d)), userId: user.id, delayMs: d }]);
    },
    upgraded(user: SimUser, _installation: Installation) {
      const conversationId = ctx.state.personalConversationFor(user.id, ctx.clock.now()).id;
      const d = delay();
      schedule([{ activity: personalInstallationUpdate(ctx, user, conversationId, 'add-upgrade', stamp(d)), userId: user.id, delayMs: d }]);
    },
    teamInstalled(team: SimTeam, by?: SimUser) {
      const installer = by ?? team.memberUserIds.map((id) => ctx.state.findUser(id)).find((u) => u !== undefined);
      if (!installer) throw new Error(`Team ${team.displayName} has no member to add the bot on behalf of.`);
      const d = delay();
      // Recorded under the installer's id: a delivery belongs to a person in the inspection's model.
      schedule([{ activity: teamBotAdded(ctx, team, installer, stamp(d)), userId: installer.id, delayMs: d }]);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      stop.abort(new Error('The Teams channel was closed.'));
      await Promise.allSettled([...pending]);
    },
  };
}
