import type { Clock } from '../clock.js';

/**
 * Pacing by the "virtual scheduling" form of a token bucket (GCRA): each caller reserves the next
 * free slot, so concurrent callers queue in order without a timer per token. `burst` slots may be
 * taken at once; then one slot per 1/rate seconds. A 429's Retry-After pauses the whole class
 * (PRODUCT.md §5): `pauseUntil` moves the schedule past the pause.
 */
export interface BucketState {
  /** Theoretical arrival time of the next request (ms). */
  tat: number;
  /** No slot before this time (ms). */
  pausedUntil: number;
}

export interface BucketShape {
  /** Requests per second; Infinity means unpaced. */
  ratePerSecond: number;
  /** Requests that may go at once after an idle spell. @default 1 */
  burst: number;
}

/** Pure: reserve one slot at `now`; returns the new state and how long the caller must wait. */
export function reserve(state: BucketState, now: number, shape: BucketShape): { state: BucketState; waitMs: number } {
  if (!Number.isFinite(shape.ratePerSecond)) {
    return { state, waitMs: Math.max(0, state.pausedUntil - now) };
  }
  const interval = 1000 / shape.ratePerSecond;
  const tolerance = (Math.max(1, shape.burst) - 1) * interval;
  const start = Math.max(now, state.pausedUntil);
  const slot = Math.max(start, state.tat - tolerance);
  return { state: { ...state, tat: Math.max(state.tat, slot) + interval }, waitMs: slot - now };
}

export class TokenBucket {
  private state: BucketState = { tat: 0, pausedUntil: 0 };
  private taken = 0;

  constructor(
    private readonly shape: BucketShape,
    private readonly clock: Clock,
  ) {}

  /** Waits for a slot (and for any pause to end). */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const { state, waitMs } = reserve(this.state, now, this.shape);
      this.state = state;
      if (waitMs > 0) await this.clock.sleep(waitMs, signal);
      // A pause that began while we waited voids our slot: queue again behind it.
      if (this.state.pausedUntil > this.clock.now()) continue;
      this.taken++;
      return;
    }
  }

  /** Nobody in this class goes before `untilMs` (from a Retry-After). */
  pauseUntil(untilMs: number): void {
    if (untilMs <= this.state.pausedUntil) return;
    this.state = { pausedUntil: untilMs, tat: untilMs };
  }

  get pausedUntil(): number {
    return this.state.pausedUntil;
  }

  get count(): number {
    return this.taken;
  }

  get ratePerSecond(): number {
    return this.shape.ratePerSecond;
  }
}
