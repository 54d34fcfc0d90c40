/**
 * `npm run bench` — benchmarks of teams-rollout against the published limits, against the peers'
 * strategies (reimplemented in bench/baselines), and as the work grows. See bench/results/SUMMARY.md.
 *
 *   npm run bench                        the full benchmark (about half an hour): results/<date>.{json,md} + SUMMARY.md
 *   npm run bench -- --smoke             every scenario and strategy at tiny sizes (well under a minute)
 *   npm run bench -- --scenario 1 --scenario 3 --strategy ours      a part (written to results/raw/)
 *   npm run bench -- --render bench/results/<date>.json               the tables and summary again from raw figures
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTlsMaterial } from '../src/simulator/tls.js';
import { bundleBaselines, ensureBuilt } from './build.js';
import { load, machine } from './machine.js';
import { planRuns, runPlan } from './plan.js';
import { STRATEGIES, type Row, type Strategy } from './row.js';
import { FULL, SCENARIOS, SMOKE, type BenchContext } from './scenarios.js';
import { readResults, writeResults } from './write-results.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    strategy: { type: 'string', multiple: true },
    'keep-scratch': { type: 'boolean', default: false },
    /** Sizes of scenario 4 instead of the scale's, e.g. 10000 (for development). */
    'growth-sizes': { type: 'string' },
    /** Re-render the tables (and, for a complete full run, SUMMARY.md) from a raw results file, without running. */
    render: { type: 'string' },
  },
});
const split = (v: string[] | undefined) => v?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
const scenarioFilter = split(values.scenario);
const strategyFilter = split(values.strategy) as Strategy[] | undefined;
for (const s of scenarioFilter ?? []) if (!SCENARIOS.some((x) => x.id === s)) usage(`--scenario ${s}: choose among ${SCENARIOS.map((x) => x.id).join(', ')}`);
for (const s of strategyFilter ?? []) if (!STRATEGIES.includes(s)) usage(`--strategy ${s}: choose among ${STRATEGIES.join(', ')}`);

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const growthSizes = split(values['growth-sizes'] ? [values['growth-sizes']] : undefined)?.map(Number);
if (growthSizes?.some((n) => !Number.isInteger(n) || n < 1)) usage('--growth-sizes: whole numbers, comma-separated');
const scale = { ...(values.smoke ? SMOKE : FULL), ...(growthSizes ? { growth: growthSizes } : {}) };
const wanted = (id: string) => !scenarioFilter || scenarioFilter.includes(id);
const strategiesOf = (id: string) => SCENARIOS.find((s) => s.id === id)!.strategies.filter((s) => !strategyFilter || strategyFilter.includes(s));
const say = (line: string) => process.stderr.write(`${line}\n`);

if (values.render) {
  const r = readResults(values.render);
  const out = writeResults(r);
  process.stdout.write(`${out.markdown}\nWrote ${out.files.map((f) => path.relative(process.cwd(), f)).join(', ')}.\n`);
  process.exit(0);
}

const startedAt = new Date();
const loadAtStart = load();
const clock = performance.now();
const scratch = mkdtempSync(path.join(tmpdir(), 'teams-rollout-bench-'));
const context: BenchContext = { scale, tls: await makeTlsMaterial(scratch), scratch, say };
say(`teams-rollout bench (${scale.name}) · scratch ${scratch}`);
ensureBuilt(say);
await bundleBaselines();

let rows: Row[];
try {
  rows = await runPlan(planRuns(context, wanted, strategiesOf), scale.name === 'smoke', say);
} finally {
  if (!values['keep-scratch']) rmSync(scratch, { recursive: true, force: true });
}
const order = (r: Row) => Number(r.scenario) * 1e7 + (r.scenario === '4' ? r.tenantUsers * 10 : 0) + STRATEGIES.indexOf(r.strategy);
rows.sort((a, b) => order(a) - order(b));
const complete = !scenarioFilter && !strategyFilter && !growthSizes && scale.name === 'full';
const out = writeResults({ scale, startedAt, seconds: (performance.now() - clock) / 1000, machine: machine(loadAtStart), rows, complete });
process.stdout.write(`${out.markdown}\nSaved ${out.files.map((f) => path.relative(process.cwd(), f)).join(', ')}.\n`);
const failed = rows.filter((r) => r.error);
if (failed.length) say(`${failed.length} run(s) failed: ${failed.map((r) => `${r.scenario}/${r.strategy}`).join(', ')}`);
process.exit(failed.length || rows.length === 0 ? 1 : 0);
