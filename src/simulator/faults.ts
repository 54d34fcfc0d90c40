import { createRng, type Rng } from './rng.js';

/**
 * Fault injection by rate (PRODUCT.md §7), deterministic for a seed.
 *
 * SPEC: comma-separated `name=rate`, the rate as a fraction (0.05) or a percentage (5%), optionally
 * scoped to one service with `graph.` or `bot.`:
 *   429, 503, 502, 504, 412, 429-no-retry-after (bot), reset (drop the connection), slow
 *   (answer after `slow-ms`, default 1500), lost-events, duplicate-events, entitlement-400 (Graph installs:
 *   the person's first install POST answers 400 "Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync",
 *   the next one goes through; microsoftgraph/microsoft-graph-docs#20972), conversation-update-only (the
 *   channel posts an install's conversationUpdate alone, no installationUpdate)
 * e.g. `429=5%,503=1%,502=1%,lost-events=2%,duplicate-events=2%` or `bot.429=10%,graph.reset=1%`.
 */
export type Scope = 'graph' | 'bot';
export type Fault =
  | { kind: 'status'; status: number; retryAfter: boolean }
  | { kind: 'reset' }
  | { kind: 'slow'; ms: number };

const STATUS_FAULTS = ['429', '503', '502', '504', '412', '429-no-retry-after'] as const;
const OTHER = ['reset', 'slow', 'lost-events', 'duplicate-events', 'conversation-update-only', 'entitlement-400'] as const;
type Name = (typeof STATUS_FAULTS)[number] | (typeof OTHER)[number];

export interface FaultRates {
  graph: Partial<Record<Name, number>>;
  bot: Partial<Record<Name, number>>;
  events: { lost: number; duplicate: number; conversationUpdateOnly?: number };
  /** Share of people whose first Graph install meets the transient entitlement 400. */
  entitlement400: number;
  slowMs: number;
}

export function parseFaults(spec: string | undefined): FaultRates {
  const rates: FaultRates = { graph: {}, bot: {}, events: { lost: 0, duplicate: 0 }, entitlement400: 0, slowMs: 1500 };
  if (!spec || spec.trim() === '' || spec.trim() === 'none') return rates;
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:(graph|bot)\.)?([a-z0-9-]+)=(\d+(?:\.\d+)?)(%?)$/.exec(raw);
    if (!m) throw new Error(`--faults: cannot read "${raw}". Use name=rate, e.g. 429=5% or graph.503=0.01`);
    const [, scope, name, num, pct] = m;
    const value = Number(num) / (pct ? 100 : 1);
    if (name === 'slow-ms') {
      rates.slowMs = Number(num);
      continue;
    }
    if (!([...STATUS_FAULTS, ...OTHER] as readonly string[]).includes(name!)) {
      throw new Error(`--faults: unknown fault "${name}". Known: ${[...STATUS_FAULTS, ...OTHER, 'slow-ms'].join(', ')}`);
    }
    if (value < 0 || value > 1) throw new Error(`--faults: the rate of "${raw}" must be between 0 and 1 (or 0% and 100%)`);
    if (name === 'lost-events') rates.events.lost = value;
    else if (name === 'duplicate-events') rates.events.duplicate = value;
    else if (name === 'conversation-update-only') rates.events.conversationUpdateOnly = value;
    else if (name === 'entitlement-400') {
      if (scope === 'bot') throw new Error(`--faults: "${raw}": entitlement-400 is a Graph install fault; write entitlement-400=RATE or graph.entitlement-400=RATE`);
      rates.entitlement400 = value;
    }
    else for (const s of scope ? [scope as Scope] : (['graph', 'bot'] as Scope[])) rates[s][name as Name] = value;
  }
  return rates;
}

export class FaultInjector {
  private readonly rng: Rng;
  /** People already drawn for the entitlement fault (met it, or not): each is drawn once, so a retry passes. */
  private readonly entitlementDrawn = new Set<string>();
  constructor(
    readonly rates: FaultRates,
    seed: string | number,
  ) {
    this.rng = createRng(`${seed}:faults`);
  }

  /** At most one fault per request, drawn in a fixed order so that a seed replays the same story. */
  draw(scope: Scope): Fault | null {
    const r = this.rates[scope];
    for (const name of STATUS_FAULTS) {
      const rate = r[name];
      if (rate && this.rng.next() < rate) {
        return { kind: 'status', status: Number(name.slice(0, 3)), retryAfter: name !== '429-no-retry-after' };
      }
    }
    if (r.reset && this.rng.next() < r.reset) return { kind: 'reset' };
    if (r.slow && this.rng.next() < r.slow) return { kind: 'slow', ms: this.rates.slowMs };
    return null;
  }

  loseEvent(): boolean {
    return this.rates.events.lost > 0 && this.rng.next() < this.rates.events.lost;
  }

  /** This install is announced by its conversationUpdate alone (no installationUpdate). */
  conversationUpdateOnly(): boolean {
    const rate = this.rates.events.conversationUpdateOnly ?? 0;
    return rate > 0 && this.rng.next() < rate;
  }

  duplicateEvent(): boolean {
    return this.rates.events.duplicate > 0 && this.rng.next() < this.rates.events.duplicate;
  }

  /**
   * Whether this install POST meets the transient entitlement 400: drawn once per person, at their first
   * install, so that the retry (and every later install of theirs) goes through, as graph-docs#20972 reports.
   */
  entitlementFault(userId: string): boolean {
    if (this.rates.entitlement400 <= 0 || this.entitlementDrawn.has(userId)) return false;
    this.entitlementDrawn.add(userId);
    return this.rng.next() < this.rates.entitlement400;
  }

  get active(): boolean {
    const any = (o: Partial<Record<string, number>>) => Object.values(o).some((v) => (v ?? 0) > 0);
    return any(this.rates.graph) || any(this.rates.bot) || this.rates.events.lost > 0 || this.rates.events.duplicate > 0 || (this.rates.events.conversationUpdateOnly ?? 0) > 0 || this.rates.entitlement400 > 0;
  }
}
