import type { Fetch } from './outbound-fetch.js';

/** @azure/msal-node's INetworkModule (msal-common network/INetworkModule.ts), which ConfidentialClientApplication takes as `system.networkClient`. */
export interface MsalNetworkClient {
  sendGetRequestAsync<T>(url: string, options?: { headers?: Record<string, string>; body?: string }, timeout?: number): Promise<{ headers: Record<string, string>; body: T; status: number }>;
  sendPostRequestAsync<T>(url: string, options?: { headers?: Record<string, string>; body?: string }): Promise<{ headers: Record<string, string>; body: T; status: number }>;
}

/**
 * MSAL's network calls (the bot's token, its OpenID discovery) through the given fetch, so they follow
 * the proxy rule too. msal-node 2.16's own client does not read HTTPS_PROXY, and its `system.proxyUrl`
 * path opens the CONNECT tunnel to the host without a port and then writes plain HTTP into it, no TLS
 * (msal-node src/network/HttpClient.ts `networkRequestViaProxy`): it cannot reach an https authority.
 * The body is parsed as MSAL's own client parses it (`parseBody`): JSON, or an error object naming the status.
 */
export function createMsalNetworkClient(fetch: Fetch): MsalNetworkClient {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: { headers?: Record<string, string>; body?: string }, timeout?: number) => {
    const res = await fetch(url, { method, headers: options?.headers, body: method === 'POST' ? (options?.body ?? '') : undefined, signal: timeout ? AbortSignal.timeout(timeout) : undefined });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const kind = res.status >= 400 && res.status < 500 ? 'client_error' : res.status >= 500 ? 'server_error' : 'unknown_error';
      body = { error: kind, error_description: `Http status code: ${res.status} ${res.statusText}; the answer was not JSON` };
    }
    return { headers, body: body as T, status: res.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
