import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, stopChild, waitForHealth } from '../../src/cli/child-cli.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import type { SimCloudName } from '../../src/simulator/cloud.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { groundTruth, scaledRates, WELCOMABLE } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

/**
 * Issue 10 item 5 end to end: a rollout on a tenant in GCC High or DoD. The simulated tenant issues tokens
 * only for its cloud's Graph (graph.microsoft.us, dod-graph.microsoft.us) and Bot Framework
 * (api.botframework.us), and its channel signs with that issuer (simulator/cloud.ts, from Microsoft's
 * pages). Its settings name the cloud in TEAMS_CLOUD and leave the scopes and the issuer to the preset, so a
 * wrong preset is refused here, as the real cloud would.
 */
for (const cloud of ['GCCHigh', 'DoD'] as SimCloudName[]) {
  describe(`a rollout in ${cloud} (install and serve as processes, simulated ${cloud} tenant)`, function () {
    this.timeout(120_000);
    let tenant: RunningTenant;
    let serve: ChildProcess;
    let env: Record<string, string>;
    let dir: string;
    let endpoint: string;

    before(async () => {
      tenant = await startTestTenant({ users: 40, seed: `gov-${cloud}`, limits: 'x10', cloud });
      const port = await freePort();
      endpoint = `http://127.0.0.1:${port}/api/messages`;
      tenant.setBotEndpoint(endpoint);
      dir = mkdtempSync(path.join(tmpdir(), `gov-${cloud}-`));
      env = { ...tenant.env, ...scaledRates(10), DATABASE_URL: path.join(dir, 'r.db') };
      serve = spawnCli(['serve', '--port', String(port)], env);
      await waitForHealth(`http://127.0.0.1:${port}/healthz`, 20_000, serve);
    });
    after(async () => {
      if (serve) await stopChild(serve);
      await tenant?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the settings name the cloud and leave its scopes and issuer to TEAMS_CLOUD', () => {
      expect(env.TEAMS_CLOUD).to.equal(cloud);
      expect(env).to.not.have.any.keys('ToBotFromChannelTokenIssuer', 'ToChannelFromBotOAuthScope');
    });

    it('installs and welcomes everyone welcomable exactly once, with tokens of that cloud', async () => {
      const r = await runCli(['install', '--all-users', '--output', 'json'], env, { timeoutMs: 90_000 });
      expect([0, 1], r.stderr.slice(-800)).to.include(r.code);
      const truth = groundTruth(tenant);
      const wrong = truth.filter((u) => (WELCOMABLE.has(u.kind) ? 1 : 0) !== u.messages).map((u) => `${u.kind} ${u.upn}: ${u.messages} messages`);
      expect(wrong, wrong.slice(0, 5).join('\n')).to.deep.equal([]);
      expect(truth.filter((u) => WELCOMABLE.has(u.kind))).to.have.length.greaterThan(20);
      // The channel's install events reached serve, signed as that cloud's Bot Framework signs them.
      expect(tenant.state.deliveries.filter((d) => d.outcome === 'rejected'), 'install events serve refused').to.deep.equal([]);
      expect(tenant.state.deliveries.filter((d) => d.outcome === 'delivered')).to.have.length.greaterThan(20);
    });

    it('with TEAMS_CLOUD left out, doctor fails the tokens and says to set TEAMS_CLOUD, not to check the secret', async () => {
      const r = await runCli(['doctor', '--endpoint', endpoint], { ...env, TEAMS_CLOUD: '' });
      expect(r.code, r.stdout).to.equal(1);
      expect(r.stdout).to.match(/✘ Graph token: .*AADSTS500011: The resource principal named https:\/\/graph\.microsoft\.com\/\.default was not found/);
      expect(r.stdout).to.match(/✘ bot token: .*AADSTS500011: The resource principal named https:\/\/api\.botframework\.com\/\.default was not found/);
      expect(r.stdout).to.match(/fix: the tenant knows no resource for the scope https:\/\/graph\.microsoft\.com\/\.default, which is TEAMS_CLOUD=Public's.*Set TEAMS_CLOUD/);
      expect(r.stdout).to.not.match(/check AZURE_TENANT_ID/);
    });
  });
}
