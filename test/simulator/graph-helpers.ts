import { ClientSecretCredential } from '@azure/identity';
import { Client, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { RunningTenant } from '../../src/simulator/server.js';

/** The real @azure/identity credential, pointed at the tenant's issuer the documented way (wire-facts C). */
export function credentialFor(t: RunningTenant): ClientSecretCredential {
  return new ClientSecretCredential(t.tenantId, t.clientId, t.clientSecret, { authorityHost: t.urls.issuer, disableInstanceDiscovery: true });
}

/** The real Graph client over HTTPS with the simulator's host as a custom Graph host (wire-facts D). */
export function graphClientFor(t: RunningTenant, credential = credentialFor(t), middleware?: Middleware): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
  const host = new URL(t.urls.graph).hostname;
  if (middleware) return Client.initWithMiddleware({ middleware, baseUrl: t.urls.graph, customHosts: new Set([host]) });
  return Client.initWithMiddleware({ authProvider, baseUrl: t.urls.graph, customHosts: new Set([host]) });
}

/** A Graph access token straight from the token endpoint (fresh, so it carries the roles granted now). */
export async function graphToken(t: RunningTenant, scope = 'https://graph.microsoft.com/.default'): Promise<string> {
  const res = await fetch(`${t.urls.issuer}/${t.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret, scope }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON as the wire has it
}

/** One raw Graph call with a bearer token; `path` is relative to /v1.0. */
export async function graph(t: RunningTenant, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${t.urls.graph}v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const bindFor = (catalogAppId: string) => ({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}` });

/** Control API call on /_sim. */
export async function sim(t: RunningTenant, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${t.urls.http}/_sim${path}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return { status: res.status, headers: res.headers, body: json && text ? JSON.parse(text) : text };
}
