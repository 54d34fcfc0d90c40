import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { DEFAULT_ROLES } from '../../src/simulator/state.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

const posts = (t: RunningTenant) => Object.values(t.state.requests['graph.installedApps.post'] ?? {}).reduce((a, b) => a + b, 0);
const ledgerFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'perm-e2e-')), 'r.db');

/** Issue 11 major 3: a missing Graph permission cost one 403 per person. */
describe('install with a Graph permission missing (built CLI)', function () {
  this.timeout(60_000);
  let tenant: RunningTenant;
  afterEach(() => tenant?.stop());

  it('refuses before its first install call when the token lacks TeamsAppInstallation.*: exit 2, the fix, nothing recorded', async () => {
    tenant = await startTestTenant({ users: 40, seed: 5, limits: 'x10', roles: DEFAULT_ROLES.filter((r) => !r.startsWith('TeamsAppInstallation')) });
    const db = ledgerFile();
    const r = await runCli(['install', '--all-users', '--no-welcome'], { ...tenant.env, ...scaledRates(10), DATABASE_URL: db });
    expect(r.code, r.stderr.slice(-600)).to.equal(2);
    expect(r.stderr).to.contain('TeamsAppInstallation.ReadWriteSelfForUser.All');
    expect(r.stderr).to.contain('Grant admin consent');
    expect(posts(tenant)).to.equal(0);
    const status = await runCli(['status'], { ...tenant.env, DATABASE_URL: db });
    expect(status.stdout + status.stderr).to.not.match(/still running|interrupted/);
  });

  it('stops at the first "not allowed to manage" refusal instead of one call per person', async () => {
    tenant = await startTestTenant({ users: 120, seed: 6, limits: 'x10' });
    // The *Self* permission meets a manifest whose webApplicationInfo.id is another app registration.
    (tenant.state.app as { webApplicationInfoId: string | null }).webApplicationInfoId = '00000000-0000-4000-8000-000000000001';
    const r = await runCli(['install', '--all-users', '--no-welcome', '--concurrency', '1'], { ...tenant.env, ...scaledRates(10), DATABASE_URL: ledgerFile() });
    expect(r.code, r.stderr.slice(-600)).to.equal(2);
    expect(r.stderr).to.contain('webApplicationInfo.id');
    expect(r.stderr).to.contain('--retry-failed');
    expect(posts(tenant)).to.equal(1);
  });
});
