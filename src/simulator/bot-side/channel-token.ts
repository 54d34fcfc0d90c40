import type { SimContext } from '../context.js';
import { signJwt } from '../jwt.js';
import { botFrameworkKeys } from './keys.js';
import { PUBLIC_SIM_CLOUD } from '../cloud.js';

/** The issuer of the public cloud channel's tokens to a bot (wire-facts B4, botbuilder's ToBotFromChannelTokenIssuer); a US Government tenant's is ctx.cloud.botFramework. */
export const BOT_FRAMEWORK_ISSUER = PUBLIC_SIM_CLOUD.botFramework;

/** Lifetime of a channel token. [INF] Not documented; the real ones seen live about an hour. */
export const CHANNEL_TOKEN_LIFETIME_S = 3600;

/**
 * A good token, or one broken in exactly one way, for the tests that prove the bot refuses it.
 * Each broken variant maps to one check of wire-facts B4.
 */
export type ChannelTokenVariant =
  | 'valid'
  /** Signed with another private key under the published kid: bad signature. */
  | 'forged'
  /** Signed with a key that is not in the JWKS at all. */
  | 'unknown-key'
  /** Expired an hour ago, well past botbuilder's five minutes of clock tolerance. */
  | 'expired'
  /** `aud` is another app id. */
  | 'wrong-audience'
  /** `serviceurl` differs from the activity's serviceUrl (one trailing slash is enough). */
  | 'wrong-serviceurl'
  /** Signed with the published key whose endorsements do not include msteams. */
  | 'unendorsed'
  /** `iss` is not https://api.botframework.com. */
  | 'wrong-issuer';

export interface ChannelTokenOptions {
  /** The activity's serviceUrl; the `serviceurl` claim must equal it byte for byte (B4 step 6). */
  serviceUrl: string;
  /** The bot's Microsoft app id. @default ctx.state.clientId */
  audience?: string;
  /** @default 'valid' */
  variant?: ChannelTokenVariant;
}

/**
 * Signs the JWT the Teams channel puts in `Authorization: Bearer …` when it posts to a bot:
 * `{iss, aud, serviceurl, nbf, exp, iat}` and nothing else. No `ver` and no `appid`: with them
 * botbuilder would route the token to skill validation and refuse it (wire-facts B4, "Routing traps").
 */
export async function signChannelToken(ctx: SimContext, options: ChannelTokenOptions): Promise<string> {
  const variant = options.variant ?? 'valid';
  const keys = botFrameworkKeys(ctx);
  const key =
    variant === 'forged' ? keys.forger() : variant === 'unknown-key' ? keys.stranger() : variant === 'unendorsed' ? keys.unendorsed : keys.endorsed;
  const claims = {
    iss: variant === 'wrong-issuer' ? 'https://api.botframework.example' : ctx.cloud.botFramework,
    aud: variant === 'wrong-audience' ? '00000000-0000-4000-8000-00000000dead' : (options.audience ?? ctx.state.clientId),
    serviceurl: variant === 'wrong-serviceurl' ? `${options.serviceUrl}x/` : options.serviceUrl,
  };
  const now = ctx.clock.now();
  const signedAt = variant === 'expired' ? now - 2 * CHANNEL_TOKEN_LIFETIME_S * 1000 : now;
  return signJwt(key, claims, CHANNEL_TOKEN_LIFETIME_S, signedAt);
}
