import { AuthenticationHandler, Client, HTTPMessageHandler, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { TokenCredential } from '@azure/identity';
import { PacedRetryMiddleware, type PacedRetryOptions } from './paced-retry-middleware.js';
import { GRAPH_SCOPE } from './credential.js';

export interface GraphClientOptions extends PacedRetryOptions {
  credential: TokenCredential;
  /** e.g. https://graph.microsoft.com/ (HTTPS only, wire-facts D). */
  baseUrl: string;
}

/**
 * The real @microsoft/microsoft-graph-client with our middleware chain:
 * pacing + bounded retry → authentication → telemetry → fetch. The SDK's RetryHandler is left out
 * on purpose (one logical call must not be retried by two layers), and so is the redirect handler
 * (none of the calls we make redirect). A non-default host goes into `customHosts`, or the SDK
 * would not attach the bearer token to it.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const base = new URL(options.baseUrl);
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [GRAPH_SCOPE] });
  return Client.initWithMiddleware({
    baseUrl: `${base.origin}/`,
    customHosts: base.hostname === 'graph.microsoft.com' ? undefined : new Set([base.hostname]),
    middleware: [new PacedRetryMiddleware(options), new AuthenticationHandler(authProvider), new TelemetryHandler(), new HTTPMessageHandler()],
  });
}
