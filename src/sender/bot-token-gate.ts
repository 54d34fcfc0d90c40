import type { Refusal } from '../ledger/transitions.js';

/** A send that was not made because the bot's token is already known to be refused. */
export class BotTokenRefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(`not sent: the bot's token was refused earlier (${refusal.detail ?? refusal.reason})`);
    this.name = 'BotTokenRefusedError';
  }
}

/**
 * Every welcome goes through this before its send (issue 11 major 2). botbuilder asks Entra ID for a
 * token at each send whose cached token has expired, and concurrent sends each ask on their own
 * (AppCredentials.getToken has no single flight): with a refused secret that was one refused request
 * per send, retried per person. Here concurrent sends share one request, the token lands in
 * botbuilder's cache for the send itself, and once a token is refused (`refuse`, from the send's
 * verdict) no further request is made: the sender stops.
 */
export class BotTokenGate {
  private pending: Promise<unknown> | undefined;
  private refusedWith: Refusal | undefined;

  constructor(private readonly getToken: () => Promise<unknown>) {}

  /** The refusal that stopped the bot's sends, if one did. */
  get refusal(): Refusal | undefined {
    return this.refusedWith;
  }

  /** Records the first refusal; later ones change nothing. */
  refuse(refusal: Refusal): void {
    this.refusedWith ??= refusal;
  }

  /** Resolves once the bot has a token (from the cache or one shared request); throws the request's error, or BotTokenRefusedError. */
  async check(): Promise<void> {
    if (this.refusedWith) throw new BotTokenRefusedError(this.refusedWith);
    this.pending ??= this.getToken().finally(() => (this.pending = undefined));
    await this.pending;
  }
}
