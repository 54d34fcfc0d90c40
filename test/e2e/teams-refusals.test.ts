import { expect } from 'chai';
import type { InstallReport } from '../../src/installer/run.js';
import { groundTruth, install, ledger, startRolloutEnv, stateOf, WELCOMABLE, type RolloutEnv } from '../helpers/rollout.js';
import { startServe, type InProcessServe } from '../helpers/serve.js';

/**
 * Refusals as Teams answers them, end to end: install + serve on the simulated tenant, the sender reading
 * the connector's real bodies through botbuilder (issue 10.2; wire-facts H1).
 */
describe("Teams' refusals, end to end (install + serve, simulated tenant)", function () {
  this.timeout(90_000);

  const rollout = (e: RolloutEnv, s: InProcessServe): Promise<InstallReport> =>
    install(e, { welcome: true, referenceWaitMs: 300, settleTimeoutMs: 40_000 }, { welcomer: { ensure: async () => s.bot.worker.start(), stop: async () => undefined } });

  it("every person who blocked the bot ends failed (bot_blocked_by_user), whichever of Teams' two 403 bodies they got; nobody else is harmed", async () => {
    const e = await startRolloutEnv({ users: 400, seed: 'teams-refusals', limits: 'x10', eventDelayMs: [0, 100] });
    const s = await startServe(e);
    try {
      const blocked = e.tenant.state.users.filter((u) => u.kind === 'blocked_bot');
      expect(new Set(blocked.map((u) => u.blockedBody))).to.deep.equal(new Set(['message-writes-blocked', 'conversation-blocked']));
      expect((await rollout(e, s)).settled).to.equal(true);
      const rows = await ledger(e);
      const codes = { 'message-writes-blocked': 'MessageWritesBlocked', 'conversation-blocked': 'ConversationBlockedByUser' } as const;
      for (const u of blocked) {
        const row = rows.get(u.id);
        expect([stateOf(row), row?.serviceCode, row?.statusCode], u.blockedBody).to.deep.equal(['failed:bot_blocked_by_user', codes[u.blockedBody!], 403]);
      }
      const wrong = groundTruth(e.tenant)
        .filter((u) => WELCOMABLE.has(u.kind) && (stateOf(rows.get(u.id)) !== 'welcomed' || u.messages !== 1))
        .map((u) => `${u.kind} ${u.upn}: ${stateOf(rows.get(u.id))}, ${u.messages} messages`);
      expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
    } finally {
      await s.stop();
      await e.stop();
    }
  });

  for (const code of ['TenantNoPermission', 'CapabilityOverride'] as const) {
    it(`a tenant that refuses the bot (${code}, POST /_sim/tenant-refusal): nobody gets a message and each welcome ends failed (bot_blocked_in_tenant) with that code`, async () => {
      const e = await startRolloutEnv({ users: 60, seed: `tenant-${code}`, limits: 'x10', eventDelayMs: [0, 100] });
      const s = await startServe(e);
      try {
        const r = await fetch(`${e.tenant.urls.http}/_sim/tenant-refusal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
        expect(r.status).to.equal(200);
        expect((await rollout(e, s)).settled).to.equal(true);
        expect(e.tenant.state.messages).to.have.length(0);
        const rows = await ledger(e);
        const welcomable = groundTruth(e.tenant).filter((u) => WELCOMABLE.has(u.kind) || u.kind === 'blocked_bot');
        expect(welcomable.length).to.be.greaterThan(0);
        const wrong = welcomable.filter((u) => stateOf(rows.get(u.id)) !== 'failed:bot_blocked_in_tenant' || rows.get(u.id)?.serviceCode !== code).map((u) => `${u.kind}: ${stateOf(rows.get(u.id))} ${rows.get(u.id)?.serviceCode}`);
        expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
      } finally {
        await s.stop();
        await e.stop();
      }
    });
  }
});
