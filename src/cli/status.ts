import { openStore } from '../store/open.js';
import { describeDatabase } from '../store/database-url.js';
import { SENDER_LEASE } from '../sender/welcome-worker.js';
import { installerLease } from '../installer/run.js';
import { UsageError } from '../errors.js';
import { configFor } from './env.js';
import { renderRollouts, renderStatus } from './render.js';

export interface StatusCliOptions {
  watch?: boolean;
  rollout?: string;
  output: 'text' | 'json';
  intervalMs?: number;
  /** Every rollout with its targets, times, outcome and counts. */
  all?: boolean;
}

/** `teams-rollout status`: counts by state (and reason) from the store; `--watch` redraws every 2 s. */
export async function runStatusCommand(o: StatusCliOptions): Promise<number> {
  const config = configFor([]);
  const store = await openStore(config.databaseUrl, { mustExist: true });
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  const ledger = describeDatabase(config.databaseUrl, process.cwd());
  try {
    // As report does: an id that names no rollout is a mistake to point out, not an empty rollout.
    if (o.rollout && !(await store.getRollout(o.rollout))) throw new UsageError(`--rollout ${o.rollout}: no such rollout in ${ledger} (teams-rollout status lists the latest).`);
    if (o.all) {
      const rollouts = await store.listRollouts();
      const latest = rollouts.at(-1);
      const items = [];
      for (const rollout of rollouts) {
        // Only the latest can still be running: an earlier one unfinished was interrupted.
        const installRunning = rollout === latest && rollout.finishedAt === null && !!(await store.leaseHolder(installerLease(rollout.tenantId), Date.now()));
        items.push({ rollout, installRunning, counts: await store.countByState({ rolloutId: rollout.id }) });
      }
      process.stdout.write(`${renderRollouts(items, ledger, o.output)}\n`);
      return 0;
    }
    for (;;) {
      const rollout = o.rollout ? await store.getRollout(o.rollout) : await store.latestRollout();
      const counts = await store.countByState({ rolloutId: o.rollout });
      const sender = (await store.leaseHolder(SENDER_LEASE, Date.now())) ?? null;
      const installRunning = !!rollout && rollout.finishedAt === null && !!(await store.leaseHolder(installerLease(rollout.tenantId), Date.now()));
      if (o.output === 'text' && o.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
      process.stdout.write(`${renderStatus({ counts, rollout, rolloutFilter: o.rollout, sender, installRunning, ledger }, o.output)}\n`);
      if (!o.watch || stopped) return 0;
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 2000));
      if (stopped) return 0;
    }
  } finally {
    process.off('SIGINT', stop);
    await store.close();
  }
}
