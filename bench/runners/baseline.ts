/**
 * Runs a baseline (bench/baselines/*.ts, bundled by bench/build.ts into plain ESM so that no
 * TypeScript loader sits in the measured process) as its own measured child process against the
 * simulated tenant, with the tenant's Teams channel pointed at the baseline's own bot endpoint.
 * Its wall time runs from its own start (bot endpoint listening) to its finish, like ours.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/cli/child-cli.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import { baselineBundle } from '../build.js';
import { childDied, spawnMeasured, type ProcessUsage } from '../measure.js';

export type BaselineName = 'guide' | 'cc';

export interface BaselineRun {
  tenant: RunningTenant;
  scratch: string;
  /** Extra settings: BENCH_PAUSE_MS, BENCH_QUIET_MS, BENCH_STATE_FILE… */
  env: Record<string, string>;
}

export interface BaselineResult {
  wallSeconds: number;
  processes: ProcessUsage[];
  /** The baseline's own account (the last JSON line it printed). */
  own: Record<string, unknown>;
  /** CC's per-recipient statuses (its report); undefined for the guide, which has none. */
  statuses: Record<string, string> | undefined;
}

export async function runBaseline(name: BaselineName, r: BaselineRun, runId: string): Promise<BaselineResult> {
  const port = await freePort();
  const reportFile = path.join(r.scratch, `${runId}-report.json`);
  const env = { ...r.tenant.env, BENCH_PORT: String(port), BENCH_REPORT_FILE: reportFile, ...r.env };
  r.tenant.setBotEndpoint(`http://127.0.0.1:${port}/api/messages`);
  try {
    const child = spawnMeasured(name, [baselineBundle(name)], env, r.scratch);
    const usage = await child.done;
    const own = lastResult(child.stdout());
    if (usage.exitCode !== 0 || !own) throw childDied(child, usage);
    const wallSeconds = ((own.finishedAt as number) - (own.startedAt as number)) / 1000;
    const statuses = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, string>) : undefined;
    return { wallSeconds, processes: [usage], own, statuses };
  } finally {
    r.tenant.setBotEndpoint(null);
  }
}

function lastResult(stdout: string): Record<string, unknown> | undefined {
  for (const line of stdout.trim().split('\n').reverse()) {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o.finishedAt === 'number') return o;
    } catch {
      /* not ours */
    }
  }
  return undefined;
}

/** CC's report held against the tenant's people: targeted, but no row at all, or a row that says "Unknown". */
export function unaccountedInStatuses(statuses: Record<string, string>, targeted: string[]): { total: number; noRow: number; unknown: number } {
  let noRow = 0;
  let unknown = 0;
  for (const id of targeted) {
    const s = statuses[id];
    if (s === undefined) noRow++;
    else if (s === 'unknown') unknown++;
  }
  return { total: noRow + unknown, noRow, unknown };
}
