import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { Refusal } from '../ledger/transitions.js';
import { sendWelcome, type SendResult, type SendWelcomeDeps } from './send-welcome.js';

export interface WelcomeWorkerOptions {
  /** Sends in flight at once (the pacing still holds the rate). @default 16 */
  concurrency: number;
  /** How often to look in the store for work when nothing woke us. @default 1000 */
  sweepMs: number;
  /** How long the sender lease lasts unless renewed. @default 15000 */
  leaseTtlMs: number;
  /** Whether a lease holder that died on this host may be replaced at once. */
  isHolderDead: (holder: string) => boolean;
  /** Told once when the sender stops for good on a refusal that holds for every send (a refused bot token). */
  onStopped?: ((refusal: Refusal) => void) | undefined;
}

export interface WelcomeWorkerDeps extends SendWelcomeDeps {
  store: Store;
  clock: Clock;
  log: Logger;
}

export const SENDER_LEASE = 'sender';

/**
 * Drains "reference ready, not yet welcomed" from the store. One process sends at a time (the
 * `sender` lease), so the bot's per-tenant rate holds across processes; rows are also claimed
 * atomically, so even two senders could never take the same person. It wakes at once when a
 * reference is stored in this process (`notify`), and sweeps the store every `sweepMs` for
 * references stored elsewhere (the installer, another serve, a crash).
 */
export class WelcomeWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake = new AbortController();
  /** Aborted on stop: sends still waiting for a slot or a backoff give their person back unsent. */
  private stopping = new AbortController();
  private readonly inFlight = new Set<Promise<SendResult | void>>();
  private holding = false;
  private renewedAt = 0;
  private stoppedWith: Refusal | undefined;
  readonly results: Record<SendResult, number> = { welcomed: 0, failed: 0, skipped: 0, unconfirmed: 0, 'lost-claim': 0, released: 0 };

  constructor(
    private readonly d: WelcomeWorkerDeps,
    private readonly o: WelcomeWorkerOptions,
  ) {}

  get isHoldingLease(): boolean {
    return this.holding;
  }

  /** Why this sender stopped for good (the bot's token was refused), or undefined while it may send. */
  get stoppedBy(): Refusal | undefined {
    return this.stoppedWith;
  }

  start(): void {
    if (this.running || this.stoppedWith) return;
    this.running = true;
    this.stopping = new AbortController();
    setMaxListeners(0, this.stopping.signal); // every send waiting for a slot listens to it
    this.loop = this.run().catch((e) => this.d.log.error('the welcome sender stopped on an error', { error: errorMessage(e) }));
  }

  /** A reference was stored in this process: look for work now. */
  notify(): void {
    this.wake.abort();
  }

  /** Stops claiming, lets the sends in flight finish and record, and gives the lease back. */
  async stop(): Promise<void> {
    if (!this.running) return void (await this.loop); // stopped on a refused token: that stop may still be finishing

    this.running = false;
    this.stopping.abort();
    this.notify();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    if (this.holding) await this.d.store.releaseLease(SENDER_LEASE, this.d.claimer).catch(() => undefined);
    this.holding = false;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const refused = this.d.tokenGate?.refusal;
      if (refused) return this.stopOn(refused);
      let claimed = 0;
      try {
        if (await this.holdLease()) claimed = await this.claimAndSend();
      } catch (e) {
        this.d.log.warn('the welcome sender could not read the store; trying again', { error: errorMessage(e) });
      }
      if (!this.running) break;
      const free = this.o.concurrency - this.inFlight.size;
      if (claimed > 0 && free > 0) continue; // more may be waiting
      if (this.wake.signal.aborted) this.wake = new AbortController();
      const waits: Promise<unknown>[] = [this.d.clock.sleep(this.o.sweepMs, this.wake.signal).catch(() => undefined)];
      if (free <= 0 && this.inFlight.size) waits.push(Promise.race(this.inFlight));
      await Promise.race(waits);
    }
  }

  /**
   * The bot's token was refused: every other send would be refused too, so no more is claimed. The sends in
   * flight finish (those that shared the refused token request fail `bot_unauthorized`, the rest go back
   * unsent), and the lease is given back, so another sender that has a token (a fixed serve) can take over.
   */
  private async stopOn(refusal: Refusal): Promise<void> {
    this.stoppedWith = refusal;
    this.running = false;
    await Promise.allSettled([...this.inFlight]);
    if (this.holding) await this.d.store.releaseLease(SENDER_LEASE, this.d.claimer).catch(() => undefined);
    this.holding = false;
    if (this.o.onStopped) this.o.onStopped(refusal);
    else this.d.log.error('the welcome sender stopped: the bot\'s token was refused', { reason: refusal.reason, serviceCode: refusal.serviceCode, detail: refusal.detail });
  }

  private async holdLease(): Promise<boolean> {
    const now = this.d.clock.now();
    if (this.holding && now - this.renewedAt < this.o.leaseTtlMs / 3) return true;
    let got = await this.d.store.acquireLease(SENDER_LEASE, this.d.claimer, this.o.leaseTtlMs, now);
    if (!got) {
      const holder = await this.d.store.leaseHolder(SENDER_LEASE, now);
      if (holder && this.o.isHolderDead(holder)) {
        await this.d.store.releaseLease(SENDER_LEASE, holder);
        got = await this.d.store.acquireLease(SENDER_LEASE, this.d.claimer, this.o.leaseTtlMs, now);
      }
    }
    if (got && !this.holding) {
      // Taking over: welcomes another sender left claimed. Those it had begun to send can no longer be
      // confirmed (reported, not resent); those it never sent go again.
      const r = await this.d.store.recoverOrphanedWelcomes(this.d.claimer, now);
      if (r.unconfirmed) this.d.log.warn(`${r.unconfirmed} welcome(s) were being sent when the previous sender stopped; they are reported as unconfirmed, not resent`);
      if (r.released) this.d.log.info(`${r.released} welcome(s) claimed but never sent by the previous sender go again`);
    }
    this.holding = got;
    if (got) this.renewedAt = now;
    return got;
  }

  private async claimAndSend(): Promise<number> {
    const free = this.o.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const rows = await this.d.store.claimWelcomes(this.d.claimer, free, this.d.clock.now());
    for (const row of rows) {
      const p: Promise<SendResult | void> = sendWelcome(this.d, row, this.stopping.signal)
        .then((r) => {
          this.results[r]++;
          return r;
        })
        .catch((e) => this.d.log.error('a welcome failed unexpectedly', { user: row.aadObjectId, error: errorMessage(e) }))
        .finally(() => {
          this.inFlight.delete(p);
          this.notify();
        });
      this.inFlight.add(p);
    }
    return rows.length;
  }
}
