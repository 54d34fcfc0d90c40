import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runCli, spawnCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';
import { freePort, stopChild, waitForHealth } from '../../src/cli/child-cli.js';
import { waitFor } from '../helpers/rollout.js';

/** Pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('doctor and demo, as processes', function () {
  this.timeout(90_000);

  it('doctor passes against the simulated tenant with serve running', async () => {
    const tenant = await startTestTenant({ users: 30, seed: 1 });
    const port = await freePort();
    const env = { ...tenant.env, DATABASE_URL: path.join(mkdtempSync(path.join(tmpdir(), 'doc-')), 'd.db') };
    const serve = spawnCli(['serve', '--port', String(port)], env);
    try {
      await waitForHealth(`http://127.0.0.1:${port}/healthz`, 20_000, serve);
      const r = await runCli(['doctor', '--endpoint', `http://127.0.0.1:${port}/api/messages`, '--output', 'json'], env);
      const out = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; ok: unknown; detail: string }[] };
      expect(r.code, r.stdout).to.equal(0);
      expect(out.ok).to.equal(true);
      expect(out.checks.map((c) => c.name)).to.include.members(['configuration', 'Graph token', 'app in the org catalogue', 'bot token', 'bot endpoint']);
      // The roles the token carries, as the tenant granted them.
      const graphToken = out.checks.find((c) => c.name === 'Graph token')!;
      for (const role of tenant.state.roles) expect(graphToken.detail).to.contain(role);
      // Without an endpoint nothing is said to pass: a warning with the fix, not a ✔.
      const blind = await runCli(['doctor'], env);
      expect(blind.code, blind.stdout).to.equal(0);
      expect(blind.stdout).to.match(/! bot endpoint: not checked/).and.contain('--endpoint');
    } finally {
      await stopChild(serve);
      await tenant.stop();
    }
  });

  it('doctor fails naming the missing Graph role, with the fix', async () => {
    const tenant = await startTestTenant({ users: 30, seed: 1, roles: ['AppCatalog.Read.All', 'User.Read.All', 'GroupMember.Read.All'] });
    try {
      const r = await runCli(['doctor'], { ...tenant.env, DATABASE_URL: ':memory:' });
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/✘ permission to install the app for people/);
      expect(r.stdout).to.contain('TeamsAppInstallation.ReadWriteSelfForUser.All').and.contain('Grant admin consent');
    } finally {
      await tenant.stop();
    }
  });

  it('serve on a port something else holds exits 2 with the fix, instead of claiming to be up', async () => {
    const holder = createServer(() => undefined);
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as AddressInfo).port;
    try {
      // Local-emulator mode (no MicrosoftAppId) needs no tenant: the listen is what is tested.
      const r = await runCli(['serve', '--port', String(port)], { PATH: process.env.PATH!, DATABASE_URL: ':memory:' }, { timeoutMs: 20_000 });
      expect(r.code, r.stdout + r.stderr).to.equal(2);
      expect(r.stderr).to.contain(`Cannot listen on 127.0.0.1:${port}`).and.contain('EADDRINUSE').and.contain('--port');
      expect(r.stdout + r.stderr).not.to.contain('bot endpoint http://');
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('doctor with no configuration exits 2 and names every missing variable', async () => {
    const r = await runCli(['doctor'], { PATH: process.env.PATH!, DATABASE_URL: ':memory:' });
    expect(r.code).to.equal(2);
    for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'TEAMS_APP_ID', 'MicrosoftAppId']) expect(r.stdout).to.contain(name);
  });

  /** A demo big enough to be interrupted, once both its children (serve, then install) are running. */
  async function demoUnderWay(): Promise<{ demo: ChildProcess; kids: number[] }> {
    const demo = spawnCli(['demo', '--users', '3000', '--dir', mkdtempSync(path.join(tmpdir(), 'demo-stop-'))], { DATABASE_URL: '' });
    let stderr = '';
    demo.stderr!.on('data', (d) => (stderr += d));
    demo.stdout!.resume();
    await waitFor(() => /installing for everyone/.test(stderr) && childrenOf(demo.pid!).length >= 2, 30_000);
    return { demo, kids: childrenOf(demo.pid!) };
  }

  it('demo stops everything it started on Ctrl-C', async () => {
    const { demo, kids } = await demoUnderWay();
    demo.kill('SIGINT');
    const code = await new Promise((r) => demo.on('close', r));
    expect(code).to.equal(130);
    await waitFor(() => kids.every((k) => !alive(k)), 10_000);
  });

  it('a demo killed outright (SIGKILL) leaves no serve or install behind', async () => {
    const { demo, kids } = await demoUnderWay();
    demo.kill('SIGKILL');
    await waitFor(() => kids.every((k) => !alive(k)), 15_000);
  });
});
