import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { freePort } from '../helpers/serve-process.js';
import { startTestTenant } from '../helpers/tenant.js';

const count = (t: RunningTenant, label: string, status?: number) =>
  Object.entries(t.state.requests[label] ?? {})
    .filter(([s]) => status === undefined || Number(s) === status)
    .reduce((n, [, c]) => n + c, 0);
const ledgerFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'bot-token-e2e-')), 'r.db');

/** Issue 11 major 2: a wrong bot secret started, then failed every welcome as a "network error". */
describe("the bot's token at start (built CLI)", function () {
  this.timeout(60_000);
  let tenant: RunningTenant;
  afterEach(() => tenant?.stop());

  it('serve with a wrong MicrosoftAppPassword refuses to start: exit 2, the AADSTS code and the fix, nothing sent', async () => {
    tenant = await startTestTenant({ users: 10, seed: 'bot-token-serve' });
    const r = await runCli(['serve', '--port', String(await freePort())], { ...tenant.env, MicrosoftAppPassword: 'not-the-secret', DATABASE_URL: ledgerFile() }, { timeoutMs: 30_000 });
    expect(r.code, r.stderr.slice(-800)).to.equal(2);
    expect(r.stderr).to.contain('AADSTS7000215');
    expect(r.stderr).to.match(/set it to the secret's Value .*not its Secret ID/);
    expect(r.stderr).to.not.contain('bot endpoint http'); // it never listened
    expect(count(tenant, 'botframework.token', 401)).to.equal(1);
    expect(tenant.state.messages).to.have.length(0);
  });

  it('install with a wrong MicrosoftAppPassword refuses before its first install: exit 2, the fix, nothing installed or recorded', async () => {
    tenant = await startTestTenant({ users: 20, seed: 'bot-token-install', limits: 'x10' });
    const db = ledgerFile();
    const env = { ...tenant.env, ...scaledRates(10), MicrosoftAppPassword: 'not-the-secret', DATABASE_URL: db };
    const r = await runCli(['install', '--all-users'], env);
    expect(r.code, r.stderr.slice(-800)).to.equal(2);
    expect(r.stderr).to.contain('AADSTS7000215');
    expect(r.stderr).to.contain('MicrosoftAppPassword');
    expect(r.stderr).to.contain('Nothing was sent');
    expect(count(tenant, 'graph.installedApps.post')).to.equal(0);
    expect(tenant.state.messages).to.have.length(0);
    const status = await runCli(['status'], env);
    expect(status.stdout + status.stderr).to.contain('No rollout yet');
  });

  it('install --no-welcome needs no bot token, so a wrong MicrosoftAppPassword does not stop it', async () => {
    tenant = await startTestTenant({ users: 10, seed: 'bot-token-no-welcome', limits: 'x10' });
    const r = await runCli(['install', '--all-users', '--no-welcome'], { ...tenant.env, ...scaledRates(10), MicrosoftAppPassword: 'not-the-secret', DATABASE_URL: ledgerFile() });
    expect(r.stderr).to.not.contain('AADSTS7000215');
    expect(count(tenant, 'graph.installedApps.post')).to.be.greaterThan(0);
  });
});
