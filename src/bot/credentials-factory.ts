import { createRequire } from 'node:module';
import type { Configuration } from '@azure/msal-node';
import { AuthenticationConstants, GovernmentConstants, MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from 'botframework-connector';
import { ConfigError } from '../errors.js';
import { createMsalNetworkClient } from '../net/msal-network-client.js';
import type { Fetch } from '../net/outbound-fetch.js';
import { proxyFor, type ProxySettings } from '../net/proxy.js';
import type { BotAuthSettings } from '../config.js';

/** How outbound calls leave this process (outbound-fetch.ts): the fetch, and the proxy rule it follows. */
export interface OutboundNetwork {
  fetch: Fetch;
  proxy: ProxySettings;
}

type MsalClient = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];

// @azure/msal-node ships an ESM and a CommonJS build; botframework-connector require()s the CommonJS one.
// An ESM import here would load a second copy whose class is a different type; take botbuilder's copy.
const { ConfidentialClientApplication } = createRequire(import.meta.url)('@azure/msal-node') as {
  ConfidentialClientApplication: new (configuration: Configuration) => MsalClient;
};

/** Login URLs botbuilder knows (public and US Gov); MSAL validates them against its own cloud list. */
const KNOWN_LOGIN_PREFIXES = [AuthenticationConstants.ToChannelFromBotLoginUrlPrefix, GovernmentConstants.ToChannelFromBotLoginUrlPrefix];

/** True when the outbound token authority is neither the public nor the US Gov Entra login host. */
export function isPrivateAuthority(loginUrl: string | undefined): loginUrl is string {
  return !!loginUrl && !KNOWN_LOGIN_PREFIXES.some((prefix) => loginUrl.toLowerCase().startsWith(prefix));
}

/** The authority of the bot's outbound token: multi-tenant bots get it from the botframework.com tenant, single-tenant ones from their own (wire-facts B3). */
export function outboundLoginUrl(b: BotAuthSettings): string {
  return b.loginUrl ?? `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${b.appType === 'MultiTenant' ? 'botframework.com' : b.appTenantId}`;
}

/**
 * The outbound credentials, or undefined for botbuilder's own (ConfigurationServiceClientCredentialFactory).
 *
 * For a private authority (the simulator, a private cloud) botbuilder's PasswordServiceClientCredentialFactory
 * would build PrivateCloudAppCredentials: an MSAL client with no `knownAuthorities`, which first asks
 * https://login.microsoftonline.com/common/discovery/instance and fails offline with
 * `endpoints_resolution_error`, so no send ever leaves the bot (wire-facts B5 "The outbound trap", [EXP]).
 * The verified recipe (B5 [EXP]): our own ConfidentialClientApplication with `knownAuthorities: [host:port]`,
 * which skips instance discovery, wrapped in MsalServiceClientCredentialsFactory.
 *
 * The same recipe when the token's authority is reached through a proxy (issue 10 item 4): botbuilder's
 * own MSAL client (MsalAppCredentials) is made with no `system` options, so its calls go straight out and
 * never through HTTPS_PROXY; ours sends them through `network.fetch` (msal-network-client.ts).
 */
export function createCredentialsFactory(settings: BotAuthSettings, network?: OutboundNetwork): ServiceClientCredentialsFactory | undefined {
  const { appId, appPassword } = settings;
  if (!appId || settings.appType === 'UserAssignedMSI') return undefined;
  const loginUrl = outboundLoginUrl(settings);
  if (!isPrivateAuthority(settings.loginUrl) && !(network && proxyFor(loginUrl, network.proxy))) return undefined;
  const authority = new URL(loginUrl);
  // MSAL refuses an http: authority ("authority_uri_insecure", msal-common UrlString.validateAsUri; wire-facts C).
  if (authority.protocol !== 'https:') {
    throw new ConfigError([`ToChannelFromBotLoginUrl: ${loginUrl} must use https (MSAL refuses any other authority). Use the token issuer's https:// address.`]);
  }
  if (!appPassword) throw new ConfigError(['MicrosoftAppPassword: required to get tokens from a private authority (ToChannelFromBotLoginUrl).']);
  const client = new ConfidentialClientApplication({
    auth: { clientId: appId, clientSecret: appPassword, authority: loginUrl, knownAuthorities: [authority.host] },
    ...(network ? { system: { networkClient: createMsalNetworkClient(network.fetch) } } : {}),
  });
  return new MsalServiceClientCredentialsFactory(appId, client);
}
