import { openStore } from '../store/open.js';
import { describeDatabase } from '../store/database-url.js';
import { SENDER_LEASE } from '../sender/welcome-worker.js';
import { configFor } from './env.js';
import { countsByState, countsByReason, stateTable } from './render.js';

export interface StatusCliOptions {
  watch?: boolean;
  rollout?: string;
  output: 'text' | 'json';
  intervalMs?: number;
}

/** `teams-rollout status`: counts by state (and reason) from the store; `--watch` redraws every 2 s. */
export async function runStatusCommand(o: StatusCliOptions): Promise<number> {
  const config = configFor([]);
  const store = await openStore(config.databaseUrl, { readOnly: true, mustExist: true });
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  try {
    for (;;) {
      const rollout = o.rollout ? await store.getRollout(o.rollout) : await store.latestRollout();
      const counts = await store.countByState({ rolloutId: o.rollout });
      const sender = (await store.leaseHolder(SENDER_LEASE, Date.now())) ?? null;
      const total = counts.reduce((n, c) => n + c.count, 0);
      if (o.output === 'json') {
        process.stdout.write(`${JSON.stringify({ total, counts: countsByState(counts), reasons: countsByReason(counts), latestRollout: rollout ? { id: rollout.id, targets: rollout.targets, startedAt: new Date(rollout.startedAt).toISOString(), finishedAt: rollout.finishedAt ? new Date(rollout.finishedAt).toISOString() : null } : null, sender })}\n`);
      } else {
        if (o.watch && process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
        const lines = [
          `${total} people${o.rollout ? ` in rollout ${o.rollout}` : ' in the ledger'} (${describeDatabase(config.databaseUrl, process.cwd())})`,
          ...stateTable(counts),
          rollout ? `Latest rollout: ${rollout.id} (${rollout.targets}), started ${new Date(rollout.startedAt).toISOString()}${rollout.finishedAt ? `, finished ${new Date(rollout.finishedAt).toISOString()}` : ', still running or interrupted'}` : 'No rollout yet: run teams-rollout install.',
          `Welcome sender: ${sender ?? 'none running'}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (!o.watch || stopped) return 0;
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 2000));
      if (stopped) return 0;
    }
  } finally {
    process.off('SIGINT', stop);
    await store.close();
  }
}
