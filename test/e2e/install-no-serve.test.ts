import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { INSTALLABLE, WELCOMABLE, scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

/**
 * Issue 11: with no `serve` at the bot's endpoint, install events go nowhere and each person's chat
 * comes from Graph after --reference-wait. The welcomes still go, but later; the summary must say so
 * and ask the question that fixes it, instead of leaving a slow rollout unexplained.
 */
describe('install with no bot endpoint running (built CLI)', function () {
  this.timeout(90_000);
  let t: RunningTenant;
  after(() => t?.stop());

  it('welcomes everyone through Graph, counts whose event never came, and asks whether serve is running', async () => {
    t = await startTestTenant({ users: 40, seed: 'no-serve', limits: 'x10' });
    expect(t.state.botEndpoint, 'no bot endpoint: the install events go nowhere').to.equal(null);
    const env = { ...t.env, ...scaledRates(10), DATABASE_URL: path.join(mkdtempSync(path.join(tmpdir(), 'tr-no-serve-')), 'rollout.db') };
    const r = await runCli(['install', '--all-users', '--reference-wait', '1', '--output', 'json'], env, { timeoutMs: 80_000 });
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { settled: boolean; chatsAfterWait: number; counts: Record<string, number> };
    // Installed by this run (not those who already had the app: their chat is looked up at once, no event expected).
    const installedNow = t.state.users.filter((u) => INSTALLABLE.has(u.kind) && u.kind !== 'already_installed').length;
    expect(installedNow).to.be.greaterThan(0);
    expect(out.settled, r.stderr.slice(-600)).to.equal(true);
    expect(out.counts.welcomed).to.equal(t.state.users.filter((u) => WELCOMABLE.has(u.kind)).length);
    expect(out.chatsAfterWait).to.equal(installedNow);

    const text = await runCli(['install', '--all-users', '--retry-failed', '--reference-wait', '1'], env, { timeoutMs: 60_000 });
    expect(text.stdout, 'a run that installs nobody new waits for no event').to.not.contain('No install event arrived');
  });
});
