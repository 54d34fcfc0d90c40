import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

/**
 * The README's "Try the commands one by one" block (issue 11: "the README's every command is run by a
 * test exactly as written"). The block runs unchanged in bash, followed by the `kill %1 %2` the README
 * asks for, in a folder laid out like this checkout (`dist`, `templates`, and `npx teams-rollout`
 * resolving to the built CLI), so a renamed flag, a changed output or a step that no longer works fails here.
 */
describe('README: the tour of the commands, run as written', function () {
  this.timeout(240_000);
  const readme = readFileSync('README.md', 'utf8');
  const at = readme.indexOf('Try the commands one by one against the simulated tenant:');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))![1]!;
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'readme-tour-'));
    symlinkSync(path.resolve('dist'), path.join(dir, 'dist'));
    symlinkSync(path.resolve('templates'), path.join(dir, 'templates'));
    // `npx teams-rollout` in the checkout runs its bin; here the same bin is put where npx looks first. A
    // wrapper, not a link: tsc writes dist/main.js without the execute bit (a clean clone's CI met
    // "Permission denied"), and npm only sets it when it links a package's bin itself.
    mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    const bin = path.join(dir, 'node_modules', '.bin', 'teams-rollout');
    writeFileSync(bin, `#!/bin/sh\nexec node ${JSON.stringify(path.resolve('dist', 'main.js'))} "$@"\n`);
    chmodSync(bin, 0o755);
    writeFileSync(path.join(dir, 'package.json'), '{"name":"readme-tour","private":true}\n');
  });
  after(() => {
    spawnSync('bash', ['-c', 'pkill -f "readme-tour-.*/dist/main.js" || true']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs every command of the block: doctor all ✔, a dry run, a pilot of 20, the full run, the failed people', () => {
    expect(block).to.match(/node dist\/main\.js simulate/).and.match(/install --all-users --limit 20/);
    // Each command that exits non-zero is written down (the block itself is unchanged): only the pilot and the full run may, with 1: the tenant has people who fail by design.
    const script = `trap 'echo "$? $BASH_COMMAND" >> exits.log' ERR\n${block}\nkill %1 %2\nwait\n`;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(DATABASE_URL|PORT|HOST|TEAMS_|Microsoft|AZURE_|ROLLOUT_|WELCOME_|LOG_)/.test(k)) env[k] = v;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 200_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    const exits = existsSync(path.join(dir, 'exits.log')) ? readFileSync(path.join(dir, 'exits.log'), 'utf8').trim().split('\n') : [];
    expect(exits.filter((line) => !/^1 npx teams-rollout install --all-users( --limit 20)?$/.test(line)), out.slice(-1500)).to.deep.equal([]);
    expect(out).to.not.match(/✘/);
    expect(out).to.match(/Dry run for [^\n]* — nothing was changed\.\n  500 people targeted/);
    expect(out).to.match(/Rollout \S+ of "[^"]+" to [^\n]*: 2\d people in/);
    expect(out).to.match(/Rollout \S+ of "[^"]+" to [^\n]*: 500 people in/);
    expect(out).to.match(/failed\s+blocked_by_policy/);
    expect(existsSync(path.join(dir, 'try.db')), 'the ledger the block names').to.equal(true);
  });
});
