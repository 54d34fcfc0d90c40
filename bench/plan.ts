/**
 * Which runs a bench invocation makes, and in what order.
 *
 * Most runs go one after another. Company Communicator at the base limits spends its time waiting on
 * 429s and its pauses (little CPU), so its scenarios 1(+3) and 2 run side by side, and beside the
 * largest growth run of ours: that keeps the full bench near half an hour; the rows say so. Baselines
 * are not run above BASELINE_MAX_USERS (scenarios.ts says why).
 */
import { skippedRow, type Row, type Strategy } from './row.js';
import { runInstallEngine, runWelcomeDrain } from './run-engine.js';
import { runRollout } from './run-rollout.js';
import { BASELINE_MAX_USERS, FAULTS, SCENARIOS, skipReason, type BenchContext } from './scenarios.js';

export interface Task {
  name: string;
  run: () => Promise<Row[]>;
}

export interface Plan {
  sequential: Task[];
  alongside: Task[];
  /** Rows decided without running (skipped on purpose). */
  decided: Row[];
}

const title = (id: string) => SCENARIOS.find((x) => x.id === id)!.title;

export function planRuns(ctx: BenchContext, wanted: (id: string) => boolean, strategiesOf: (id: string) => Strategy[]): Plan {
  const p: Plan = { sequential: [], alongside: [], decided: [] };
  const { scale } = ctx;
  const base = { users: scale.users, limits: scale.limits, limitsFactor: scale.limitsFactor, reportRollout: true };
  for (const strategy of wanted('1') || wanted('3') ? strategiesOf('1') : []) {
    const plan = { ...base, scenario: '1', title: title('1'), reportRollout: wanted('1'), ...(wanted('3') ? { newHires: { count: scale.newHires, scenario: '3', title: title('3') } } : {}) };
    (strategy === 'cc' ? p.alongside : p.sequential).push({ name: `${strategy} scenario 1${wanted('3') ? '+3' : ''}`, run: () => runRollout(ctx, strategy, plan) });
  }
  for (const strategy of wanted('2') ? strategiesOf('2') : []) {
    const plan = { ...base, scenario: '2', title: title('2'), faults: FAULTS };
    (strategy === 'cc' ? p.alongside : p.sequential).push({ name: `${strategy} scenario 2`, run: () => runRollout(ctx, strategy, plan) });
  }
  for (const users of wanted('4') ? scale.growth : []) {
    const limits = `x${scale.growthFactor}`;
    for (const strategy of strategiesOf('4')) {
      if (strategy !== 'ours' && users > BASELINE_MAX_USERS) {
        p.decided.push(skippedRow({ scenario: '4', title: title('4'), strategy, limits, faults: null }, users, skipReason(strategy)));
        continue;
      }
      const plan = { scenario: '4', title: title('4'), users, limits, limitsFactor: scale.growthFactor, reportRollout: true };
      (users > BASELINE_MAX_USERS ? p.alongside : p.sequential).push({ name: `${strategy} scenario 4 at ${users}`, run: () => runRollout(ctx, strategy, plan) });
    }
  }
  if (wanted('5') && strategiesOf('5').length) p.sequential.push({ name: 'scenario 5', run: async () => [await runInstallEngine(ctx)] });
  if (wanted('6') && strategiesOf('6').length) p.sequential.push({ name: 'scenario 6', run: async () => [await runWelcomeDrain(ctx, '6')] });
  if (wanted('7') && strategiesOf('7').length) p.sequential.push({ name: 'scenario 7', run: async () => [await runWelcomeDrain(ctx, '7')] });
  return p;
}

/** Runs tasks `n` at a time (the smoke run: it proves things work; its timings mean nothing). */
export async function pool(tasks: Task[], n: number): Promise<Row[]> {
  const out: Row[][] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!.run();
      }
    }),
  );
  return out.flat();
}

/** Runs the plan: one after another, then the side-by-side group together (smoke: everything 3 at a time). */
export async function runPlan(p: Plan, smoke: boolean, say: (s: string) => void): Promise<Row[]> {
  const rows = [...p.decided];
  if (smoke) return [...rows, ...(await pool([...p.alongside, ...p.sequential], 3))];
  for (const task of p.sequential) rows.push(...(await task.run()));
  if (p.alongside.length > 1) say(`Side by side now: ${p.alongside.map((t) => t.name).join(' · ')}`);
  const together = await Promise.all(p.alongside.map((t) => t.run()));
  for (const [i, result] of together.entries()) {
    const others = p.alongside.filter((_, j) => j !== i).map((t) => t.name);
    for (const r of result) rows.push(others.length ? { ...r, notes: [...r.notes, `ran side by side with ${others.join(', ')}`] } : r);
  }
  return rows;
}
