import type { WelcomeDriver } from '../installer/settle.js';
import type { WelcomeWorker } from './welcome-worker.js';

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
