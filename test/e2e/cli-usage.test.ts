import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import { T0, TENANT } from '../store/contract/fixtures.js';

const tmpLedger = () => path.join(mkdtempSync(path.join(tmpdir(), 'tr-usage-')), 'ledger.db');

/** Issue 11 minors, on the built CLI: a mistyped flag is a usage error (exit 2, the fix, nothing started), never exit 1 with "--verbose". */
describe('usage errors an administrator makes on the first day', function () {
  this.timeout(60_000);

  const table: [string, string[], RegExp][] = [
    ['demo --faults bogus', ['demo', '--faults', 'bogus'], /--faults: cannot read "bogus"/],
    ['demo --limits bogus', ['demo', '--limits', 'bogus'], /--limits: cannot read "bogus"/],
    ['simulate --host 8.8.8.8', ['simulate', '--host', '8.8.8.8'], /--host: 8\.8\.8\.8 is not an address of this machine/],
    ['doctor --endpoint notaurl', ['doctor', '--endpoint', 'notaurl'], /--endpoint: "notaurl" is not an http\(s\) URL/],
    ['install --all-users --since-last', ['install', '--all-users', '--since-last'], /--since-last already means all users/],
    ['serve --sweep-every 2w', ['serve', '--sweep-every', '2w'], /--sweep-every "2w" is not a duration: give a number with a unit, s, m, h or d/],
  ];
  for (const [what, args, message] of table) {
    it(`${what}: exit 2 with the fix, nothing started`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'tr-usage-'));
      const r = await runCli([...args, ...(args[0] === 'demo' ? ['--dir', dir] : [])], { DATABASE_URL: path.join(dir, 'l.db') }, { timeoutMs: 20_000 });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stderr).to.not.contain('--verbose for the stack trace').and.not.contain('Starting a simulated tenant');
    });
  }

  it('status --rollout nope: exit 2 like report, naming the ledger', async () => {
    const db = tmpLedger();
    const store = await openStore(db);
    await store.createRollout({ id: 'r1', tenantId: TENANT, startedAt: T0, finishedAt: T0 + 1, targets: '--all-users', options: '{}', summary: null });
    await store.close();
    for (const command of ['status', 'report']) {
      const r = await runCli([command, '--rollout', 'nope'], { DATABASE_URL: db });
      expect(r.code, `${command}: ${r.stdout}${r.stderr}`).to.equal(2);
      expect(r.stderr).to.contain('--rollout nope: no such rollout in').and.contain(db);
    }
  });

  describe('--retry-failed and --resend-unconfirmed alone, as the README words them', () => {
    let tenant: RunningTenant;
    before(async () => (tenant = await startTestTenant({ users: 30, seed: 'alone', limits: 'x10' })));
    after(() => tenant.stop());

    it('with no rollout yet: exit 2, saying to give the targets', async () => {
      const r = await runCli(['install', '--retry-failed', '--no-welcome'], { ...tenant.env, DATABASE_URL: tmpLedger() });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain('--retry-failed without targets goes over the last rollout').and.contain('no rollout yet').and.contain('install --all-users --retry-failed');
    });

    it('an unknown --group or --team: exit 2, "not found", and no ghost rollout in status', async () => {
      const env = { ...tenant.env, DATABASE_URL: tmpLedger() };
      const group = '00000000-0000-4000-8000-00000000f00d';
      const g = await runCli(['install', '--group', group, '--no-welcome'], env);
      expect(g.code, g.stderr).to.equal(2);
      expect(g.stderr).to.contain(`--group ${group}: group not found`);
      const t = await runCli(['welcome', '--team', '19:nope@thread.tacv2'], env);
      expect(t.code, t.stderr).to.equal(2);
      const status = await runCli(['status'], env);
      expect(status.stdout + status.stderr).to.not.match(/Latest rollout|interrupted|still running/);
    });

    it("after a rollout: go over that rollout's targets, and say so", async () => {
      const env = { ...tenant.env, DATABASE_URL: tmpLedger() };
      const first = await runCli(['install', '--all-users', '--no-welcome'], env);
      expect(first.stdout, first.stderr).to.match(/^Rollout .* to --all-users/m);
      for (const flag of ['--retry-failed', '--resend-unconfirmed']) {
        const r = await runCli(['install', flag, '--no-welcome'], env);
        expect(r.stderr).to.match(new RegExp(`${flag}: over the targets of rollout \\S+ \\(--all-users\\)`));
        expect(r.stdout, r.stderr).to.match(/^Rollout .* to --all-users: 30 people/m);
      }
    });
  });
});

describe('Ctrl-C during install (built CLI)', function () {
  this.timeout(60_000);
  let tenant: RunningTenant;
  // The published 30 installs/s: 300 people take ~10 s, so the signal lands mid-run.
  before(async () => (tenant = await startTestTenant({ users: 300, seed: 'ctrl-c' })));
  after(() => tenant.stop());

  it('says "interrupted — run the same command to resume", exits 130, and status says interrupted, not finished', async () => {
    const env = { ...tenant.env, DATABASE_URL: tmpLedger() };
    // Mid-install: once the tenant has answered 20 install calls (of 300).
    const installCalls = () => Object.values(tenant.state.requests['graph.installedApps.post'] ?? {}).reduce((n, c) => n + c, 0);
    const r = await runCli(['install', '--all-users', '--no-welcome'], env, { killWhen: () => installCalls() >= 20, killSignal: 'SIGINT' });
    expect(installCalls(), 'stopped before installing everyone').to.be.below(280);
    expect(r.code, `${r.signal} ${r.stderr}`).to.equal(130);
    expect(r.stderr).to.contain('Interrupted — run the same command to resume');
    const status = await runCli(['status'], env);
    expect(status.stdout).to.match(/Latest rollout: \S+ \(--all-users\), started .*, interrupted .* — run the same install command again to resume/);
    const json = JSON.parse((await runCli(['status', '--output', 'json'], env)).stdout) as { latestRollout: { outcome: string } };
    expect(json.latestRollout.outcome).to.equal('interrupted');
  });
});
