import { spawn } from 'node:child_process';
import { expect } from 'chai';

/**
 * The benchmark's plumbing end to end, at smoke size (`npm run bench -- --smoke`: 60 people, limits
 * ×20): every scenario, our CLI as real processes, both baselines, the tenant-side figures and the
 * markdown table. It asserts that each part ran and counted, never how fast.
 */
describe('npm run bench -- --smoke (every scenario and strategy)', function () {
  this.timeout(150_000);
  let child: ReturnType<typeof spawn> | undefined;
  // A bench that overruns must not leave its tenant, serve and install behind: they are its process group.
  after(() => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it('runs every scenario for our tool and the baselines, and reports each of them', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child!.on('close', resolve));
    expect(code, stderr.slice(-2000)).to.equal(0);
    const rows = stdout.split('\n').filter((l) => /^\| \d/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
    const strategies = (scenario: RegExp) => rows.filter((r) => scenario.test(r[1]!)).map((r) => r[2]);
    for (const s of [/^1$/, /^2$/, /^3$/, /^4 \(/]) expect(strategies(s), `scenario ${s}`).to.deep.equal(['teams-rollout', "guide's approach", 'Company Communicator']);
    for (const s of [/^5$/, /^6$/, /^7$/]) expect(strategies(s), `scenario ${s}`).to.deep.equal(['teams-rollout']);
    // Our tool welcomes every welcomable person, as the tenant counted ("N / N"), in each full rollout.
    for (const s of [/^1$/, /^2$/, /^3$/, /^4 \(/, /^6$/, /^7$/]) {
      const ours = rows.find((r) => s.test(r[1]!) && r[2] === 'teams-rollout')!;
      expect(ours[9], `scenario ${s}: welcomed / welcomable`).to.match(/^(\d[\d,]*) \/ \1$/);
      expect(ours[10], `scenario ${s}: duplicated`).to.equal('0');
    }
  });
});
