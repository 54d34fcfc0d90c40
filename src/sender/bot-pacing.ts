import type { Clock } from '../clock.js';
import { TokenBucket } from '../pace/token-bucket.js';

/**
 * The bot's limits (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit):
 * 50 requests per second per app per tenant, and 7 per second to any one conversation. One bucket
 * per tenant, one per conversation (dropped after a quiet spell so the map does not grow with the
 * number of people).
 */
export class BotPacing {
  private readonly tenants = new Map<string, TokenBucket>();
  private readonly conversations = new Map<string, { bucket: TokenBucket; lastUsed: number }>();

  constructor(
    private readonly limits: { botRps: number; botPerConversationRps: number },
    private readonly clock: Clock,
  ) {}

  tenant(tenantId: string): TokenBucket {
    let b = this.tenants.get(tenantId);
    if (!b) this.tenants.set(tenantId, (b = new TokenBucket({ ratePerSecond: this.limits.botRps, burst: 1 }, this.clock)));
    return b;
  }

  async take(tenantId: string, conversationId: string, signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    let c = this.conversations.get(conversationId);
    if (!c) {
      if (this.conversations.size > 10_000) this.prune(now);
      this.conversations.set(conversationId, (c = { bucket: new TokenBucket({ ratePerSecond: this.limits.botPerConversationRps, burst: 1 }, this.clock), lastUsed: now }));
    }
    c.lastUsed = now;
    await c.bucket.take(signal);
    await this.tenant(tenantId).take(signal);
  }

  /** A 429's Retry-After holds every send of the tenant (PRODUCT.md §5). */
  pause(tenantId: string, untilMs: number): void {
    this.tenant(tenantId).pauseUntil(untilMs);
  }

  private prune(now: number): void {
    for (const [id, c] of this.conversations) if (now - c.lastUsed > 60_000) this.conversations.delete(id);
  }
}
