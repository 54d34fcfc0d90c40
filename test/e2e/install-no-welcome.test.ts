import { expect } from 'chai';
import type { Channel } from '../../src/simulator/channel.js';
import { runCli } from '../helpers/cli.js';
import { groundTruth, ledger, startRolloutEnv, waitFor, WELCOMABLE, type RolloutEnv } from '../helpers/rollout.js';
import { freePort, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

/**
 * Issue 11 major 1: `install --no-welcome` while `serve` runs. serve welcomes every reference it can
 * claim, so the run itself must hold its people's welcomes in the ledger; the built CLI, both as processes.
 */
describe('install --no-welcome beside a running serve (built CLI)', function () {
  this.timeout(90_000);
  let e: RolloutEnv;
  let serve: ServeProcess | undefined;
  before(async () => {
    e = await startRolloutEnv({ users: 40, seed: 'no-welcome', limits: 'x10' });
    const port = await freePort();
    e.tenant.setBotEndpoint(`http://127.0.0.1:${port}/api/messages`);
    serve = await startServeProcess(e.env, { port });
  });
  after(async () => {
    await serve?.stop();
    await e?.stop();
  });

  it('welcomes nobody of that run, though serve captures every reference; a later run without it welcomes each once', async () => {
    const held = await runCli(['install', '--all-users', '--no-welcome'], e.env);
    // Exit 1 is the documented "someone failed" (this population has people under a blocking policy).
    expect(held.stdout, held.stderr).to.match(/^Rollout /m);
    expect([0, 1], held.stderr).to.include(held.code);
    await (e.tenant.ctx.channel as Channel).idle();
    const welcomable = groundTruth(e.tenant).filter((u) => WELCOMABLE.has(u.kind));
    // Every welcomable person's reference reached serve (or was found) and is waiting, held.
    await waitFor(async () => {
      const rows = await ledger(e);
      return welcomable.every((u) => rows.get(u.id)?.state === 'reference_ready');
    }, 20_000);
    // serve's sender polls every few hundred ms: give it time to take what it is allowed to.
    await new Promise((r) => setTimeout(r, 1500));
    expect(e.tenant.state.messages.length, 'messages sent after install --no-welcome').to.equal(0);
    for (const row of (await ledger(e)).values()) if (row.state === 'reference_ready') expect(row.welcomeHeldBy, row.aadObjectId).to.be.a('string');
    expect(held.stdout + held.stderr).to.match(/held/i);

    const asked = await runCli(['install', '--all-users'], e.env);
    expect([0, 1], asked.stderr).to.include(asked.code);
    await waitFor(() => e.tenant.state.messages.length >= welcomable.length, 20_000);
    const wrong = groundTruth(e.tenant).filter((u) => u.messages !== (WELCOMABLE.has(u.kind) ? 1 : 0)).map((u) => `${u.kind} ${u.upn}: ${u.messages}`);
    expect(wrong).to.deep.equal([]);
    for (const u of welcomable) expect((await ledger(e)).get(u.id)).to.include({ state: 'welcomed', welcomeHeldBy: null });
  });
});
