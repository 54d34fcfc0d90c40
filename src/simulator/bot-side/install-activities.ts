import type { SimContext } from '../context.js';
import type { SimTeam, SimUser } from '../types.js';

/** What the Teams channel posts to a bot: the fields botbuilder and our capture read, in Teams' shape. */
export interface ChannelActivity {
  type: string;
  id: string;
  timestamp: string;
  channelId: 'msteams';
  serviceUrl: string;
  from: { id: string; aadObjectId?: string; name?: string };
  recipient: { id: string; name: string };
  conversation: { id: string; tenantId: string; conversationType: 'personal' | 'channel' | 'groupChat'; isGroup?: boolean; name?: string };
  channelData: Record<string, unknown>;
  [field: string]: unknown;
}

/** Identity and time of one activity; drawn by the caller so a duplicate can repeat them. */
export interface ActivityStamp {
  id: string;
  at: number;
}

function envelope(ctx: SimContext, type: string, stamp: ActivityStamp, from: ChannelActivity['from'], conversation: ChannelActivity['conversation']) {
  const tenant = { id: ctx.state.tenantId };
  return {
    type,
    id: stamp.id,
    timestamp: new Date(stamp.at).toISOString(),
    channelId: 'msteams' as const,
    // Tenant-scoped by default, as Teams sends it today (env.ts ServiceUrlForm); the token's `serviceurl` claim is made from this very string (post-activity.ts).
    serviceUrl: ctx.urls.serviceUrl,
    from,
    recipient: { id: `28:${ctx.state.clientId}`, name: ctx.state.app.displayName },
    conversation,
    channelData: { tenant },
  };
}

function personal(ctx: SimContext, user: SimUser, conversationId: string) {
  return {
    from: { id: user.botUserId, aadObjectId: user.id },
    conversation: { conversationType: 'personal' as const, tenantId: ctx.state.tenantId, id: conversationId },
  };
}

/**
 * installationUpdate in personal scope (msteams-docs subscribe-to-conversation-events.md; wire-facts B1).
 * `action` is add, remove, add-upgrade or remove-upgrade. [INF] No `channelData.source`: the documented
 * sample that has it is a team-scope one.
 */
export function personalInstallationUpdate(ctx: SimContext, user: SimUser, conversationId: string, action: 'add' | 'remove' | 'add-upgrade', stamp: ActivityStamp): ChannelActivity {
  const p = personal(ctx, user, conversationId);
  return {
    ...envelope(ctx, 'installationUpdate', stamp, p.from, p.conversation),
    action,
    locale: user.preferredLanguage,
    entities: [{ type: 'clientInfo', locale: user.preferredLanguage }],
  };
}

/**
 * conversationUpdate with the bot in `membersAdded`: how a bot learns it was installed for a user, a
 * Graph install included (graph-proactive-bots-and-messages.md). Personal scope has no `eventType`.
 * Only the bot is listed; bots detect themselves by comparing with `recipient.id` (B1).
 */
export function personalBotAdded(ctx: SimContext, user: SimUser, conversationId: string, stamp: ActivityStamp): ChannelActivity {
  const p = personal(ctx, user, conversationId);
  return {
    ...envelope(ctx, 'conversationUpdate', stamp, p.from, p.conversation),
    membersAdded: [{ id: `28:${ctx.state.clientId}` }],
    locale: user.preferredLanguage,
    entities: [{ type: 'clientInfo', locale: user.preferredLanguage }],
  };
}

/**
 * conversationUpdate when the bot is added to a team: `conversationType: "channel"`, and channelData
 * with `eventType: "teamMemberAdded"`, `team` (id = the General channel's thread id, aadGroupId = the
 * group) and `settings.selectedChannel` (subscribe-to-conversation-events.md, "Members added", team scope).
 */
export function teamBotAdded(ctx: SimContext, team: SimTeam, by: SimUser, stamp: ActivityStamp): ChannelActivity {
  const base = envelope(ctx, 'conversationUpdate', stamp, { id: by.botUserId, aadObjectId: by.id }, {
    isGroup: true,
    conversationType: 'channel',
    tenantId: ctx.state.tenantId,
    id: team.conversationId,
  });
  return {
    ...base,
    membersAdded: [{ id: `28:${ctx.state.clientId}` }],
    channelData: {
      team: { id: team.conversationId, name: team.displayName, aadGroupId: team.id },
      eventType: 'teamMemberAdded',
      tenant: { id: ctx.state.tenantId },
      settings: { selectedChannel: { id: team.conversationId } },
    },
    locale: by.preferredLanguage,
  };
}
