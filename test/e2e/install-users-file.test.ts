import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningTenant } from '../../src/simulator/server.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { scaledRates } from '../helpers/rollout.js';
import { startTestTenant } from '../helpers/tenant.js';

const total = (t: RunningTenant, label: string) => Object.values(t.state.requests[label] ?? {}).reduce((a, b) => a + b, 0);
/** Directory look-ups: the inner GETs of a $batch are counted under their own label, as outer ones. */
const lookups = (t: RunningTenant) => total(t, 'graph.users.get');

function pilotFile(t: RunningTenant, lines: number, extra: string[] = []): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'users-bulk-'));
  const file = path.join(dir, 'pilot.csv');
  const people = t.state.users.slice(0, lines);
  writeFileSync(file, ['Display name,User principal name', ...people.map((u) => `"${u.displayName ?? ''}",${u.userPrincipalName}`), ...extra].join('\r\n'));
  return file;
}

/** Runs the CLI and sends ONE SIGINT (a Ctrl-C) once `when` holds; how long it then took to exit. */
async function interruptWhen(args: string[], env: Record<string, string>, when: () => boolean) {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let exited = false;
  void closed.then(() => (exited = true));
  for (let i = 0; i < 1200 && !when() && !exited; i++) await new Promise((r) => setTimeout(r, 25));
  expect(when(), `the condition came before the end: ${stderr}`).to.equal(true);
  const sentAt = Date.now();
  child.kill('SIGINT');
  const { code, signal } = await closed;
  return { code, signal, stdout, stderr, ms: Date.now() - sentAt };
}

const graphCalls = (requests: Record<string, Record<string, number>>) => Object.keys(requests).filter((k) => k.startsWith('graph.') && k !== 'graph.token');

/** `install --users FILE` on the built CLI (issue 10 item 7, issue 11 major 5 and the binary-file minor). */
describe('install --users FILE', function () {
  this.timeout(120_000);

  it('a binary file is refused as "not a text or CSV file": exit 2, no raw bytes echoed, nothing asked of Graph', async () => {
    const t = await startTestTenant({ users: 5, seed: 2 });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'users-binary-'));
      const file = path.join(dir, 'pilot.csv');
      writeFileSync(file, Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.from('\x1b]0;pwned\x07\x1b[2J\x1b[31m'.repeat(30), 'latin1'), Buffer.alloc(64, 0)]));
      const r = await runCli(['install', '--users', file], { ...t.env, DATABASE_URL: path.join(dir, 'x.db') });
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain('not a text or CSV file').and.contain('CSV UTF-8');
      expect(r.stderr + r.stdout).not.to.match(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(graphCalls(t.state.requests)).to.deep.equal([]);
    } finally {
      await t.stop();
    }
  });

  describe('a 2,000-line file', () => {
    let t: RunningTenant;
    let dir: string;
    before(async () => {
      t = await startTestTenant({ users: 2000, seed: 5, limits: 'x10' });
      dir = mkdtempSync(path.join(tmpdir(), 'users-bulk-db-'));
    });
    after(() => t.stop());

    it('is looked up in bulk: at most 2000/15 Graph calls, someone not in the directory still reported', async () => {
      const file = pilotFile(t, 2000, ['Nobody,nobody@contoso.com']);
      const before = { batches: total(t, 'graph.batch'), lookups: lookups(t) };
      const r = await runCli(['install', '--users', file, '--dry-run', '--output', 'json'], { ...t.env, DATABASE_URL: path.join(dir, 'dry.db'), ...scaledRates(10) }, { timeoutMs: 90_000 });
      expect(r.code, r.stderr).to.equal(0);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { preview: { targets: number; byReason: Record<string, number> } };
      expect(out.preview.targets).to.equal(2001);
      expect(out.preview.byReason['failed:user_not_found']).to.equal(1);
      const batches = total(t, 'graph.batch') - before.batches;
      const inner = lookups(t) - before.lookups;
      // One GET /users/{upn} a line made 2,001 calls here.
      expect(batches, 'HTTP calls ($batch)').to.be.at.most(2000 / 15);
      expect(inner, 'directory look-ups, each counted against the rate').to.equal(Math.ceil(2001 / 15));
      expect(t.state.requests['graph.batch']?.['200']).to.equal(total(t, 'graph.batch'));
    });

    it('Ctrl-C during the look-up exits within 2 s with "interrupted", and the rollout is recorded as interrupted', async () => {
      const file = pilotFile(t, 2000);
      const db = path.join(dir, 'sigint.db');
      // A slow directory (2 look-ups a second): the 134 look-ups would take over a minute.
      const start = lookups(t);
      const { code, signal, stderr, ms } = await interruptWhen(['install', '--users', file, '--no-welcome'], { ...t.env, DATABASE_URL: db, ...scaledRates(10), GRAPH_DIRECTORY_RPS: '2' }, () => lookups(t) - start >= 3);
      expect(signal, stderr).to.equal(null);
      expect(code, stderr).to.equal(130);
      expect(ms, 'ms from SIGINT to exit').to.be.below(2000);
      expect(stderr).to.contain('Interrupted — run the same command to resume');
      expect(lookups(t) - start, 'look-ups stopped at once').to.be.below(40);
      const { openStore } = await import('../../src/store/open.js');
      const store = await openStore(db);
      try {
        expect(JSON.parse((await store.latestRollout())?.summary ?? '{}')).to.include({ interrupted: true });
      } finally {
        await store.close();
      }
    });

    it('a resumed run looks up only the lines the interrupted one had not resolved', async () => {
      const file = pilotFile(t, 2000);
      const db = path.join(dir, 'resume.db');
      const env = { ...t.env, DATABASE_URL: db, ...scaledRates(10), GRAPH_DIRECTORY_RPS: '20' };
      const start = lookups(t);
      const first = await interruptWhen(['install', '--users', file, '--no-welcome'], env, () => lookups(t) - start >= 70);
      expect(first.code, first.stderr).to.equal(130);
      const { openStore } = await import('../../src/store/open.js');
      const keys = t.state.users.slice(0, 2000).map((u) => `upn:${u.userPrincipalName!.toLowerCase()}`);
      const store = await openStore(db);
      const saved = (await store.getLookups(t.tenantId, keys, 0)).size;
      await store.close();
      expect(saved, 'people resolved before Ctrl-C').to.be.within(300, 1700);

      const before = lookups(t);
      const again = await runCli(['install', '--users', file, '--no-welcome', '--output', 'json'], { ...env, GRAPH_DIRECTORY_RPS: '200' }, { timeoutMs: 110_000 });
      expect(again.code, again.stderr).to.be.oneOf([0, 1]);
      // Pages of 300 lines are saved whole, so the rest is exactly (2000 - saved) / 15 look-ups (rounded up).
      expect(lookups(t) - before, 'look-ups of the resumed run').to.equal(Math.ceil((2000 - saved) / 15));
      const out = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { total: number; interrupted: boolean };
      expect(out.total, 'nobody lost').to.equal(2000);
      expect(out.interrupted).to.equal(false);
    });
  });
});
