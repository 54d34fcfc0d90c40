import { CloudAdapter, type ConfigurationBotFrameworkAuthentication, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { ConnectorClientOptions } from 'botframework-connector';
import type { Activity } from 'botframework-schema';
import { silentLogger, type Logger } from '../log.js';
import { AuthenticationConstants } from 'botframework-connector';
import { hasEndpointOverrides, toBotFrameworkAuthConfig } from './auth-config.js';
import { fetchOpenIdMetadataThrough } from './openid-metadata.js';
import type { BotAuthSettings } from '../config.js';
import { createCredentialsFactory, type OutboundNetwork } from './credentials-factory.js';
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
  /** How the bot's own token is fetched when its authority is behind a proxy (credentials-factory.ts). @default botbuilder's MSAL, straight out */
  network?: OutboundNetwork;
}

/**
 * CloudAdapter with a turn entry point that leaves the answer and the logging to the caller.
 * botbuilder 4.23's `process` prints every refused token to console.error with its stack
 * (botbuilder cloudAdapter.ts `process`); a public bot endpoint gets those from every scanner, so
 * the bot endpoint (app.ts) answers 401 itself and logs one line.
 */
export class BotAdapter extends CloudAdapter {
  /**
   * Runs the turn for an activity express has already parsed. Resolves with the invoke response (if
   * any); rejects with botframework-connector's AuthenticationError for a refused token.
   */
  processParsed(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, withDates(activity), logic);
  }
}

/** What botbuilder's `process` does to a parsed body (activityValidator.ts): ISO strings become Dates, the raw ones kept. */
function withDates(activity: Activity): Activity {
  const a = activity as Activity & Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  return a;
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
): { adapter: BotAdapter; auth: ConfigurationBotFrameworkAuthentication } {
  const log = options.log ?? silentLogger;
  if (!settings.appId) {
    log.warn('MicrosoftAppId is not set: local-emulator mode, inbound requests are NOT authenticated. Use it only on a loopback address.');
  }
  const credentials = createCredentialsFactory(settings, options.network);
  const authConfig = toBotFrameworkAuthConfig(settings);
  if (options.network) {
    // The keys inbound tokens are checked with come through the proxy too (openid-metadata.ts).
    const metadataUrls = [
      authConfig.ToBotFromChannelOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      authConfig.ToBotFromEmulatorOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ];
    const taken = fetchOpenIdMetadataThrough(metadataUrls, options.network.fetch, options.network.proxy);
    if (taken.length) log.debug('Bot Framework signing keys through the proxy', { urls: taken });
  }
  log.debug('bot authentication', {
    endpoints: hasEndpointOverrides(settings) ? 'custom' : 'public cloud',
    outboundCredentials: credentials ? 'msal with knownAuthorities' : 'botbuilder default',
  });
  const auth = new StrictBotFrameworkAuthentication(authConfig, credentials, undefined, undefined, options.connectorClientOptions ?? {});
  return { adapter: new BotAdapter(auth), auth };
}
