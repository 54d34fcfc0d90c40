import type { Store } from '../store/types.js';

/**
 * The tenant's most recent serviceUrl, remembered from every activity the bot receives
 * ("always prefer the serviceUrl from the most recent activity", wire-facts B7), for references
 * resolved through Graph, which carry no serviceUrl of their own.
 */
const key = (tenantId: string) => `serviceUrl:${tenantId}`;

/** What this process last wrote or read, per store: every activity brings a serviceUrl, and it seldom changes (issue 12). */
const known = new WeakMap<Store, Map<string, string>>();

export async function rememberServiceUrl(store: Store, tenantId: string, serviceUrl: string): Promise<void> {
  let mine = known.get(store);
  if (!mine) known.set(store, (mine = new Map()));
  if (mine.get(tenantId) === serviceUrl) return;
  if ((await store.getSetting(key(tenantId))) !== serviceUrl) await store.setSetting(key(tenantId), serviceUrl);
  mine.set(tenantId, serviceUrl);
}

export async function tenantServiceUrl(store: Store, tenantId: string, fallback: string): Promise<string> {
  return (await store.getSetting(key(tenantId))) ?? fallback;
}
