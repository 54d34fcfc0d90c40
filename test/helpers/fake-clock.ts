import type { Clock } from '../../src/clock.js';

/** A clock that moves only when told to; sleepers wake in time order as it advances. */
export class FakeClock implements Clock {
  private t: number;
  private sleepers: { until: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  readonly slept: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.slept.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const entry = { until: this.t + ms, resolve, reject };
      this.sleepers.push(entry);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
        reject(signal.reason);
      });
    });
  }

  /** Moves time forward by `ms`, waking sleepers (and letting their continuations run) in order. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.until - b.until);
      const next = this.sleepers[0];
      if (!next || next.until > target) break;
      this.sleepers.shift();
      this.t = next.until;
      next.resolve();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.t = target;
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }

  get waiting(): number {
    return this.sleepers.length;
  }
}
