import Database from 'better-sqlite3';
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';
import type { RunningTenant } from '../../src/simulator/server.js';

const tmp = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

/** `install --dry-run` says what the real run would do (issue 11 minor: "--dry-run must match the real run"). */
describe('install --dry-run matches the real run (built CLI)', function () {
  this.timeout(120_000);
  let t: RunningTenant;
  before(async () => (t = await startTestTenant({ users: 12, seed: 'dry-run', limits: 'x10' })));
  after(() => t.stop());

  it('the same person on 3 lines of a --users file counts once, as in the real run; no progress line in a dry run', async () => {
    const dir = tmp('dry-run-users-');
    const member = t.state.users.find((u) => u.kind === 'member')!;
    const file = path.join(dir, 'pilot.csv');
    writeFileSync(file, `${member.userPrincipalName}\n${member.userPrincipalName}\n${member.userPrincipalName.toUpperCase()}\n`);
    const env = { ...t.env, DATABASE_URL: path.join(dir, 'x.db') };
    const dry = await runCli(['install', '--users', file, '--dry-run', '--no-welcome'], env);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain('1 people targeted').and.contain('1 would be installed');
    // The plain progress line ("[0.1 s] discover: found 3 · installed 0 new …") would report installs that a dry run never makes.
    expect(dry.stderr).not.to.match(/discover:|installed \d+ new/);
    const json = JSON.parse((await runCli(['install', '--users', file, '--dry-run', '--no-welcome', '--output', 'json'], env)).stdout) as { preview: { targets: number; toInstall: number } };
    const real = JSON.parse((await runCli(['install', '--users', file, '--no-welcome', '--output', 'json'], env)).stdout) as { total: number };
    expect(json.preview.targets).to.equal(real.total).and.equal(1);
  });

  it('--resend-unconfirmed --dry-run says how many would be sent again, and changes nobody', async () => {
    const dir = tmp('dry-run-resend-');
    const db = path.join(dir, 'x.db');
    const env = { ...t.env, DATABASE_URL: db };
    const first = await runCli(['install', '--all-users', '--no-welcome'], env);
    expect(first.code, first.stderr).to.be.oneOf([0, 1]);
    // Three sends cut off in flight, as a killed serve leaves them (the ledger's own state, not the simulator's).
    const sql = new Database(db);
    sql.prepare("UPDATE users SET state = 'unconfirmed', reason = NULL WHERE aad_object_id IN (SELECT aad_object_id FROM users WHERE state IN ('reference_ready', 'installed') LIMIT 3)").run();
    const unconfirmed = () => (sql.prepare("SELECT count(*) AS n FROM users WHERE state = 'unconfirmed'").get() as { n: number }).n;
    expect(unconfirmed()).to.equal(3);
    const dry = await runCli(['install', '--resend-unconfirmed', '--dry-run'], env);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stderr).to.contain('--resend-unconfirmed (dry run): 3 unconfirmed welcome(s) would be sent again; nothing was changed.');
    expect(unconfirmed(), 'a dry run changes nobody').to.equal(3);
    sql.close();
  });
});
