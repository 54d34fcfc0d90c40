/**
 * One line of the results: one scenario, one strategy. Everything a table or the summary shows is
 * here, and the raw JSON keeps all of it.
 */
import type { TenantFigures } from './figures.js';
import type { ProcessUsage } from './measure.js';

export type Strategy = 'ours' | 'guide' | 'cc';
export const STRATEGIES: Strategy[] = ['ours', 'guide', 'cc'];
export const STRATEGY_LABEL: Record<Strategy, string> = { ours: 'teams-rollout', guide: "guide's approach", cc: 'Company Communicator' };

export interface Row {
  /** '1', '2', '3', '4', '5', '6', '7'. */
  scenario: string;
  title: string;
  strategy: Strategy;
  /** People in the tenant (after the new hires, for a re-run). */
  tenantUsers: number;
  limits: string;
  faults: string | null;
  wallSeconds: number;
  figures: TenantFigures;
  /** Install calls per second as the tenant saw them (first to last POST /installedApps). */
  tenantInstallRate: number | null;
  /** Targeted people with no final state in the tool's own report; null = the tool keeps no report. */
  unaccounted: number | null;
  unaccountedNote?: string;
  processes: ProcessUsage[];
  /** The tool's own account (our `install --output json`, a baseline's last line). */
  own: Record<string, unknown> | undefined;
  notes: string[];
  error?: string;
  /** Not run on purpose, and why. */
  skipped?: string;
}

export const cpuSeconds = (r: Pick<Row, 'processes'>) => r.processes.reduce((n, p) => n + (Number.isFinite(p.cpuSeconds) ? p.cpuSeconds : 0), 0);
export const floorRatio = (r: Row) => (r.figures.floorSeconds > 0 ? r.wallSeconds / r.figures.floorSeconds : null);
export const throttledShare = (r: Row) => (r.figures.requests > 0 ? r.figures.throttled / r.figures.requests : 0);

type RowBase = Pick<Row, 'scenario' | 'title' | 'strategy' | 'limits' | 'faults'>;

/** A row for a run left out on purpose, with the reason. */
export function skippedRow(base: RowBase, tenantUsers: number, reason: string): Row {
  return { ...failedRow(base, ''), tenantUsers, error: undefined, skipped: reason };
}

/** A row for a run that failed: the error is reported, the rest of the bench goes on. */
export function failedRow(base: RowBase, error: unknown): Row {
  return {
    ...base,
    tenantUsers: 0,
    wallSeconds: NaN,
    figures: emptyFigures(),
    tenantInstallRate: null,
    unaccounted: null,
    processes: [],
    own: undefined,
    notes: [],
    error: (error as Error)?.message?.split('\n').slice(0, 6).join(' | ') ?? String(error),
  };
}

function emptyFigures(): TenantFigures {
  return {
    cohort: 0,
    installsNeeded: 0,
    welcomable: 0,
    floorSeconds: 0,
    requests: 0,
    throttled: 0,
    throttledGraph: 0,
    throttledBot: 0,
    installCalls: 0,
    installsCreated: 0,
    welcomed: 0,
    duplicated: 0,
    extraMessages: 0,
    missed: 0,
    wrongRecipients: 0,
    messagesInRun: 0,
    latency: { samples: 0, p50Ms: null, p95Ms: null, maxMs: null },
    welcomeSpanSeconds: 0,
    welcomesPerSecond: null,
  };
}
