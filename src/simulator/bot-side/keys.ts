import { makeSigningKey } from '../jwt.js';
import type { SigningKey, SimContext } from '../context.js';

/**
 * The Bot Framework's signing keys for one simulated tenant.
 *
 * - `endorsed`: ctx.channelKey, published with `endorsements: ["msteams"]`; the channel signs with it.
 * - `unendorsed`: a second published key endorsed only for other channels. botbuilder refuses a
 *   msteams activity signed with it ("Could not validate endorsement for key", wire-facts B4 step 3).
 * - `forger`: never published; it signs with the endorsed key's `kid`, so the signature is wrong.
 * - `stranger`: never published, with a kid of its own (botbuilder: "Signing Key could not be retrieved.").
 */
export interface BotFrameworkKeys {
  endorsed: SigningKey;
  unendorsed: SigningKey;
  forger(): SigningKey;
  stranger(): SigningKey;
}

/** Channels the real Bot Framework endorses keys for; none of them is msteams. */
export const UNENDORSED_KEY_CHANNELS = ['webchat', 'directline'];

// Keyed by the context, so each tenant has its own keys and they go away with it; nothing is shared
// between tenants (the context has no field for these keys and belongs to the server composition).
const perContext = new WeakMap<SimContext, BotFrameworkKeys>();

export function botFrameworkKeys(ctx: SimContext): BotFrameworkKeys {
  let keys = perContext.get(ctx);
  if (!keys) {
    let forger: SigningKey | undefined;
    let stranger: SigningKey | undefined;
    keys = {
      endorsed: ctx.channelKey,
      unendorsed: ctx.unendorsedKey,
      forger: () => (forger ??= { ...makeSigningKey(), kid: ctx.channelKey.kid }),
      stranger: () => (stranger ??= makeSigningKey()),
    };
    perContext.set(ctx, keys);
  }
  return keys;
}
