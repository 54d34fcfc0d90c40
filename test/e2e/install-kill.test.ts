import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli } from '../helpers/cli.js';
import { groundTruth, scaledRates, stateOf } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

const created = (t: RunningTenant) => t.state.requests['graph.installedApps.post']?.['201'] ?? 0;
const posts = (t: RunningTenant) => Object.values(t.state.requests['graph.installedApps.post'] ?? {}).reduce((a, b) => a + b, 0);

/**
 * Final state per person, with the three "has the app, no welcome asked" states as one: an install
 * that was in flight when the process died answers 409 on the resumed run, so that person's chat is
 * fetched through Graph (reference_ready) where the uninterrupted run waits for the install event
 * (installed). Every skip and failure must match exactly.
 */
const HAS_APP = new Set(['installed', 'already_installed', 'reference_ready']);
async function finalStates(dbPath: string): Promise<Map<string, string>> {
  const store = await openStore(dbPath);
  try {
    const rows = await store.listUsers({ limit: 100_000 });
    return new Map(rows.map((r) => [r.aadObjectId, HAS_APP.has(r.state) ? 'has-app' : stateOf(r)]));
  } finally {
    await store.close();
  }
}

/** The `install` process killed at any point and run again ends exactly like a run that was never interrupted. */
describe('install: killed midway (the process) and run again', function () {
  this.timeout(120_000);
  const seed = 31;
  const users = 400;
  const args = ['install', '--all-users', '--no-welcome', '--output', 'json'];

  it('resumes: nobody lost, nobody installed twice, the same final ledger as an uninterrupted run', async () => {
    const uninterrupted = await startTestTenant({ users, seed, limits: 'x5' });
    const interrupted = await startTestTenant({ users, seed, limits: 'x5' });
    try {
      const dbA = path.join(mkdtempSync(path.join(tmpdir(), 'kill-a-')), 'a.db');
      const dbB = path.join(mkdtempSync(path.join(tmpdir(), 'kill-b-')), 'b.db');
      const envOf = (t: RunningTenant, db: string) => ({ ...t.env, DATABASE_URL: db, ...scaledRates(5) });

      const straight = await runCli(args, envOf(uninterrupted, dbA));
      expect(straight.code, straight.stderr).to.equal(1); // the population has people blocked by policy: "finished with failed users"

      // Kill it twice: early (during the installs) and later; SIGKILL gives it no chance to tidy up.
      const first = await runCli(args, envOf(interrupted, dbB), { killWhen: () => posts(interrupted) >= 60 });
      expect(first.signal).to.equal('SIGKILL');
      const second = await runCli(args, envOf(interrupted, dbB), { killWhen: () => posts(interrupted) >= 220 });
      expect(second.signal).to.equal('SIGKILL');
      const last = await runCli(args, envOf(interrupted, dbB));
      expect(last.code, last.stderr).to.equal(1);

      const a = await finalStates(dbA);
      const b = await finalStates(dbB);
      expect(b.size).to.equal(users);
      const differ = [...a].filter(([id, s]) => b.get(id) !== s).map(([id, s]) => `${id}: ${s} vs ${b.get(id)}`);
      expect(differ, differ.slice(0, 5).join('\n')).to.deep.equal([]);
      expect(created(interrupted), 'installs that created an installation').to.equal(created(uninterrupted));
      const ta = groundTruth(uninterrupted).map((u) => `${u.id}:${u.installed}`);
      const tb = groundTruth(interrupted).map((u) => `${u.id}:${u.installed}`);
      expect(tb).to.deep.equal(ta);
      // Resuming costs at most the calls that were in flight when it was killed.
      expect(posts(interrupted) - posts(uninterrupted)).to.be.at.most(2 * 32);
    } finally {
      await Promise.all([uninterrupted.stop(), interrupted.stop()]);
    }
  });

  it('a malformed users file refuses to start, names the line, and changes nothing', async () => {
    const t = await startTestTenant({ users: 50, seed: 2 });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'bad-file-'));
      const file = path.join(dir, 'users.txt');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, `# pilot\n${t.state.users[0]!.userPrincipalName}\nAda Lovelace\n`);
      const r = await runCli(['install', '--users', file], { ...t.env, DATABASE_URL: path.join(dir, 'x.db') });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('line 3').and.contain('Ada Lovelace').and.contain('nothing was changed');
      expect(r.stderr).not.to.match(/\n\s+at /); // no stack trace without --verbose
      expect(Object.keys(t.state.requests).filter((k) => k.startsWith('graph.') && k !== 'graph.token')).to.deep.equal([]);
    } finally {
      await t.stop();
    }
  });

  it('bad configuration exits 2 and names every problem at once', async () => {
    const r = await runCli(['install', '--all-users'], { PATH: process.env.PATH!, AZURE_AUTHORITY_HOST: 'http://login.example', TEAMS_APP_ID: 'not-a-guid', DATABASE_URL: ':memory:' });
    expect(r.code).to.equal(2);
    for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'TEAMS_APP_ID', 'AZURE_AUTHORITY_HOST', 'MicrosoftAppId']) expect(r.stderr).to.contain(name);
  });
});
