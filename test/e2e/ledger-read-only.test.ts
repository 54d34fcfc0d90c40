import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';
import type { RunningTenant } from '../../src/simulator/server.js';

/**
 * The CLI run as an ordinary user: root may write a chmod 444 file, so as root the test drops to
 * nobody (65534), the way an administrator's own account meets a ledger it may not write.
 */
function runAsUser(args: string[], env: Record<string, string>): Promise<CliResult> {
  const root = process.getuid?.() === 0;
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(root ? { uid: 65534, gid: 65534 } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr }))));
}

const graphCalls = (t: RunningTenant) => Object.keys(t.state.requests).filter((k) => k.startsWith('graph.') && k !== 'graph.token');

/** A ledger that cannot be written (issue 11 minor): exit 2 with the path and the fix, not SQLite's "attempt to write a readonly database", exit 1. */
describe('a read-only ledger (built CLI)', function () {
  this.timeout(120_000);
  let t: RunningTenant;
  before(async () => (t = await startTestTenant({ users: 6, seed: 'read-only', limits: 'x10' })));
  after(() => t.stop());

  async function ledgerWithRollout(): Promise<{ dir: string; db: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'ledger-ro-'));
    chmodSync(dir, 0o755);
    const db = path.join(dir, 'x.db');
    const first = await runCli(['install', '--all-users', '--no-welcome'], { ...t.env, DATABASE_URL: db });
    expect(first.stdout, first.stderr).to.match(/^Rollout /m);
    return { dir, db };
  }

  it('a chmod 444 file: exit 2, naming the file and the fix, before anything is asked of Graph', async () => {
    const { db } = await ledgerWithRollout();
    chmodSync(db, 0o444);
    const before = graphCalls(t).length;
    const r = await runAsUser(['install', '--all-users', '--no-welcome'], { ...t.env, DATABASE_URL: db });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain(`The ledger ${db} cannot be written: the file is read-only`).and.contain('chmod u+w');
    expect(r.stderr).not.to.contain('attempt to write a readonly database');
    expect(graphCalls(t).length).to.equal(before);
  });

  it('a read-only folder: exit 2, naming the folder', async () => {
    const { dir, db } = await ledgerWithRollout();
    chmodSync(db, 0o666);
    chmodSync(dir, 0o555);
    const r = await runAsUser(['install', '--all-users', '--no-welcome'], { ...t.env, DATABASE_URL: db });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain(`its folder ${dir} is read-only`);
  });
});
