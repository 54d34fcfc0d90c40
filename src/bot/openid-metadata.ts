import { createRequire } from 'node:module';
import { AuthenticationError } from 'botframework-connector';
import type { Fetch } from '../net/outbound-fetch.js';
import { proxyFor, type ProxySettings } from '../net/proxy.js';

/**
 * The Bot Framework signing keys that inbound tokens are checked with, fetched through the proxy
 * (issue 10 item 4). botframework-connector 4.23 downloads them with node-fetch and no agent unless
 * ConnectorClientOptions.proxySettings is given (lib/auth/openIdMetadata.js `refreshCache`), and that
 * option cannot be used: its `host` is read as a URL with its scheme by @azure/core-rest-pipeline's
 * proxyPolicy and without one by OpenIdMetadata (`http://${host}:${port}`), so one of the two breaks.
 *
 * botframework-connector keeps one OpenIdMetadata per metadata URL, process-wide
 * (JwtTokenExtractor.openIdMetadataCache, lib/auth/jwtTokenExtractor.js `getOrAddOpenIdMetadata`).
 * For each URL that the proxy rule sends through a proxy, we put there one whose download goes through
 * our fetch; its key look-up and refresh intervals stay botframework-connector's. Not exported by the
 * package (its `main` only; no `exports` map), hence the paths; versions are pinned in package.json.
 */
interface OpenIdMetadataLike {
  keys?: unknown[];
  lastUpdated: number;
  refreshCache(): Promise<void>;
}

const require = createRequire(import.meta.url);
const { OpenIdMetadata } = require('botframework-connector/lib/auth/openIdMetadata.js') as { OpenIdMetadata: new (url: string) => OpenIdMetadataLike };
const { JwtTokenExtractor } = require('botframework-connector/lib/auth/jwtTokenExtractor.js') as { JwtTokenExtractor: { openIdMetadataCache: Map<string, OpenIdMetadataLike> } };

/** Routes the key downloads of these metadata URLs through `fetch` when the proxy rule proxies them. Returns the URLs it took over. */
export function fetchOpenIdMetadataThrough(urls: string[], fetch: Fetch, proxy: ProxySettings): string[] {
  const taken: string[] = [];
  for (const url of new Set(urls)) {
    if (!URL.canParse(url) || !proxyFor(url, proxy)) continue;
    const metadata = new OpenIdMetadata(url);
    metadata.refreshCache = async function refreshCache(this: OpenIdMetadataLike) {
      const config = await getJson(fetch, url, 'openID config');
      const jwks = await getJson(fetch, String((config as { jwks_uri?: unknown }).jwks_uri), 'Keys');
      this.lastUpdated = Date.now();
      this.keys = (jwks as { keys?: unknown[] }).keys;
    };
    JwtTokenExtractor.openIdMetadataCache.set(url, metadata);
    taken.push(url);
  }
  return taken;
}

/** Fails as botframework-connector's own download does ("Failed to load openID config: 404"), which CloudAdapter answers with 500. */
async function getJson(fetch: Fetch, url: string, what: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new AuthenticationError(`Failed to load ${what}: ${res.status}`, 500);
  return res.json();
}
