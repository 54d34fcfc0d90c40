import { spawn } from 'node:child_process';
import { expect } from 'chai';

/**
 * The benchmark's plumbing end to end, at smoke size: a simulated tenant, our CLI as real processes,
 * both baselines, the tenant-side figures and the markdown table. Scenario 1 only: the whole
 * `npm run bench -- --smoke` (every scenario) takes longer than a CI test should (../shared/checks/bench runs it).
 */
describe('npm run bench -- --smoke (scenario 1)', function () {
  this.timeout(90_000);

  it('runs our tool and both baselines and reports every one of them', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--scenario', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr.slice(-2000)).to.equal(0);
    const rows = stdout.split('\n').filter((l) => l.startsWith('| 1 |'));
    expect(rows.map((l) => l.split('|')[2]!.trim())).to.deep.equal(['teams-rollout', "guide's approach", 'Company Communicator']);
    // Our tool welcomes every welcomable person of the tenant, as the tenant counted: "N / N".
    const welcomed = rows[0]!.split('|')[9]!.trim();
    expect(welcomed).to.match(/^(\d[\d,]*) \/ \1$/);
  });
});
