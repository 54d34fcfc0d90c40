import type { Refusal } from '../ledger/transitions.js';
import type { WelcomeWorker } from './welcome-worker.js';

/** Something that makes sure welcomes get sent: our own sender, or another process's (serve). */
export interface WelcomeDriver {
  /** Called every tick: starts our sender if no other process holds the sender lease. */
  ensure(): Promise<void>;
  stop(): Promise<void>;
  /** Why the sender stopped for good (the bot's token was refused): nobody more will be welcomed by it. */
  stoppedBy?(): Refusal | undefined;
}

/**
 * What `install` uses to get welcomes sent: our own worker, which sends only while it holds the
 * sender lease. When `serve` is running it holds the lease and sends; our worker waits, and takes
 * over if serve stops.
 */
export function welcomeDriverFor(worker: WelcomeWorker): WelcomeDriver {
  return {
    async ensure() {
      worker.start();
    },
    stop: () => worker.stop(),
    stoppedBy: () => worker.stoppedBy,
  };
}
