import { expect } from 'chai';
import type { Channel } from '../../src/simulator/channel.js';
import { groundTruth, install, ledger, startRolloutEnv, stateOf, WELCOMABLE } from '../helpers/rollout.js';
import { startServe } from '../helpers/serve.js';

/**
 * The install events in the shapes Teams sends (issue 10.3, wire-facts B1), through install + serve: the
 * tenant-scoped serviceUrl (the simulator's default), a conversationUpdate with no installationUpdate at
 * all, installationUpdate add-upgrade after an app upgrade, and both forms of the personal conversation id.
 */
/** A rollout with welcomes beside an in-process serve, settled and with every install event delivered. */
async function rolloutWithServe(options: Parameters<typeof startRolloutEnv>[0]) {
  const e = await startRolloutEnv({ users: 120, limits: 'x10', eventDelayMs: [0, 100], ...options });
  const s = await startServe(e);
  const report = await install(e, { welcome: true, referenceWaitMs: 2000, settleTimeoutMs: 40_000 }, { welcomer: { ensure: async () => s.bot.worker.start(), stop: async () => undefined } });
  expect(report.settled).to.equal(true);
  await (e.tenant.ctx.channel as Channel).idle();
  return { e, s };
}

/** Welcomable people not welcomed exactly once (the tenant's record against our ledger). */
async function notWelcomedOnce(e: Awaited<ReturnType<typeof startRolloutEnv>>): Promise<string[]> {
  const rows = await ledger(e);
  return groundTruth(e.tenant)
    .filter((u) => WELCOMABLE.has(u.kind) && (stateOf(rows.get(u.id)) !== 'welcomed' || u.messages !== 1))
    .map((u) => `${u.kind} ${u.upn}: ${stateOf(rows.get(u.id))}, ${u.messages}`);
}

describe('install events as Teams sends them, end to end (install + serve, simulated tenant)', function () {
  this.timeout(90_000);

  it('with only a conversationUpdate per install, everyone welcomable is welcomed once, on the tenant-scoped serviceUrl; an app upgrade (add-upgrade) welcomes nobody again', async () => {
    const { e, s } = await rolloutWithServe({ seed: 'event-shapes', faults: 'conversation-update-only=100%' });
    try {
      const delivered = e.tenant.state.deliveries.filter((d) => d.outcome === 'delivered');
      expect(new Set(delivered.map((d) => d.type))).to.deep.equal(new Set(['conversationUpdate']));

      const wrong = await notWelcomedOnce(e);
      expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
      const truth = groundTruth(e.tenant);
      // References captured from the events keep Teams' tenant-scoped serviceUrl exactly.
      const member = truth.find((u) => u.kind === 'member')!;
      expect((await e.core.store.getReference(e.tenant.tenantId, member.id))?.serviceUrl).to.equal(`${e.tenant.urls.http}/amer/${e.tenant.tenantId}/`);

      const sent = e.tenant.state.messages.length;
      const upgraded = (await (await fetch(`${e.tenant.urls.http}/_sim/app/upgrade`, { method: 'POST' })).json()) as { upgraded: number };
      expect(upgraded.upgraded).to.be.greaterThan(0);
      await (e.tenant.ctx.channel as Channel).idle();
      const upgrades = e.tenant.state.deliveries.filter((d) => d.action === 'add-upgrade');
      expect(upgrades.map((d) => d.outcome).filter((o) => o !== 'delivered')).to.deep.equal([]);
      await new Promise((r) => setTimeout(r, 700)); // a few sender sweeps
      expect(e.tenant.state.messages.length, 'nobody is welcomed again after an upgrade').to.equal(sent);
    } finally {
      await s.stop();
      await e.stop();
    }
  });

  it("with both conversation id forms in the events (a:… and Graph's 19:…@unq.gbl.spaces), each reference keeps the id Teams sent, and everyone welcomable is welcomed once, those who removed the chat's history included", async () => {
    // wire-facts B1: classic personal chats use `a:…` [DOC]; newer flows were seen sending `19:{guid}_{guid}@unq.gbl.spaces` [real log]. Both are opaque.
    const { e, s } = await rolloutWithServe({ users: 160, seed: 'id-forms', conversationIds: 'mixed' });
    try {
      const announced = new Map(e.tenant.state.deliveries.filter((d) => d.outcome === 'delivered').map((d) => [d.userId, d.conversationId]));
      const forms = new Set([...announced.values()].map((id) => (id.startsWith('a:') ? 'a' : /^19:[0-9a-f-]{36}_[0-9a-f-]{36}@unq\.gbl\.spaces$/.test(id) ? 'unq' : id)));
      expect(forms).to.deep.equal(new Set(['a', 'unq']));

      const wrong = await notWelcomedOnce(e);
      expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
      const truth = groundTruth(e.tenant);
      expect(truth.filter((u) => u.kind === 'deleted_chat' && announced.get(u.id)?.startsWith('19:')), 'a removed history under a 19: id is met too').to.not.be.empty;
      // A member's reference is the id their event carried, byte for byte, and their welcome went to it.
      for (const u of truth.filter((x) => x.kind === 'member' && announced.has(x.id))) {
        const ref = await e.core.store.getReference(e.tenant.tenantId, u.id);
        expect(ref?.conversationId, u.upn).to.equal(announced.get(u.id));
        expect(e.tenant.state.messages.find((m) => m.userAadObjectId === u.id)?.conversationId, u.upn).to.equal(announced.get(u.id));
      }
    } finally {
      await s.stop();
      await e.stop();
    }
  });
});
