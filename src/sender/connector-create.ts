import type { CloudAdapter } from 'botbuilder';
import type { ConversationParameters } from 'botframework-schema';

/** What a 1:1 conversation is created for: the person as the connector knows them, and where. */
export interface CreateTarget {
  tenantId: string;
  serviceUrl: string;
  /** The bot-specific `29:` id when we have one, else the person's bare Entra object id. */
  memberId: string;
  name?: string | undefined;
}

/** Creates (or finds) the 1:1 conversation between the bot and one person; returns its id. */
export type ConnectorCreate = (target: CreateTarget) => Promise<string>;

/**
 * The guide's "Create the conversation" step
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages#create-the-conversation):
 * `POST {serviceUrl}v3/conversations` with `isGroup: false`, the bot, `members: [{ id }]` and the tenant,
 * through botbuilder's CloudAdapter.createConversationAsync. The member id may be the bare Entra object
 * id, which Teams accepts when the app is installed for that person (Microsoft-Teams-Samples
 * bot-conversation; msteams-docs#11125), but not in an `aadObjectId` field (a 400: msteams-docs#14079).
 * Nothing is sent in the callback: the caller stores the new reference first, then sends through its
 * usual path. The adapter's HTTP client makes exactly one attempt; pacing and retries are the caller's.
 */
export function createConnectorCreate(adapter: CloudAdapter, botAppId: string, audience: string): ConnectorCreate {
  return async ({ tenantId, serviceUrl, memberId, name }) => {
    const parameters = {
      isGroup: false,
      bot: { id: `28:${botAppId}`, name: '' },
      members: [{ id: memberId, name: name ?? '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as unknown as ConversationParameters;
    let id: string | undefined;
    await adapter.createConversationAsync(botAppId, 'msteams', serviceUrl, audience, parameters, async (context) => {
      id = context.activity.conversation?.id;
    });
    if (!id) throw new Error('the connector created the conversation but gave no id');
    return id;
  };
}
