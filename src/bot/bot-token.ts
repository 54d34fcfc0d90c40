import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { BotAuthSettings } from '../config.js';
import { createCredentialsFactory, outboundLoginUrl, type OutboundNetwork } from './credentials-factory.js';

export interface BotTokenSource {
  /** The authority the token comes from (ToChannelFromBotLoginUrl, tenant included). */
  loginUrl: string;
  /**
   * An outbound Bot Framework token from botbuilder's own credentials, or throws. `fresh` skips the cache
   * (doctor); otherwise botbuilder's process-wide token cache answers while its token is valid, and a
   * token fetched here is the one the next send uses.
   */
  getToken(options?: { fresh?: boolean }): Promise<string>;
}

type TokenCredentials = { getToken?: (force?: boolean) => Promise<string> };

/**
 * The bot's outbound token, got the way botbuilder gets it for a send (wire-facts B3): the same
 * credentials factory the CloudAdapter uses (credentials-factory.ts for a private authority,
 * botbuilder's ConfigurationServiceClientCredentialFactory otherwise), the same login URL and scope —
 * so the same key in botbuilder's token cache (AppCredentials.cache: app id + scope).
 */
export function botTokenSource(b: BotAuthSettings, network?: OutboundNetwork): BotTokenSource {
  // Made at the first call: a login URL MSAL refuses is then that call's failure, not the caller's.
  const factory = () =>
    createCredentialsFactory(b, network) ??
    new ConfigurationServiceClientCredentialFactory({ MicrosoftAppId: b.appId, MicrosoftAppPassword: b.appPassword, MicrosoftAppType: b.appType, MicrosoftAppTenantId: b.appTenantId });
  const loginUrl = outboundLoginUrl(b);
  let credentials: Promise<TokenCredentials> | undefined;
  return {
    loginUrl,
    async getToken(options = {}) {
      credentials ??= Promise.resolve()
        .then(() => factory().createCredentials(b.appId!, b.oauthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope, loginUrl, true) as Promise<TokenCredentials>)
        .catch((e: unknown) => {
          credentials = undefined;
          throw e;
        });
      const creds = await credentials;
      if (!creds.getToken) throw new Error('the credentials factory gave no token source');
      return creds.getToken(!!options.fresh);
    },
  };
}
