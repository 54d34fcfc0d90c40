/**
 * Which egress proxy an outbound call goes through (issue 10 item 4): one rule for the Entra token,
 * Graph, the Bot Connector and the bot's own token, all of which are sent through outbound-fetch.ts.
 * Pure: (environment) → settings, (URL, settings) → proxy or none.
 *
 * The variables are the ones the Azure SDKs document (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, each
 * also in lower case: https://learn.microsoft.com/dotnet/azure/sdk/configure-proxy), read upper case
 * first as the Azure SDK for JS reads them (@azure/core-rest-pipeline proxyPolicy, via
 * @typespec/ts-http-runtime `getEnvironmentValue`). Node 20's own fetch reads none of them (wire-facts
 * H7), which is why every call goes through outbound-fetch.ts instead. NO_PROXY follows undici's
 * EnvHttpProxyAgent, a superset of the Azure SDK's: comma- or space-separated entries, `*` for every
 * host, `host` for that host only, `.domain` or `*.domain` for its sub-domains, an optional `:port`.
 */
export interface ProxySettings {
  /** For https:// calls (HTTPS_PROXY, else ALL_PROXY, else HTTP_PROXY). */
  https: string | undefined;
  /** For http:// calls (HTTP_PROXY, else ALL_PROXY, else HTTPS_PROXY: the Azure SDK sends both through whichever is set). */
  http: string | undefined;
  /** NO_PROXY as given ('' = none). */
  noProxy: string;
}

type Env = Record<string, string | undefined>;

/** The value of a variable, upper case first (as @azure/core-rest-pipeline reads it), empty = unset. */
function read(env: Env, name: string): string | undefined {
  return [env[name], env[name.toLowerCase()]].map((v) => v?.trim()).find((v) => !!v);
}

/** The names the settings came from, for doctor and errors. */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'] as const;

export function proxySettingsFrom(env: Env): ProxySettings {
  const https = read(env, 'HTTPS_PROXY');
  const http = read(env, 'HTTP_PROXY');
  const all = read(env, 'ALL_PROXY');
  return { https: https ?? all ?? http, http: http ?? all ?? https, noProxy: read(env, 'NO_PROXY') ?? '' };
}

/**
 * What is wrong with a proxy variable's value, or undefined. A proxy is an http:// (or https://) URL
 * with a host (https-proxy-agent and undici's ProxyAgent both parse it with `new URL`): `proxy:8080`
 * alone would be read as a URL scheme "proxy:".
 */
export function proxyUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}://, not http:// or https://`;
  if (!url.hostname) return 'has no host';
  return undefined;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

interface NoProxyEntry {
  host: string;
  port: number;
}

function noProxyEntries(noProxy: string): NoProxyEntry[] {
  return noProxy
    .split(/[,\s]/)
    .filter((e) => e !== '')
    .map((e) => {
      const m = /^(.+):(\d+)$/.exec(e);
      return { host: (m ? m[1]! : e).toLowerCase(), port: m ? Number(m[2]) : 0 };
    });
}

/** True when NO_PROXY sends a call to this URL straight to its host. */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const host = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
  return noProxyEntries(noProxy).some((e) => {
    if (e.port && e.port !== port) return false;
    if (!/^[.*]/.test(e.host)) return host === e.host;
    return host.endsWith(e.host.replace(/^\*/, ''));
  });
}

/** The proxy a call to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: string | URL, settings: ProxySettings): string | undefined {
  const u = typeof url === 'string' ? new URL(url) : url;
  const proxy = u.protocol === 'https:' ? settings.https : settings.http;
  if (!proxy || bypassesProxy(u, settings.noProxy)) return undefined;
  return proxy;
}

/** A proxy URL without its password, for doctor and logs. */
export function redactProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return proxy;
  }
}
