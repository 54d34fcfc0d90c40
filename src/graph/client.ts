import { AuthenticationHandler, Client, TelemetryHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { TokenCredential } from '@azure/identity';
import { PacedRetryMiddleware, type PacedRetryOptions } from './paced-retry-middleware.js';
import { GRAPH_SCOPE } from './credential.js';
import type { Fetch } from '../net/outbound-fetch.js';

export interface GraphClientOptions extends PacedRetryOptions {
  credential: TokenCredential;
  /** e.g. https://graph.microsoft.com/ (HTTPS only, wire-facts D). */
  baseUrl: string;
  /** The token's scope: the national clouds' Graph has its own (cloud/presets.ts). @default https://graph.microsoft.com/.default */
  scope?: string;
  /** What sends each request (outbound-fetch.ts: through the configured proxy). @default Node's global fetch */
  fetch?: Fetch;
}

/**
 * The last middleware: the SDK's HTTPMessageHandler with the fetch given, since that one always calls
 * the global fetch (graph-client 3.0.7 src/middleware/HTTPMessageHandler.ts), which on Node 20 ignores
 * HTTPS_PROXY (wire-facts H7).
 */
class FetchHandler implements Middleware {
  constructor(private readonly fetch: Fetch) {}
  async execute(context: Context): Promise<void> {
    context.response = await this.fetch(context.request, context.options);
  }
}

/**
 * The real @microsoft/microsoft-graph-client with our middleware chain:
 * pacing + bounded retry → authentication → telemetry → fetch. The SDK's RetryHandler is left out
 * on purpose (one logical call must not be retried by two layers), and so is the redirect handler
 * (none of the calls we make redirect). Requests go out through `options.fetch`. A non-default host goes into `customHosts`, or the SDK
 * would not attach the bearer token to it.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const base = new URL(options.baseUrl);
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [options.scope ?? GRAPH_SCOPE] });
  return Client.initWithMiddleware({
    baseUrl: `${base.origin}/`,
    customHosts: base.hostname === 'graph.microsoft.com' ? undefined : new Set([base.hostname]),
    middleware: [new PacedRetryMiddleware(options), new AuthenticationHandler(authProvider), new TelemetryHandler(), new FetchHandler(options.fetch ?? globalThis.fetch)],
  });
}
