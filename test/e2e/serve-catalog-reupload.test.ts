import { expect } from 'chai';
import type { SimUser } from '../../src/simulator/types.js';
import { runInstall } from '../../src/installer/run.js';
import { installRunDeps } from '../../src/deps.js';
import { INSTALL_DEFAULTS, startRolloutEnv, waitFor, type RolloutEnv } from '../helpers/rollout.js';
import { installEvents, messagesTo, post, startServe, type InProcessServe } from '../helpers/serve.js';

/**
 * Issue 10.6: the app re-uploaded to the org catalogue gets a new catalogue id. serve, started
 * before, must not go on looking chats up with the old one; and the installer in the same process
 * uses the id serve found (one resolver per process).
 */
describe('serve after the app is re-uploaded (a new catalogue id)', function () {
  this.timeout(30_000);
  let e: RolloutEnv;
  let s: InProcessServe;
  const count = (api: string, status: number) => e.tenant.state.requests[api]?.[status] ?? 0;
  const members = () => e.tenant.state.users.filter((u) => u.kind === 'member');
  const taken = new Set<string>();
  /**
   * A member with the app installed (under the current id) whose announced chat is gone: the send
   * answers 404, Graph has the chat. The member must have no ledger row yet: one that an install run
   * of this file touched with welcome off is held, and serve rightly does not welcome it.
   */
  const withStaleChat = async (): Promise<{ u: SimUser; announced: ReturnType<typeof installEvents> }> => {
    let u: SimUser | undefined;
    for (const m of members()) {
      if (taken.has(m.id) || (await e.core.store.getUser(e.tenant.tenantId, m.id))) continue;
      u = m;
      break;
    }
    if (!u) throw new Error('no member without a ledger row is left: raise users in before()');
    taken.add(u.id);
    e.tenant.state.install(u.id, e.tenant.state.app.id, Date.now());
    const announced = installEvents(e, u);
    e.tenant.state.conversations.get(announced.conversationUpdate.conversation.id)!.deleted = true;
    return { u, announced };
  };

  before(async () => {
    e = await startRolloutEnv({ users: 60, seed: 'reupload', limits: 'x10', eventDelayMs: [0, 20] });
    s = await startServe(e);
  });
  after(async () => {
    await s?.stop();
    await e?.stop();
  });

  it('the simulated tenant re-uploads the app: a new id, the installations carried over', async () => {
    const u = e.tenant.state.users.find((x) => x.kind === 'already_installed')!;
    const before = e.tenant.state.app.id;
    const r = await fetch(`${e.tenant.urls.http}/_sim/app/reupload`, { method: 'POST' });
    expect(r.status).to.equal(200);
    const body = (await r.json()) as { previousId: string; id: string };
    expect(body.previousId).to.equal(before);
    expect(body.id).to.not.equal(before);
    expect(body.id).to.equal(e.tenant.state.app.id);
    expect(e.tenant.state.installation(u.id, body.id), 'installed under the new id').to.not.equal(undefined);
    expect(e.tenant.state.installation(u.id, before), 'nothing under the old id').to.equal(undefined);
  });

  it('a stale chat is found again through Graph with the new id, and the person welcomed, after one catalogue look-up', async () => {
    const catalogueLookups = count('graph.appCatalogs.get', 200);
    const stale = [await withStaleChat(), await withStaleChat()];
    for (const { announced } of stale) await post(e, s, announced.conversationUpdate);
    for (const { u } of stale) await waitFor(async () => (await e.core.store.getUser(e.tenant.tenantId, u.id))?.state === 'welcomed', 15_000);
    for (const { u } of stale) {
      const got = messagesTo(e, u.id);
      expect(got).to.have.length(1);
      expect(got[0]!.conversationId).to.equal(e.tenant.state.installation(u.id, e.tenant.state.app.id)!.chatId);
    }
    expect(count('graph.appCatalogs.get', 200) - catalogueLookups, 'the catalogue was looked up again once, for both').to.equal(1);
    expect((await e.graph.catalog!.current()).id).to.equal(e.tenant.state.app.id);
  });

  it('after another re-upload, an install run in the same process refreshes the id for serve too (one resolver)', async () => {
    await fetch(`${e.tenant.urls.http}/_sim/app/reupload`, { method: 'POST' });
    const report = await runInstall(installRunDeps(e.core, e.graph), { ...INSTALL_DEFAULTS, limit: 3 });
    expect(report.app.id).to.equal(e.tenant.state.app.id);
    expect(report.install.created).to.be.greaterThan(0);
    // serve's sender holds the same resolver: the next stale chat needs no look-up of its own.
    expect((await e.graph.catalog!.current()).id).to.equal(e.tenant.state.app.id);
    const catalogueLookups = count('graph.appCatalogs.get', 200);
    const { u, announced } = await withStaleChat();
    await post(e, s, announced.conversationUpdate);
    await waitFor(async () => (await e.core.store.getUser(e.tenant.tenantId, u.id))?.state === 'welcomed', 15_000);
    expect(count('graph.appCatalogs.get', 200) - catalogueLookups).to.equal(0);
  });
});
