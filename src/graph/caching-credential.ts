import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { Clock } from '../clock.js';

/**
 * Keeps a token until five minutes before it expires. The Graph client's auth provider asks for a
 * token on every request; @azure/identity answers from MSAL's cache, but that still cost about a
 * tenth of `install`'s CPU at a few hundred requests per second (bench profile). Concurrent callers
 * share one refresh.
 */
export function cachingCredential(inner: TokenCredential, clock: Clock, marginMs = 5 * 60_000): TokenCredential {
  const cache = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken | null>>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = ([] as string[]).concat(scopes).sort().join(' ');
      const hit = cache.get(key);
      if (hit && hit.expiresOnTimestamp - marginMs > clock.now()) return hit;
      let p = pending.get(key);
      if (!p) {
        p = inner.getToken(scopes, options).then(
          (t) => {
            if (t) cache.set(key, t);
            pending.delete(key);
            return t;
          },
          (e: unknown) => {
            pending.delete(key);
            throw e;
          },
        );
        pending.set(key, p);
      }
      return p;
    },
  };
}
