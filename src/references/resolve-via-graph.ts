import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../clock.js';
import { errorMessage } from '../errors.js';
import { findInstallation, getInstallationChatId } from '../graph/installed-apps.js';
import { applyChange } from '../store/apply-change.js';
import { referenceStored } from '../ledger/transitions.js';
import type { ConversationReferenceRow, Store } from '../store/types.js';
import { tenantServiceUrl } from './tenant-service-url.js';

export interface GraphReferenceDeps {
  graph: Client;
  store: Store;
  clock: Clock;
  tenantId: string;
  /** The catalogue id of our app (current). */
  catalogAppId: () => Promise<string>;
  /** Looks the catalogue id up again after `staleId` found no installation (the app was re-uploaded); the current id. */
  refreshCatalogAppId?: (staleId: string) => Promise<string>;
  /** The public proactive endpoint for when no activity ever told us the tenant's serviceUrl (wire-facts B7). */
  proactiveServiceUrl: string;
}

/**
 * Graph lists the person's installation of the app, but its chat could not be read (after the client's
 * retries). The app is installed for them, so the conversation can still be created (issue 10.1).
 */
export class ChatUnavailableError extends Error {
  constructor(readonly reason: unknown) {
    super(`Graph lists the app's installation but its chat could not be read: ${errorMessage(reason)}`);
    this.name = 'ChatUnavailableError';
  }
}

/**
 * A conversation reference without any install event (PRODUCT.md §2 "Already installed, no
 * reference"): the installation's 1:1 chat id through Graph (wire-facts A4), the tenant's known
 * serviceUrl, marked as coming from Graph. Returns undefined when the app is not installed for
 * the person. Graph failures propagate (the caller decides what they mean for the person); a chat that
 * cannot be read for an installation Graph lists is a ChatUnavailableError.
 */
export async function resolveReferenceViaGraph(d: GraphReferenceDeps, aadObjectId: string, actor: string): Promise<ConversationReferenceRow | undefined> {
  let appId = await d.catalogAppId();
  let installation = await findInstallation(d.graph, aadObjectId, appId);
  // No installation under the id we hold: either the person has none, or the app was re-uploaded with a new
  // catalogue id (issue 10.6). One look-up of the catalogue tells which; the resolver shares it between callers.
  if (!installation && d.refreshCatalogAppId) {
    const current = await d.refreshCatalogAppId(appId);
    if (current !== appId) installation = await findInstallation(d.graph, aadObjectId, (appId = current));
  }
  if (!installation) return undefined;
  let chatId: string;
  try {
    chatId = await getInstallationChatId(d.graph, aadObjectId, installation.id);
  } catch (e) {
    throw new ChatUnavailableError(e);
  }
  const now = d.clock.now();
  const ref: ConversationReferenceRow = {
    tenantId: d.tenantId,
    aadObjectId,
    conversationId: chatId,
    serviceUrl: await tenantServiceUrl(d.store, d.tenantId, d.proactiveServiceUrl),
    userId: null,
    botId: null,
    source: 'graph',
    capturedAt: now,
  };
  await d.store.putReference(ref);
  await applyChange(d.store, d.tenantId, aadObjectId, (row) => referenceStored(row, 'graph', now), { at: now, actor });
  return ref;
}
