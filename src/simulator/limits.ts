/**
 * The published rate limits, enforced the way the services do: past them the answer is 429 with a
 * Retry-After (PRODUCT.md §7).
 *
 * - Graph, Microsoft Teams service limits, per app per tenant: GET installedApps/appCatalogs 30 rps,
 *   POST installedApps 30 rps, DELETE 15 rps ("Teams request type" table,
 *   https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits).
 * - Graph identity (users, groups, delta): a budget of resource units per 10 s per app per tenant
 *   (8,000 for a large tenant; a GET costs about 1–5). We model it as requests per second.
 * - Bots: 50 requests per second per app per tenant, and per conversation 7 per 1 s, 8 per 2 s,
 *   60 per 30 s, 1,800 per hour (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 *
 * Graph "keeps counting usage while a client is throttled": a request refused with 429 still
 * spends a token here (down to one second's worth of debt), so a client that ignores Retry-After
 * digs itself deeper, as with the real service.
 */
export interface Limits {
  /** GET installedApps, chat, appCatalogs (rps). */
  graphGet: number;
  /** POST installedApps (rps). */
  graphPost: number;
  /** DELETE installedApps (rps). */
  graphDelete: number;
  /** /users, /users/delta, /groups/…/transitiveMembers (rps). */
  graphDirectory: number;
  /** Every Bot Connector call of the app in the tenant (rps). */
  bot: number;
  /** Sends to one conversation per second; the longer windows scale with it. */
  botPerConversation: number;
}

export const PUBLISHED_LIMITS: Limits = { graphGet: 30, graphPost: 30, graphDelete: 15, graphDirectory: 800, bot: 50, botPerConversation: 7 };
export const NO_LIMITS: Limits = { graphGet: Infinity, graphPost: Infinity, graphDelete: Infinity, graphDirectory: Infinity, bot: Infinity, botPerConversation: Infinity };

const KEYS: Record<string, keyof Limits> = {
  'graph-get': 'graphGet',
  'graph-post': 'graphPost',
  'graph-delete': 'graphDelete',
  'graph-directory': 'graphDirectory',
  bot: 'bot',
  'bot-conversation': 'botPerConversation',
};

/**
 * SPEC: `published` (default), `off`, `x100` (every published limit times 100), or a list such as
 * `graph-post=60,bot=100` over the published values; items combine: `x10,bot=20`.
 */
export function parseLimits(spec: string | undefined): Limits {
  const limits = { ...PUBLISHED_LIMITS };
  if (!spec || spec.trim() === '' || spec.trim() === 'published') return limits;
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'off' || raw === 'none') {
      Object.assign(limits, NO_LIMITS);
      continue;
    }
    const scale = /^x(\d+(\.\d+)?)$/.exec(raw);
    if (scale) {
      for (const k of Object.keys(limits) as (keyof Limits)[]) limits[k] *= Number(scale[1]);
      continue;
    }
    const m = /^([a-z-]+)=(\d+(\.\d+)?|off)$/.exec(raw);
    const key = m ? KEYS[m[1]!] : undefined;
    if (!m || !key) {
      throw new Error(`--limits: cannot read "${raw}". Use published, off, xN, or name=rps with a name among ${Object.keys(KEYS).join(', ')}`);
    }
    limits[key] = m[2] === 'off' ? Infinity : Number(m[2]);
  }
  return limits;
}

/** A server-side token bucket: `capacity` tokens (one second's worth), refilled at `rate` per second. */
export class ServerBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly rate: number,
    now: number,
    private readonly capacity = Math.max(1, rate),
  ) {
    this.tokens = this.capacity;
    this.last = now;
  }

  /** Takes a token, or says how long until one is free (ms) and charges the refused request. */
  take(now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (!Number.isFinite(this.rate)) return { ok: true };
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    this.tokens = Math.max(-this.capacity, this.tokens - 1);
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.tokens) / this.rate) * 1000) };
  }
}

/** Teams' per-conversation windows for sends: 7/1 s, 8/2 s, 60/30 s, 1800/3600 s, scaled by `perSecond / 7`. */
export class ConversationWindows {
  private readonly sent = new Map<string, number[]>();
  private readonly windows: [number, number][];
  constructor(perSecond: number) {
    const f = perSecond / 7;
    this.windows = [
      [1000, 7 * f],
      [2000, 8 * f],
      [30_000, 60 * f],
      [3_600_000, 1800 * f],
    ];
  }

  take(conversationId: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (!Number.isFinite(this.windows[0]![1])) return { ok: true };
    const times = (this.sent.get(conversationId) ?? []).filter((t) => now - t < 3_600_000);
    for (const [span, max] of this.windows) {
      const inWindow = times.filter((t) => now - t < span);
      if (inWindow.length >= max) {
        this.sent.set(conversationId, times);
        return { ok: false, retryAfterMs: Math.max(1, span - (now - inWindow[inWindow.length - Math.floor(max)]!)) };
      }
    }
    times.push(now);
    this.sent.set(conversationId, times);
    return { ok: true };
  }
}
