import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { RunningTenant } from '../../src/simulator/server.js';
import { freePort, stopChild, waitForHealth } from '../../src/cli/child-cli.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/output-schema.js';
import { scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

/** The first line a long-running command prints on stdout, then the process is stopped. */
async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line on stdout in 20 s: ${out}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) (clearTimeout(timer), resolve(out.split('\n')[0]!));
    });
  });
  await stopChild(child);
  return line;
}

/**
 * Issue 11: "a JSON Schema for `report --format json` and each command's `--output json`, checked in
 * tests". Every machine output of the built CLI, from a real rollout on the simulated tenant, is held
 * to its checked-in file in schemas/ (strict: a field the file does not name fails).
 */
describe('--output json of every command matches its schema in schemas/ (built CLI, simulated tenant)', function () {
  this.timeout(180_000);
  let tenant: RunningTenant;
  let serve: ChildProcess;
  let env: Record<string, string>;
  let dir: string;
  let port: number;
  // Exit codes are other tests' business; here a command must only end as it documents (1: some people failed).
  const json = async (args: string[], schema: string, codes = [0]) => {
    const r = await runCli(args, env, { timeoutMs: 90_000 });
    expect(codes, `${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-600)}`).to.include(r.code);
    const value: unknown = JSON.parse(r.stdout);
    expect(schemaErrors(schema, value), `${args.join(' ')} against schemas/${schema}.schema.json`).to.equal(null);
    return value as Record<string, unknown>;
  };

  before(async () => {
    tenant = await startTestTenant({ users: 60, seed: 'schemas', limits: 'x10' });
    port = await freePort();
    tenant.setBotEndpoint(`http://127.0.0.1:${port}/api/messages`);
    dir = mkdtempSync(path.join(tmpdir(), 'output-schemas-'));
    env = { ...tenant.env, ...scaledRates(10), DATABASE_URL: path.join(dir, 'r.db') };
  });
  after(async () => {
    if (serve) await stopChild(serve);
    await tenant?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve: its ready line', async () => {
    serve = spawnCli(['serve', '--port', String(port), '--output', 'json'], env);
    let out = '';
    serve.stdout!.on('data', (d) => (out += d));
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 20_000, serve);
    await new Promise((r) => setTimeout(r, 200));
    expect(schemaErrors('serve', JSON.parse(out.split('\n')[0]!))).to.equal(null);
  });

  it('doctor, install (dry run, pilot and full run), status, status --all', async () => {
    await json(['doctor', '--endpoint', `http://127.0.0.1:${port}/api/messages`, '--output', 'json'], 'doctor');
    const dry = await json(['install', '--all-users', '--dry-run', '--output', 'json'], 'install');
    expect(dry.preview, 'a dry run has its preview').to.be.an('object');
    // The tenant has people who fail by design (blocked by policy, blocked the bot): a run with them exits 1.
    await json(['install', '--all-users', '--limit', '5', '--output', 'json'], 'install', [0, 1]);
    const full = await json(['install', '--all-users', '--wait', '60', '--output', 'json'], 'install', [1]);
    expect((full.counts as Record<string, number>).welcomed).to.be.greaterThan(0);
    await json(['status', '--output', 'json'], 'status');
    const all = await json(['status', '--all', '--output', 'json'], 'status-all');
    expect(all.rollouts).to.have.length(2);
  });

  it('report --format json, report --person, welcome --preview and --test-to, uninstall --dry-run', async () => {
    const rows = (await json(['report', '--format', 'json'], 'report')) as unknown as { userPrincipalName: string; state: string; rolloutId: string }[];
    expect(rows).to.have.length(60);
    const welcomed = rows.find((r) => r.state === 'welcomed')!;
    const failed = rows.find((r) => r.state === 'failed')!;
    await json(['report', '--person', welcomed.userPrincipalName, '--output', 'json'], 'report-person');
    await json(['report', '--person', failed.userPrincipalName, '--output', 'json'], 'report-person');
    await json(['welcome', '--preview', '--output', 'json'], 'welcome-preview');
    await json(['welcome', '--preview', '--person', welcomed.userPrincipalName, '--output', 'json'], 'welcome-preview');
    const sent = await json(['welcome', '--test-to', welcomed.userPrincipalName, '--output', 'json'], 'welcome-test-to');
    expect(sent.sent).to.equal(true);
    await json(['uninstall', '--rollout', welcomed.rolloutId, '--dry-run', '--output', 'json'], 'uninstall');
  });

  it('welcome --team', async () => {
    const team = tenant.state.teams.find((x) => x.displayName === 'IT Champions')!;
    await json(['welcome', '--team', team.conversationId, '--wait', '30', '--output', 'json'], 'welcome-team', [0, 1]);
  });

  it('an error under --output json (usage, and configuration)', async () => {
    await json(['install', '--all-users', '--since-last', '--output', 'json'], 'error', [2]);
    await json(['report', '--person', 'nobody@nowhere.example', '--output', 'json'], 'error', [2]);
    const r = await runCli(['status', '--output', 'json'], { DATABASE_URL: '/proc/nope/x.db' }, { timeoutMs: 30_000 });
    expect(schemaErrors('error', JSON.parse(r.stdout)), r.stderr).to.equal(null);
  });

  it('simulate: its ready line', async () => {
    const line = await firstLine(spawnCli(['simulate', '--users', '10', '--output', 'json'], {}));
    expect(schemaErrors('simulate', JSON.parse(line))).to.equal(null);
  });

  it('demo --output json', async () => {
    const demoDir = path.join(dir, 'demo');
    const r = await runCli(['demo', '--users', '40', '--limits', 'x10', '--dir', demoDir, '--output', 'json'], { DATABASE_URL: '' }, { timeoutMs: 90_000 });
    expect(r.code, r.stderr.slice(-600)).to.equal(0);
    expect(schemaErrors('demo', JSON.parse(r.stdout.trim().split('\n').at(-1)!))).to.equal(null);
  });
});
