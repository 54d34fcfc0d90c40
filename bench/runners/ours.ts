/**
 * Our tool, run as an administrator runs it (as `demo` does): the simulated tenant lives in this
 * process; `serve` (bot endpoint + welcome sender) and `install` are the built CLI (`dist/main.js`) as
 * child processes, each measured (measure.ts). The wall time is that of the `install` command, from
 * its start to its exit (it exits once every person has a final state); serve is already up, as it
 * would be in production.
 */
import path from 'node:path';
import { freePort, lastJsonLine, waitForHealth } from '../../src/cli/child-cli.js';
import { scaledRateEnv } from '../../src/config.js';
import { toReportRow } from '../../src/cli/render-rows.js';
import { openStore } from '../../src/store/open.js';
import { FINAL_STATES, type State } from '../../src/ledger/states.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import { childDied, spawnMeasured, type MeasuredChild, type ProcessUsage } from '../measure.js';

export const BIN = path.resolve('dist', 'main.js');

export interface OursSetup {
  tenant: RunningTenant;
  /** Scratch folder (time reports). */
  scratch: string;
  /** The ledger (SQLite file), kept between the runs of one scenario (a re-run resumes from it). */
  databaseUrl: string;
  /** Client-side settings (rate env vars for raised limits). */
  env: Record<string, string>;
}

export interface OursResult {
  wallSeconds: number;
  processes: ProcessUsage[];
  /** The `install --output json` summary (the tool's own account). */
  install: Record<string, unknown> | undefined;
  exitCode: number | null;
}

export const childEnv = (s: OursSetup): Record<string, string> => ({ ...s.tenant.env, DATABASE_URL: s.databaseUrl, LOG_LEVEL: 'error', ...s.env });

/** Starts `serve` on a free port and points the tenant's Teams channel at it. */
export async function startServe(s: OursSetup): Promise<MeasuredChild> {
  const port = await freePort();
  const serve = spawnMeasured('serve', [BIN, 'serve', '--port', String(port)], childEnv(s), s.scratch);
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 30_000);
  } catch (e) {
    await serve.stop(1000);
    throw new Error(`serve did not start: ${(e as Error).message}\n${serve.tail()}`);
  }
  s.tenant.setBotEndpoint(`http://127.0.0.1:${port}/api/messages`);
  return serve;
}

/** `install <args> --output json`, measured, to its exit. */
export async function runInstallCli(s: OursSetup, args: string[]): Promise<{ usage: ProcessUsage; wallSeconds: number; summary: Record<string, unknown> | undefined }> {
  const started = performance.now();
  const install = spawnMeasured('install', [BIN, 'install', ...args, '--output', 'json'], childEnv(s), s.scratch);
  const usage = await install.done;
  const wallSeconds = (performance.now() - started) / 1000;
  if (usage.exitCode !== 0 && usage.exitCode !== 1) throw childDied(install, usage);
  return { usage, wallSeconds, summary: lastJsonLine(install.stdout()) };
}

/** serve + install, then serve is stopped (SIGTERM: it finishes the sends in flight and exits). */
export async function runOurs(s: OursSetup, installArgs: string[], options: { serve?: boolean } = {}): Promise<OursResult> {
  const serve = options.serve === false ? undefined : await startServe(s);
  try {
    const r = await runInstallCli(s, installArgs);
    const serveUsage = serve ? await serve.stop() : undefined;
    return { wallSeconds: r.wallSeconds, processes: [r.usage, ...(serveUsage ? [serveUsage] : [])], install: r.summary, exitCode: r.usage.exitCode };
  } finally {
    await serve?.stop(2000);
    s.tenant.setBotEndpoint(null);
  }
}

export interface ReportCheck {
  rows: number;
  byState: Record<string, number>;
  /** Targeted people with no final state in the tool's own report (missing, or still in progress). */
  unaccounted: number;
}

/**
 * The tool's own report held against the tenant's people: the rows `report --format json` prints,
 * read from its ledger with the same store code and paging (no extra process to start).
 */
export async function readReport(s: OursSetup, targeted: string[]): Promise<ReportCheck> {
  const store = await openStore(s.databaseUrl);
  const stateOf = new Map<string, string>();
  const byState: Record<string, number> = {};
  try {
    let after: { tenantId: string; aadObjectId: string } | undefined;
    for (;;) {
      const rows = await store.listUsers({ after, limit: 1000 });
      if (rows.length === 0) break;
      after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
      for (const r of rows.map(toReportRow)) {
        stateOf.set(r.aadObjectId.toLowerCase(), r.state);
        byState[r.state] = (byState[r.state] ?? 0) + 1;
      }
    }
  } finally {
    await store.close();
  }
  const unaccounted = targeted.filter((id) => !FINAL_STATES.has(stateOf.get(id.toLowerCase()) as State)).length;
  return { rows: stateOf.size, byState, unaccounted };
}

/** The client's rate settings for a tenant whose limits are the published ones times `factor`. */
export { scaledRateEnv };

/** Limits off on the tenant: the client's pacing set out of the way as well. */
export const UNPACED_RATE_ENV = scaledRateEnv(1_000_000);
