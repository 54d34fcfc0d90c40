import { UsageError } from '../errors.js';
import { createCoreDeps, createGraphDeps } from '../deps.js';
import { emptyUninstallTally, fileRows, rolloutRows, uninstallPass } from '../installer/uninstall-pass.js';
import { readUsersFile, validateUsersFile } from '../installer/users-file.js';
import { describeDatabase } from '../store/database-url.js';
import { configFor } from './env.js';
import { renderUninstall, type UninstallReport } from './render-uninstall.js';
import type { OutputFormat } from './render.js';

export interface UninstallCliOptions {
  rollout?: string;
  users?: string;
  dryRun?: boolean;
  concurrency: string;
  output: OutputFormat;
  verbose?: boolean;
}

/** Checks the flags before anything is read or changed; every problem at once. */
export function validateUninstallFlags(o: UninstallCliOptions): string[] {
  const problems: string[] = [];
  if (!o.rollout && !o.users) problems.push('choose whom to uninstall: --rollout ID (the people of that rollout; `teams-rollout status` names it) or --users FILE');
  if (o.rollout && o.users) problems.push('give --rollout or --users, not both');
  if (!/^\d+$/.test(o.concurrency) || Number(o.concurrency) < 1) problems.push(`--concurrency must be a whole number of at least 1 (got "${o.concurrency}")`);
  return problems;
}

/** `teams-rollout uninstall`: undo a pilot (issue 11). Exit codes as install: 0 all done, 1 someone refused, 2 usage, 130 interrupted. */
export async function runUninstallCommand(o: UninstallCliOptions): Promise<number> {
  const problems = validateUninstallFlags(o);
  if (problems.length) throw new UsageError(problems.join('\n'));
  if (o.users) await validateUsersFile(o.users, '--users');
  const config = configFor(['graph', 'app']);
  const core = await createCoreDeps(config, { verbose: o.verbose, readOnly: !!o.dryRun });
  try {
    const g = await createGraphDeps(core);
    if (o.rollout) {
      const rollout = await core.store.getRollout(o.rollout);
      if (!rollout || rollout.tenantId !== g.tenantId) throw new UsageError(`--rollout ${o.rollout}: no such rollout in this ledger for tenant ${g.tenantId}. \`teams-rollout status\` names the latest; nothing was changed.`);
    }
    const tally = emptyUninstallTally(core.clock.now());
    const rows = o.rollout ? rolloutRows(core.store, g.tenantId, o.rollout) : fileRows(core.store, g.tenantId, readUsersFile(o.users!, '--users'), tally.notInLedger);
    const abort = new AbortController();
    const onSignal = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await uninstallPass({ graph: g.graph, store: core.store, clock: core.clock, tenantId: g.tenantId, manifestId: config.teamsAppId! }, rows, { dryRun: !!o.dryRun, concurrency: Number(o.concurrency), signal: abort.signal }, tally);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const report: UninstallReport = {
      dryRun: !!o.dryRun,
      targets: o.rollout ? `rollout ${o.rollout}` : `--users ${o.users}`,
      tally,
      interrupted: abort.signal.aborted,
      graph: { requests: g.graphStats.total(), throttled: g.graphStats.throttled, retries: g.graphStats.retries },
    };
    process.stdout.write(`${renderUninstall(report, o.output, config.limits.graphGetRps / 2, describeDatabase(config.databaseUrl, process.cwd()))}\n`);
    if (report.interrupted) return 130;
    return tally.refused.length > 0 ? 1 : 0;
  } finally {
    await core.store.close();
  }
}
