import type { SimUrls } from '../../../src/simulator/context.js';
import type { TenantState } from '../../../src/simulator/state.js';

/** A token from the simulated Entra ID, as MSAL gets it for the bot (wire-facts B3). */
export async function fetchToken(urls: SimUrls, state: TenantState, scope = 'https://api.botframework.com/.default'): Promise<string> {
  const res = await fetch(`${urls.issuer}/${state.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: state.clientId, client_secret: state.clientSecret, scope }),
  });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface ConnectorAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** One raw Bot Connector call: `serviceUrl` + `v3/conversations…`, ids URL-encoded as botbuilder does. */
export function connectorClient(serviceUrl: string, token: string | null) {
  return async (method: 'GET' | 'POST', path: string, body?: unknown, init: { rawBody?: string } = {}): Promise<ConnectorAnswer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${serviceUrl}${path}`, { method, headers, body: init.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

export const enc = encodeURIComponent;
