import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopChild, waitForHealth } from '../../src/cli/child-cli.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/connect-proxy.js';
import { scaledRates, WELCOMABLE } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

/**
 * issue 10 item 4: behind an egress proxy, every outbound call of install and serve goes through it —
 * the Graph token, Graph, the bot's own token, the Bot Connector and the download of the Bot Framework
 * signing keys serve checks inbound tokens with — and NO_PROXY sends them around it.
 * The tenant records which client ports each API was called from; the proxy, the ports of the sockets
 * it opened: a call that went around the proxy comes from a port the proxy never used.
 */
const KINDS = ['graph.token', 'graph.installedApps.post', 'botframework.token', 'bot.activities.send', 'botframework.metadata', 'botframework.keys'];

async function rolloutBehind(proxy: RecordingProxy, noProxy: string): Promise<{ tenant: RunningTenant; code: number | null; stderr: string }> {
  const tenant = await startTestTenant({ users: 40, seed: 'proxy', limits: 'x10', eventDelayMs: [0, 100] });
  let serve: ChildProcess | undefined;
  try {
    const port = await freePort();
    tenant.setBotEndpoint(`http://127.0.0.1:${port}/api/messages`);
    // Only HTTPS_PROXY, as most corporate set-ups give; the lower-case spellings are cleared so that
    // nothing from this machine's environment decides.
    const env = {
      ...tenant.env,
      ...scaledRates(10),
      DATABASE_URL: path.join(mkdtempSync(path.join(tmpdir(), 'proxy-e2e-')), 'r.db'),
      HTTPS_PROXY: proxy.url,
      https_proxy: '',
      HTTP_PROXY: '',
      http_proxy: '',
      ALL_PROXY: '',
      all_proxy: '',
      NO_PROXY: noProxy,
      no_proxy: '',
    };
    serve = spawnCli(['serve', '--port', String(port)], env);
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 20_000, serve);
    const r = await runCli(['install', '--all-users', '--output', 'json', '--reference-wait', '5'], env, { timeoutMs: 60_000 });
    return { tenant, code: r.code, stderr: r.stderr };
  } finally {
    if (serve) await stopChild(serve);
  }
}

describe('behind an egress proxy (HTTPS_PROXY, NO_PROXY): install + serve as processes', function () {
  this.timeout(120_000);

  it('with NO_PROXY empty, every kind of call goes through the proxy: Graph token, Graph, bot token, Bot Connector, signing keys', async () => {
    const proxy = await startRecordingProxy();
    const { tenant, code, stderr } = await rolloutBehind(proxy, '');
    try {
      expect(code, stderr.slice(-800)).to.equal(1); // people blocked by policy
      const welcomable = tenant.state.users.filter((u) => WELCOMABLE.has(u.kind)).length;
      expect(tenant.state.messages, 'the welcomes went out').to.have.length(welcomable);
      const through = proxy.upstreamPorts();
      for (const kind of KINDS) expect(tenant.state.clientPorts.get(kind)?.size ?? 0, `${kind} was called`).to.be.greaterThan(0);
      // Not only those: no call of any kind went around the proxy.
      const around = [...tenant.state.clientPorts].flatMap(([kind, ports]) => [...ports].filter((p) => !through.has(p)).map((p) => `${kind} from port ${p}`));
      expect(around, 'calls that went around the proxy').to.deep.equal([]);
      const targets = new Set(proxy.calls.map((c) => c.target));
      expect(targets).to.include(new URL(tenant.urls.graph).host); // the token issuer and Graph (https, CONNECT)
      expect(targets).to.include(new URL(tenant.urls.http).host); // the Bot Connector (http, through HTTPS_PROXY like the Azure SDK)
    } finally {
      await tenant.stop();
      await proxy.stop();
    }
  });

  it('NO_PROXY=127.0.0.1 sends the same calls straight to the tenant: the proxy carries nothing', async () => {
    const proxy = await startRecordingProxy();
    const { tenant, code, stderr } = await rolloutBehind(proxy, '127.0.0.1');
    try {
      expect(code, stderr.slice(-800)).to.equal(1);
      expect(tenant.state.messages.length).to.be.greaterThan(0);
      for (const kind of KINDS) expect(tenant.state.clientPorts.get(kind)?.size ?? 0, `${kind} was called`).to.be.greaterThan(0);
      expect(proxy.calls).to.deep.equal([]);
    } finally {
      await tenant.stop();
      await proxy.stop();
    }
  });

  it('doctor says which proxy each call uses, and its Graph token and bot token come through it', async () => {
    const proxy = await startRecordingProxy();
    const tenant = await startTestTenant({ users: 10, seed: 'proxy-doctor' });
    try {
      const env = { ...tenant.env, DATABASE_URL: ':memory:', HTTPS_PROXY: proxy.url, https_proxy: '', HTTP_PROXY: '', http_proxy: '', ALL_PROXY: '', all_proxy: '', no_proxy: '' };
      const r = await runCli(['doctor'], { ...env, NO_PROXY: '' });
      expect(r.code, r.stdout).to.equal(0);
      expect(r.stdout).to.contain(`✔ proxy: ${proxy.url} (NO_PROXY unset)`);
      expect(r.stdout).to.contain(`Graph ${tenant.urls.graph} → via ${proxy.url}`).and.contain(`bot token ${tenant.urls.issuer}/${tenant.tenantId} → via ${proxy.url}`);
      expect(r.stdout).to.match(/✔ Graph token: obtained/).and.match(/✔ bot token: obtained/);
      const through = proxy.upstreamPorts();
      for (const kind of ['graph.token', 'botframework.token', 'graph.appCatalogs.get']) {
        const ports = [...(tenant.state.clientPorts.get(kind) ?? [])];
        expect(ports, kind).to.not.have.length(0);
        expect(ports.filter((p) => !through.has(p)), `${kind} around the proxy`).to.deep.equal([]);
      }

      const bypass = await runCli(['doctor'], { ...env, NO_PROXY: '127.0.0.1' });
      expect(bypass.code, bypass.stdout).to.equal(0);
      expect(bypass.stdout).to.contain('NO_PROXY=127.0.0.1').and.contain(`Graph ${tenant.urls.graph} → direct (NO_PROXY)`);
    } finally {
      await tenant.stop();
      await proxy.stop();
    }
  });
});
