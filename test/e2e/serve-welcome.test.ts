import { expect } from 'chai';
import { EXPECTED_INSTALL_STATE, groundTruth, install, ledger, startRolloutEnv, stateOf, WELCOMABLE, type RolloutEnv } from '../helpers/rollout.js';
import { installEvents, isWelcomeCard, messagesTo, personalMessage, post, startServe, type InProcessServe } from '../helpers/serve.js';
import type { InstallReport } from '../../src/installer/run.js';
import type { Channel } from '../../src/simulator/channel.js';

/** Every install event the tenant scheduled has been posted (or dropped) and recorded. */
const channelIdle = (e: RolloutEnv) => (e.tenant.ctx.channel as Channel).idle();

/** The final state each kind of person must reach after install + welcome. */
const EXPECTED_WELCOME_STATE: Record<string, string> = {
  ...EXPECTED_INSTALL_STATE,
  member: 'welcomed',
  already_installed: 'welcomed',
  deleted_chat: 'welcomed',
  blocked_bot: 'failed:bot_blocked_by_user',
};

/** A rollout with welcomes, the sender being the in-process serve's (as when `serve` runs beside `install`). */
function rollout(e: RolloutEnv, s: InProcessServe, o: { referenceWaitMs: number; retryFailed?: boolean }): Promise<InstallReport> {
  return install(e, { welcome: true, referenceWaitMs: o.referenceWaitMs, retryFailed: o.retryFailed ?? false, settleTimeoutMs: 40_000 }, { welcomer: { ensure: async () => s.bot.worker.start(), stop: async () => undefined } });
}

/** Every person's messages, as the tenant counted them, against who may be welcomed: the exactly-once check. */
function expectExactlyOnce(e: RolloutEnv): void {
  const truth = groundTruth(e.tenant);
  const wrong = truth.filter((u) => u.messages !== (WELCOMABLE.has(u.kind) ? 1 : 0)).map((u) => `${u.kind} ${u.upn}: ${u.messages} messages`);
  expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
  for (const m of e.tenant.state.messages) expect(isWelcomeCard(m.activity), 'only welcome cards went out').to.equal(true);
}

async function expectFinalStates(e: RolloutEnv): Promise<void> {
  const rows = await ledger(e);
  const wrong = groundTruth(e.tenant)
    .filter((u) => stateOf(rows.get(u.id)) !== EXPECTED_WELCOME_STATE[u.kind])
    .map((u) => `${u.kind}→${stateOf(rows.get(u.id))}: ${rows.get(u.id)?.detail}`);
  expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
}

/** People who got an install event after they had been welcomed (their welcome came from an earlier event or from Graph). */
async function lateEvents(e: RolloutEnv): Promise<number> {
  const rows = await ledger(e);
  const late = new Set(e.tenant.state.deliveries.filter((d) => d.outcome === 'delivered' && d.at > (rows.get(d.userId)?.welcomedAt ?? Infinity)).map((d) => d.userId));
  return late.size;
}

