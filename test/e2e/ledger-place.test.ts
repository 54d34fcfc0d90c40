import { expect } from 'chai';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

/**
 * Issue 11 major 6: the default ledger was ./teams-rollout.db, so a run from another folder knew nobody
 * and welcomed everyone again. Now it is the user's data folder, named by tenant and app, and printed.
 */
describe('the default ledger (built CLI)', function () {
  this.timeout(90_000);
  let tenant: RunningTenant;
  after(() => tenant?.stop());

  it('lives in the data folder by tenant and app (0700), is printed by every command, and is found again from another folder', async () => {
    tenant = await startTestTenant({ users: 30, seed: 61, limits: 'x10' });
    const root = mkdtempSync(path.join(tmpdir(), 'ledger-place-'));
    const [one, two] = [path.join(root, 'one'), path.join(root, 'two')];
    mkdirSync(one);
    mkdirSync(two);
    const env = { ...tenant.env, ...scaledRates(10), DATABASE_URL: '', XDG_DATA_HOME: path.join(root, 'data') };
    const ledger = path.join(root, 'data', 'teams-rollout', `${tenant.env.AZURE_TENANT_ID!.toLowerCase()}-${tenant.env.TEAMS_APP_ID!.toLowerCase()}.db`);

    const install = await runCli(['install', '--all-users', '--no-welcome'], env, { cwd: one });
    expect(install.code, install.stderr.slice(-600)).to.be.oneOf([0, 1]);
    expect(install.stdout).to.contain(`Ledger: ${ledger}`);
    expect(statSync(ledger).isFile()).to.equal(true);
    expect(statSync(path.dirname(ledger)).mode & 0o777, 'the ledger folder is the user\'s alone').to.equal(0o700);

    const status = await runCli(['status', '--output', 'json'], env, { cwd: two });
    expect(status.code, status.stderr).to.equal(0);
    const s = JSON.parse(status.stdout) as { total: number; ledger: string };
    expect(s.ledger).to.equal(ledger);
    expect(s.total, 'the same ledger from another folder').to.equal(tenant.state.users.length);
    expect((await runCli(['status'], env, { cwd: two })).stdout).to.contain(`Ledger: ${ledger}`);
    const report = await runCli(['report', '--format', 'csv'], env, { cwd: two });
    expect(report.stderr).to.contain(`Ledger: ${ledger}`);
    expect(report.stdout, 'the CSV stays CSV').not.to.contain('Ledger:');
    expect((await runCli(['install', '--all-users', '--dry-run'], env, { cwd: two })).stdout).to.contain(`Ledger: ${ledger}`);
    const doctor = await runCli(['doctor', '--output', 'json'], env, { cwd: two });
    expect(JSON.parse(doctor.stdout)).to.have.property('ledger', ledger);
  });
});
