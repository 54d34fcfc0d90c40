import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, runCli } from '../helpers/cli.js';

/**
 * Issue 11: shell completion. The script `completion bash` prints is sourced in a real bash, and its
 * function is asked what it offers after each line, as bash does on Tab (COMP_WORDS / COMP_CWORD).
 */
describe('teams-rollout completion (built CLI, real bash)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'completion-'));
    mkdirSync(path.join(dir, 'cards'));
    writeFileSync(path.join(dir, 'pilot.csv'), 'upn\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** What Tab offers after `line` (the last word, possibly empty, is the one being completed). */
  const offered = (shell: 'bash', line: string): string[] => {
    const script = `source <("${process.execPath}" "${BIN}" completion ${shell})
COMP_WORDS=(${line.split(' ').map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_teams_rollout; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal('');
    return r.stdout.split('\n').filter(Boolean).sort();
  };

  const cases: [string, string[]][] = [
    ['teams-rollout ins', ['install']],
    ['teams-rollout ', ['--help', '--verbose', '--version', 'completion', 'demo', 'doctor', 'install', 'report', 'serve', 'simulate', 'status', 'uninstall', 'welcome']],
    ['teams-rollout install --dr', ['--dry-run']],
    ['teams-rollout install --all-users --re', ['--reference-wait', '--resend-unconfirmed', '--retry-failed']],
    ['teams-rollout --verbose report --format ', ['csv', 'json', 'table']],
    ['teams-rollout report --state fa', ['failed']],
    ['teams-rollout report --reason bot_b', ['bot_blocked_by_user', 'bot_blocked_in_tenant']],
    ['teams-rollout status --output ', ['json', 'text']],
    ['teams-rollout install --users pi', ['pilot.csv']],
    ['teams-rollout demo --dir ', ['cards']],
    ['teams-rollout install --limit ', []],
    ['teams-rollout completion ', ['--help', 'bash', 'zsh']],
    ['teams-rollout nonsense --', []],
  ];
  for (const [line, want] of cases) it(`"${line}" + Tab offers ${want.join(' ') || 'nothing'}`, () => expect(offered('bash', line)).to.deep.equal(want));

  it('zsh gets the same function through bashcompinit; an unknown shell is a usage error naming the two', async () => {
    const zsh = await runCli(['completion', 'zsh'], {});
    expect(zsh.code).to.equal(0);
    expect(zsh.stdout).to.match(/bashcompinit/).and.match(/_teams_rollout\(\) \{/).and.match(/complete -F _teams_rollout teams-rollout/);
    const bad = await runCli(['completion', 'fish'], {});
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('bash, zsh');
    expect(bad.stdout).to.equal('');
  });
});