describe('serve + install: every welcomable person receives exactly one welcome (in-process, simulated tenant)', function () {
  this.timeout(60_000);

  describe('duplicated and lost install events; then people who stop, uninstall or block get nothing more', () => {
    let e: RolloutEnv;
    let s: InProcessServe;
    before(async () => {
      e = await startRolloutEnv({ users: 150, seed: 'serve-welcome', limits: 'x10', eventDelayMs: [0, 400], faults: 'duplicate-events=30%,lost-events=10%' });
      s = await startServe(e);
    });
    after(async () => {
      await s?.stop();
      await e?.stop();
    });

    it('welcomes each welcomable person once, and nobody else', async () => {
      const report = await rollout(e, s, { referenceWaitMs: 1000 });
      expect(report.settled).to.equal(true);
      await channelIdle(e);
      expectExactlyOnce(e);
      await expectFinalStates(e);
      const d = e.tenant.state.deliveries;
      expect(d.filter((x) => x.outcome === 'lost').length, 'the tenant lost some install events').to.be.greaterThan(0);
      expect(d.filter((x) => x.duplicate).length, 'the tenant duplicated some install events').to.be.greaterThan(0);
      expect(await lateEvents(e), 'install events that came after the welcome').to.be.greaterThan(0);
    });

    it('people who removed the chat history were welcomed in the conversation created again, after one try on each dead id', async () => {
      const rows = await ledger(e);
      const deleted = groundTruth(e.tenant).filter((u) => u.kind === 'deleted_chat');
      expect(deleted.length).to.be.greaterThan(0);
      for (const u of deleted) {
        const [m] = messagesTo(e, u.id);
        expect(m!.conversationId).to.not.equal(e.tenant.state.installation(u.id, e.tenant.state.app.id)!.chatId);
        expect(e.tenant.state.conversations.get(m!.conversationId)?.deleted).to.equal(false);
        expect(rows.get(u.id)!.state).to.equal('welcomed');
      }
      // The announced chat and Graph's (one when Graph answered first), then one create each.
      expect(e.tenant.state.requests['bot.activities.send']?.['404'] ?? 0).to.be.at.most(2 * deleted.length);
      expect(e.tenant.state.requests['bot.conversations.create']?.['201'] ?? 0).to.equal(deleted.length);
    });

    it('after a stop, an uninstall and a block, a re-run with --retry-failed and repeated events send nothing more', async () => {
      const welcomed = groundTruth(e.tenant).filter((u) => u.kind === 'member' && u.messages === 1);
      const [stopper, remover, blocker] = welcomed.map((u) => e.tenant.state.findUser(u.id)!);
      const sim = (path: string) => fetch(`${e.tenant.urls.http}/_sim/users/${path}`, { method: 'POST' });
      expect((await post(e, s, personalMessage(e, stopper!, { text: 'stop' }))).status).to.equal(200);
      expect((await sim(`${remover!.id}/uninstall`)).status).to.equal(200); // the channel posts installationUpdate remove
      expect((await sim(`${blocker!.id}/block-bot`)).status).to.equal(200);
      await channelIdle(e);
      const before = new Map(groundTruth(e.tenant).map((u) => [u.id, u.messages]));
      const refusedBefore = e.tenant.state.requests['bot.activities.send']?.['403'] ?? 0;
      const postsBefore = e.tenant.state.requests['graph.installedApps.post']?.['201'] ?? 0;

      const again = await rollout(e, s, { referenceWaitMs: 300, retryFailed: true });
      expect(again.settled).to.equal(true);
      // The same install events again for those still installed (the remover's would mean a reinstall).
      for (const u of [stopper!, blocker!]) {
        const ev = installEvents(e, u);
        await post(e, s, ev.conversationUpdate);
        await post(e, s, ev.installationUpdate);
      }
      await new Promise((r) => setTimeout(r, 700)); // a few sender sweeps

      const rows = await ledger(e);
      expect(stateOf(rows.get(remover!.id))).to.equal('skipped:uninstalled_by_user');
      expect(e.tenant.state.installationsOf(remover!.id), 'not installed again').to.deep.equal([]);
      expect(rows.get(stopper!.id)!.optedOutAt).to.be.a('number');
      const after = groundTruth(e.tenant);
      const more = after.filter((u) => u.messages !== before.get(u.id)).map((u) => `${u.kind} ${u.upn}: ${before.get(u.id)} → ${u.messages}`);
      expect(more, 'nobody received anything in the re-run').to.deep.equal([]);
      expect(messagesTo(e, stopper!.id).filter((m) => isWelcomeCard(m.activity))).to.have.length(1);
      expect(e.tenant.state.requests['graph.installedApps.post']?.['201'] ?? 0, 'no install in the re-run').to.equal(postsBefore);
      expect(e.tenant.state.requests['bot.activities.send']?.['403'] ?? 0, 'people who blocked the bot are not tried again').to.equal(refusedBefore);
      for (const u of after.filter((x) => x.kind === 'blocked_bot' && x.id !== blocker!.id)) expect(stateOf(rows.get(u.id))).to.equal('failed:bot_blocked_by_user');
    });
  });

  it('429 storms and 502/503/504 bursts from the connector, with install events arriving late: still exactly once', async () => {
    const e = await startRolloutEnv(
      { users: 120, seed: 'serve-faults', limits: 'x10', eventDelayMs: [0, 1500], faults: 'bot.429=3%,bot.503=4%,bot.502=4%,bot.504=4%' },
      { RETRY_MAX_ATTEMPTS: '10' },
    );
    const s = await startServe(e);
    try {
      const report = await rollout(e, s, { referenceWaitMs: 200 });
      expect(report.settled).to.equal(true);
      await channelIdle(e);
      expectExactlyOnce(e);
      await expectFinalStates(e);
      const sends = e.tenant.state.requests['bot.activities.send'] ?? {};
      for (const status of ['429', '502', '503', '504']) expect(sends[status] ?? 0, `the connector answered ${status}`).to.be.greaterThan(0);
      // Every answer was one HTTP attempt of ours: what the tenant answered is what our client saw (sends, and the
      // creates for people whose chat history is gone).
      const ours = s.bot.connectorAttempts;
      const creates = e.tenant.state.requests['bot.conversations.create'] ?? {};
      for (const status of ['429', '502', '503', '504']) expect(ours[status] ?? 0, `attempts answered ${status}`).to.equal((sends[status] ?? 0) + (creates[status] ?? 0));
      expect(await lateEvents(e), 'install events that came after the welcome').to.be.greaterThan(0);
    } finally {
      await s.stop();
      await e.stop();
    }
  });
});
