import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';

/** Peak resident memory of a running process (Linux /proc), polled until it exits. */
function peakRssKb(pid: number, state: { peak: number }): () => void {
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) state.peak = Math.max(state.peak, Number(m[1]));
    } catch {
      /* the process has exited */
    }
  }, 25);
  return () => clearInterval(timer);
}

async function installPeak(users: number): Promise<{ peakKb: number; code: number | null; stderr: string }> {
  const tenant = await startTestTenant({ users, seed: 41, limits: 'off' });
  try {
    const env = {
      ...tenant.env,
      DATABASE_URL: path.join(mkdtempSync(path.join(tmpdir(), 'mem-')), 'm.db'),
      GRAPH_INSTALLEDAPPS_POST_RPS: '100000',
      GRAPH_INSTALLEDAPPS_GET_RPS: '100000',
      GRAPH_DIRECTORY_RPS: '100000',
      // A heap this small fails with "out of memory" if anything grows with the number of people.
      NODE_OPTIONS: '--max-old-space-size=48',
    };
    const child = spawnCli(['install', '--all-users', '--no-welcome', '--output', 'json'], env);
    const state = { peak: 0 };
    const stop = peakRssKb(child.pid!, state);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.resume();
    const code: number | null = await new Promise((r) => child.on('close', r));
    stop();
    return { peakKb: state.peak, code, stderr };
  } finally {
    await tenant.stop();
  }
}

/**
 * The suite compares 1,000 with 5,000 people to stay near three minutes; the 1,000 → 50,000 runs with
 *   MEMORY_TEST_SIZES=1000,50000 npm test -- test/e2e/install-memory.test.ts
 */
const [SMALL, LARGE] = (process.env.MEMORY_TEST_SIZES ?? '1000,5000').split(',').map(Number) as [number, number];

describe('install memory does not grow with the number of people (targets are streamed, never all held)', function () {
  this.timeout(150_000 + LARGE * 5);

  // Linux only: /proc is how the peak is read (CI runs on Linux).
  it(`${SMALL.toLocaleString('en')} and ${LARGE.toLocaleString('en')} people both finish inside a 48 MB heap, at about the same peak RSS`, async () => {
    const small = await installPeak(SMALL);
    const large = await installPeak(LARGE);
    expect(small.code, small.stderr.slice(-500)).to.equal(1); // finished (with the population's policy-blocked people)
    expect(large.code, large.stderr.slice(-500)).to.equal(1);
    expect(small.peakKb).to.be.greaterThan(0);
    // Many times the people, not many times the memory: a little slack for the allocator and the SQLite page cache.
    const ratio = large.peakKb / small.peakKb;
    console.log(`      peak RSS of install: ${SMALL} people ${small.peakKb} kB, ${LARGE} people ${large.peakKb} kB (×${ratio.toFixed(2)})`);
    expect(ratio, `peak RSS ${small.peakKb} kB → ${large.peakKb} kB`).to.be.below(1.3);
  });
});
