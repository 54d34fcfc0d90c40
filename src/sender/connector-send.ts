import type { CloudAdapter } from 'botbuilder';
import type { ConversationReference } from 'botframework-schema';
import type { ConversationReferenceRow } from '../store/types.js';

/** Sends one activity to one stored conversation through botbuilder; returns the connector's activity id. */
export type ConnectorSend = (ref: ConversationReferenceRow, activity: Record<string, unknown>) => Promise<{ id: string | null }>;

/** The botbuilder reference for a stored row (a Graph-resolved one has no `29:` user id, and needs none). */
export function toBotReference(ref: ConversationReferenceRow, botAppId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: ref.serviceUrl,
    conversation: { id: ref.conversationId, conversationType: 'personal', tenantId: ref.tenantId, isGroup: false, name: '' },
    bot: { id: ref.botId ?? `28:${botAppId}`, name: '' },
    user: ref.userId ? { id: ref.userId, aadObjectId: ref.aadObjectId, name: '' } : undefined,
  };
}

/**
 * Proactive send with CloudAdapter.continueConversationAsync, as the guide does
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
 * Pacing and retries are the caller's: the adapter's HTTP client makes exactly one attempt.
 */
export function createConnectorSend(adapter: CloudAdapter, botAppId: string): ConnectorSend {
  return async (ref, activity) => {
    let id: string | null = null;
    await adapter.continueConversationAsync(botAppId, toBotReference(ref, botAppId), async (context) => {
      const res = await context.sendActivity(activity);
      id = res?.id ?? null;
    });
    return { id };
  };
}
