import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { BotAuthSettings } from './auth-settings.js';
import { createCredentialsFactory } from './credentials-factory.js';

export interface BotTokenSource {
  /** The authority the token comes from (ToChannelFromBotLoginUrl, tenant included). */
  loginUrl: string;
  /** A fresh outbound Bot Framework token (botbuilder's own credentials, the cache skipped), or throws. */
  getToken(): Promise<string>;
}

/**
 * The bot's outbound token, got the way botbuilder gets it for a send (wire-facts B3): the same
 * credentials factory the CloudAdapter uses (credentials-factory.ts for a private authority,
 * botbuilder's ConfigurationServiceClientCredentialFactory otherwise), the same login URL and scope.
 */
export function botTokenSource(b: BotAuthSettings): BotTokenSource {
  // Made at the first call: a login URL MSAL refuses is then that call's failure, not the caller's.
  const factory = () =>
    createCredentialsFactory(b) ??
    new ConfigurationServiceClientCredentialFactory({ MicrosoftAppId: b.appId, MicrosoftAppPassword: b.appPassword, MicrosoftAppType: b.appType, MicrosoftAppTenantId: b.appTenantId });
  // Multi-tenant bots get their token from the botframework.com tenant, single-tenant ones from their own (B3).
  const loginUrl = b.loginUrl ?? `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${b.appType === 'MultiTenant' ? 'botframework.com' : b.appTenantId}`;
  return {
    loginUrl,
    async getToken() {
      const creds = (await factory().createCredentials(b.appId!, b.oauthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope, loginUrl, true)) as { getToken?: (force?: boolean) => Promise<string> };
      if (!creds.getToken) throw new Error('the credentials factory gave no token source');
      return creds.getToken(true);
    },
  };
}
