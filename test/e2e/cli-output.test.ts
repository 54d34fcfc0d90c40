import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { BIN, runCli } from '../helpers/cli.js';
import { newUser, T0, TENANT } from '../store/contract/fixtures.js';

/** Runs `node dist/main.js <args> | head -<lines>` under bash with pipefail: the CLI's own exit code and stderr. */
function intoHead(args: string, lines: number, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${args} | head -${lines} >/dev/null`], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve({ code, stderr }))));
}

/** Issue 11 minors on the built CLI: a closed pipe is not an error, and machine output stays machine output when things go wrong. */
describe('CLI output: closed pipes and JSON errors', function () {
  this.timeout(60_000);
  let env: Record<string, string>;
  before(async () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'tr-out-')), 'ledger.db');
    const store = await openStore(db);
    // Enough rows that the report outgrows the pipe's buffer, so the CLI is still writing when head leaves.
    await store.insertUsers(Array.from({ length: 3000 }, (_, i) => newUser(i + 1, { rolloutId: 'r1', state: 'welcomed' })), T0, 'test');
    await store.createRollout({ id: 'r1', tenantId: TENANT, startedAt: T0, finishedAt: T0 + 1000, targets: 'all users', options: '{}', summary: null });
    await store.close();
    env = { DATABASE_URL: db };
  });

  for (const args of ['report --format csv', 'report --format json', 'status --watch']) {
    it(`${args} | head -1: exits 0, no EPIPE and no stack`, async () => {
      const r = await intoHead(args, 1, env);
      expect(r.stderr).to.not.match(/EPIPE|at .*\.js:\d+/);
      expect(r.code, r.stderr).to.equal(0);
    });
  }

  it('a configuration error under --output json is one JSON object on stdout (code, message, fix), exit 2', async () => {
    const r = await runCli(['install', '--all-users', '--output', 'json'], { ...env, TEAMS_APP_ID: '', AZURE_TENANT_ID: '', AZURE_CLIENT_ID: '', AZURE_CLIENT_SECRET: '' });
    expect(r.code, r.stderr).to.equal(2);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string; fix: string; exitCode: number } };
    expect(error).to.include({ code: 'CONFIG', exitCode: 2 });
    expect(error.message).to.contain('AZURE_TENANT_ID');
    expect(error.fix).to.contain('doctor');
  });

  it('a usage error under --output json too, and report --format json counts as machine output', async () => {
    for (const args of [['install', '--bogus', '--output', 'json'], ['report', '--rollout', 'nope', '--format', 'json']]) {
      const r = await runCli(args, env);
      expect(r.code, r.stderr).to.equal(2);
      const { error } = JSON.parse(r.stdout) as { error: { code: string; exitCode: number; message: string } };
      expect(error.exitCode, args.join(' ')).to.equal(2);
      expect(error.message.length).to.be.greaterThan(5);
    }
  });
});
