import type { GraphAttempt } from './paced-retry-middleware.js';
import type { GraphClass } from './request-class.js';

/** Counts of every Graph attempt by class and status, for progress, the summary and the benchmarks. */
export interface GraphStats {
  onAttempt(a: GraphAttempt): void;
  readonly attempts: Record<GraphClass, Record<string, number>>;
  readonly throttled: number;
  readonly retries: number;
  /** Retries of a status that is final in general (the install's transient entitlement 400), counted apart. */
  readonly transientRetries: number;
  total(cls?: GraphClass): number;
}

export function createGraphStats(): GraphStats {
  const attempts = {} as Record<GraphClass, Record<string, number>>;
  let throttled = 0;
  let retries = 0;
  let transientRetries = 0;
  return {
    attempts,
    get throttled() {
      return throttled;
    },
    get retries() {
      return retries;
    },
    get transientRetries() {
      return transientRetries;
    },
    onAttempt(a) {
      const byStatus = (attempts[a.cls] ??= {});
      const key = a.status === null ? `network:${a.networkCode ?? 'error'}` : String(a.status);
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      if (a.status === 429) throttled++;
      if (a.willRetry) retries++;
      if (a.willRetry && a.transient) transientRetries++;
    },
    total(cls) {
      const classes = cls ? [cls] : (Object.keys(attempts) as GraphClass[]);
      return classes.reduce((n, c) => n + Object.values(attempts[c] ?? {}).reduce((a, b) => a + b, 0), 0);
    },
  };
}
