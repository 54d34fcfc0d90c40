import type { Client } from '@microsoft/microsoft-graph-client';
import { findCatalogApp, type CatalogApp } from '../graph/catalog.js';
import type { Store } from '../store/types.js';

/**
 * The catalogue id of our app, cached in the store, looked up again when an install answers 404
 * for the app (a re-upload gives a new id: Company Communicator's users hit exactly this, peers.md
 * complaint 1). Concurrent refreshes share one lookup. One resolver per process, shared by the
 * installer and the sender (deps.ts `createGraphDeps`): a second one would keep the old id after the
 * first refreshed (issue 10.6).
 */
export class CatalogResolver {
  private app: CatalogApp | undefined;
  private refreshing: Promise<CatalogApp> | undefined;

  constructor(
    private readonly graph: Client,
    private readonly store: Store,
    private readonly tenantId: string,
    readonly manifestId: string,
  ) {}

  private get key(): string {
    return `catalog:${this.tenantId}:${this.manifestId}`;
  }

  /** The cached app, or a lookup (which also checks that the app is published). */
  async current(): Promise<CatalogApp> {
    if (this.app) return this.app;
    const cached = await this.store.getSetting(this.key);
    if (cached) return (this.app = JSON.parse(cached) as CatalogApp);
    return this.refresh();
  }

  /** Looks the app up again; `staleId` avoids a second lookup when another caller already refreshed. */
  refresh(staleId?: string): Promise<CatalogApp> {
    if (staleId && this.app && this.app.id !== staleId) return Promise.resolve(this.app);
    this.refreshing ??= (async () => {
      try {
        const app = await findCatalogApp(this.graph, this.manifestId);
        await this.store.setSetting(this.key, JSON.stringify(app));
        this.app = app;
        return app;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** The id for Graph reference look-ups (resolve-via-graph.ts), and its refresh when a look-up with it finds nothing. */
  get ids(): { catalogAppId: () => Promise<string>; refreshCatalogAppId: (staleId: string) => Promise<string> } {
    return { catalogAppId: async () => (await this.current()).id, refreshCatalogAppId: async (staleId) => (await this.refresh(staleId)).id };
  }
}
