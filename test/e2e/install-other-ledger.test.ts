import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates, WELCOMABLE } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as { counts: Record<string, number>; reasons: Record<string, number>; ledger: string };

/**
 * Issue 11 major 6: a run with another ledger than the rollout's knows nobody, and welcomed everyone
 * again. Now it stops once many people already have the app though its ledger never met them.
 */
describe('install with another ledger than the rollout (built CLI)', function () {
  this.timeout(180_000);
  let tenant: RunningTenant;
  afterEach(() => tenant?.stop());

  const setUp = async (seed: number) => {
    tenant = await startTestTenant({ users: 60, seed, limits: 'x10' });
    const root = mkdtempSync(path.join(tmpdir(), 'other-ledger-'));
    const env = { ...tenant.env, ...scaledRates(10), XDG_DATA_HOME: path.join(root, 'data') };
    const ledgerA = path.join(root, 'data', 'teams-rollout', `${tenant.env.AZURE_TENANT_ID!.toLowerCase()}-${tenant.env.TEAMS_APP_ID!.toLowerCase()}.db`);
    return { env, ledgerA, ledgerB: path.join(root, 'elsewhere', 'b.db'), welcomable: tenant.state.users.filter((u) => WELCOMABLE.has(u.kind)).length };
  };
  const install = (env: Record<string, string>, db: string, ...flags: string[]) => runCli(['install', '--all-users', '--reference-wait', '1', '--output', 'json', ...flags], { ...env, DATABASE_URL: db });

  it('stops (exit 2) naming the likely other ledger, welcomes nobody again, and goes on with --welcome-already-installed', async () => {
    const { env, ledgerA, ledgerB, welcomable } = await setUp(71);
    const a = await install(env, '');
    expect(a.code, a.stderr.slice(-600)).to.be.oneOf([0, 1]);
    expect(lastJson(a.stdout).ledger).to.equal(ledgerA);
    expect(tenant.state.messages).to.have.length(welcomable);

    const b = await runCli(['install', '--all-users', '--reference-wait', '1'], { ...env, DATABASE_URL: ledgerB });
    expect(b.code, b.stderr.slice(-800)).to.equal(2);
    expect(b.stderr).to.contain(`The likely other ledger: ${ledgerA}`);
    expect(b.stderr).to.contain(`DATABASE_URL=${ledgerA}`).and.contain('--welcome-already-installed');
    expect(tenant.state.messages, 'nobody welcomed a second time').to.have.length(welcomable);

    const status = JSON.parse((await runCli(['status', '--output', 'json'], { ...env, DATABASE_URL: ledgerB })).stdout) as { reasons: Record<string, number> };
    expect(status.reasons['skipped:other_ledger']).to.be.at.least(20);

    // A second try with the same ledger stops again: the people held stay held, nobody is welcomed.
    const again = await install(env, ledgerB);
    expect(again.code, again.stderr.slice(-800)).to.equal(2);
    expect(tenant.state.messages).to.have.length(welcomable);

    const go = await install(env, ledgerB, '--welcome-already-installed');
    expect(go.code, go.stderr.slice(-800)).to.be.oneOf([0, 1]);
    const out = lastJson(go.stdout);
    expect(out.reasons['skipped:other_ledger'] ?? 0, 'nobody left held').to.equal(0);
    expect(out.counts.welcomed).to.equal(welcomable);
    expect(tenant.state.messages, 'the administrator asked for the second welcome').to.have.length(2 * welcomable);
  });

  it('goes on when only a few people already had the app (a pilot done with another ledger): they are welcomed', async () => {
    const { env, ledgerA, ledgerB, welcomable } = await setUp(72);
    const pilot = await install(env, ledgerA, '--limit', '8');
    expect(pilot.code, pilot.stderr.slice(-600)).to.be.oneOf([0, 1]);
    const piloted = tenant.state.messages.length;
    const b = await install(env, ledgerB);
    expect(b.code, b.stderr.slice(-800)).to.be.oneOf([0, 1]);
    const out = lastJson(b.stdout);
    expect(out.reasons['skipped:other_ledger'] ?? 0).to.equal(0);
    expect(out.counts.welcomed).to.equal(welcomable);
    expect(tenant.state.messages).to.have.length(piloted + welcomable);
  });
});
