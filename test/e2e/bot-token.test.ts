import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { freePort, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
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

/** The ledger's people by "state" or "state:reason". */
async function ledgerCounts(db: string): Promise<Record<string, number>> {
  const store = await openStore(db, { readOnly: true });
  try {
    return Object.fromEntries((await store.countByState({})).map((c) => [c.reason ? `${c.state}:${c.reason}` : c.state, c.count]));
  } finally {
    await store.close();
  }
}

/**
 * The bot's secret expires while a rollout runs (control POST /_sim/bot-token, `expiresAfterGrants`). Its
 * tokens last 301 s (or 300 s) here, which botbuilder keeps for 1 s (or not at all: it renews 5 minutes
 * early), so the sends after that ask Entra ID again.
 */
describe("the bot's token refused during a run (built CLI)", function () {
  this.timeout(120_000);
  let tenant: RunningTenant;
  let serve: ServeProcess | undefined;
  afterEach(async () => {
    await serve?.stop('SIGKILL');
    serve = undefined;
    await tenant?.stop();
  });

  /**
   * The secret expires right after `grants` more Bot Framework tokens, inside the simulator's token route: a
   * test that polled the grant count left a window in which a loaded machine's next asker got a good token.
   */
  const expireAfter = (grants: number) => {
    tenant.state.botToken.expiresAfterGrants = grants;
  };

  it('install: ONE refused token request, not 5 per person; the people who met it failed (bot_unauthorized), the rest wait; it says it stopped and why (exit 2)', async () => {
    tenant = await startTestTenant({ users: 60, seed: 'bot-token-midrun-install', limits: 'x10' });
    tenant.state.botToken.lifetimeSeconds = 301;
    const db = ledgerFile();
    expireAfter(1); // install's start check
    const r = await runCli(['install', '--all-users', '--reference-wait', '3'], { ...tenant.env, ...scaledRates(10), DATABASE_URL: db }, { timeoutMs: 100_000 });
    expect(r.code, r.stdout.slice(-1500) + r.stderr.slice(-800)).to.equal(2);
    expect(count(tenant, 'botframework.token', 401), 'refused token requests').to.equal(1);
    expect(r.stdout).to.contain('Welcomes stopped at the first refused bot token');
    expect(r.stdout).to.contain('AADSTS7000222');
    expect(r.stdout).to.match(/has expired: make a new one .* MicrosoftAppPassword/);
    expect(r.stdout).to.contain('--retry-failed');
    const counts = await ledgerCounts(db);
    expect(counts['failed:bot_unauthorized'], JSON.stringify(counts)).to.be.at.least(1);
    expect(counts['failed:network_error'], JSON.stringify(counts)).to.equal(undefined);
    expect(counts.welcomed ?? 0, 'welcomes that went before the secret expired').to.equal(tenant.state.messages.length);
    const waiting = (counts.reference_ready ?? 0) + (counts.installed ?? 0) + (counts.already_installed ?? 0);
    expect(waiting, JSON.stringify(counts)).to.be.greaterThan(0);
  });

  it("serve: stops its sender at its first refused token, says why, keeps its endpoint up, and /status shows it", async () => {
    tenant = await startTestTenant({ users: 40, seed: 'bot-token-midrun-serve', limits: 'x10' });
    tenant.state.botToken.lifetimeSeconds = 300;
    const db = ledgerFile();
    const env = { ...tenant.env, ...scaledRates(10), DATABASE_URL: db };
    serve = await startServeProcess(env);
    tenant.setBotEndpoint(`${serve.base}/api/messages`);
    // serve's start check is behind it (startServeProcess waits for it); install's is next, then the secret
    // expires, before any welcome. The tokens last 300 s, which botbuilder and MSAL renew at once (5 minutes
    // early: botframework-connector appCredentials.js "Subtract 5 minutes from expiresOn", msal-common
    // DEFAULT_TOKEN_RENEWAL_OFFSET_SEC = 300), so no sender welcomes with its start check's token.
    expect(count(tenant, 'botframework.token', 200), "serve's start check").to.equal(1);
    expireAfter(1);
    const r = await runCli(['install', '--all-users', '--reference-wait', '5'], env, { timeoutMs: 100_000 });
    expect(r.code, r.stdout.slice(-1500) + r.stderr.slice(-800)).to.equal(2);
    // One refused request per sender that asks for a token (serve's; install's once serve gave the lease
    // back), never one per person (40 here).
    expect(count(tenant, 'botframework.token', 401), 'refused token requests').to.be.within(1, 2);
    expect(count(tenant, 'botframework.token', 200), 'the two start checks only').to.equal(2);
    expect(tenant.state.messages, 'nobody welcomed after the start checks').to.have.length(0);
    expect(serve.stderr).to.contain('Welcomes stopped at the first refused bot token');
    expect(serve.stderr).to.contain('AADSTS7000222');
    expect(serve.stderr).to.contain('restart serve');
    const status = (await serve.status()) as unknown as { sender: { stoppedBy: { reason: string; serviceCode: string } | null } };
    expect(status.sender.stoppedBy).to.deep.include({ reason: 'bot_unauthorized', serviceCode: 'AADSTS7000222' });
    const counts = await ledgerCounts(db);
    expect(counts['failed:network_error'], JSON.stringify(counts)).to.equal(undefined);
    expect(counts['failed:bot_unauthorized'], JSON.stringify(counts)).to.be.at.least(1);
  });
});
