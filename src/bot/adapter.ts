import { CloudAdapter, type ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { ConnectorClientOptions } from 'botframework-connector';
import { silentLogger, type Logger } from '../log.js';
import { hasEndpointOverrides, toBotFrameworkAuthConfig } from './auth-config.js';
import type { BotAuthSettings } from './auth-settings.js';
import { createCredentialsFactory } from './credentials-factory.js';
import { StrictBotFrameworkAuthentication } from './strict-authentication.js';

export interface CreateCloudAdapterOptions {
  /**
   * Passed to botbuilder as ConnectorClientOptions (the 5th argument of ConfigurationBotFrameworkAuthentication),
   * which reaches every ConnectorClient it makes: e.g. an `httpClient` that paces and classifies sends.
   * @default {}
   */
  connectorClientOptions?: ConnectorClientOptions;
  /** @default silentLogger */
  log?: Logger;
}

/**
 * botbuilder's CloudAdapter with ConfigurationBotFrameworkAuthentication, so that inbound tokens are
 * checked by botbuilder itself (issuer, signature, endorsement, audience, serviceurl: wire-facts B4).
 *
 * - No endpoint override: the public-cloud defaults and botbuilder's default credential factory.
 * - A login URL outside login.microsoftonline.com/.us (the simulator, a private cloud): the MSAL
 *   recipe of wire-facts B5 (credentials-factory.ts), since botbuilder's own would try instance
 *   discovery and fail offline.
 * - No app id: local-emulator mode; botbuilder disables authentication (credentials factory
 *   `isAuthenticationDisabled`), so whoever can reach the endpoint is trusted. PRODUCT.md §6 allows it
 *   on loopback only; the caller enforces that.
 *
 * Refusals that botbuilder would answer with 500 (a bad signature) are turned into 401s (strict-authentication.ts).
 */
export function createCloudAdapter(
  settings: BotAuthSettings,
  options: CreateCloudAdapterOptions = {},
): { adapter: CloudAdapter; auth: ConfigurationBotFrameworkAuthentication } {
  const log = options.log ?? silentLogger;
  if (!settings.appId) {
    log.warn('MicrosoftAppId is not set: local-emulator mode, inbound requests are NOT authenticated. Use it only on a loopback address.');
  }
  const credentials = createCredentialsFactory(settings);
  log.debug('bot authentication', {
    endpoints: hasEndpointOverrides(settings) ? 'custom' : 'public cloud',
    outboundCredentials: credentials ? 'msal with knownAuthorities' : 'botbuilder default',
  });
  const auth = new StrictBotFrameworkAuthentication(toBotFrameworkAuthConfig(settings), credentials, undefined, undefined, options.connectorClientOptions ?? {});
  return { adapter: new CloudAdapter(auth), auth };
}
