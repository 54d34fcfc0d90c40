import type { Request, Response } from 'express';
import type { SimContext } from '../context.js';
import { badArgument, blockedByUser, conversationNotFound, messageTooBig, notInRoster, type Reply } from './connector-errors.js';
import { hasBlockedBot, onBotRoster } from './roster.js';

/**
 * The size limit of a bot message. The Teams page has said 28 KB, then 40 KB, and now about 100 KB
 * counted as UTF-16 (msteams-docs bots/how-to/format-your-bot-messages.md), always answered with 413
 * MessageSizeTooBig. We keep the oldest and smallest figure, on the raw body: the demanding choice.
 */
export const MAX_MESSAGE_BYTES = 28 * 1024;

/** Activity types a bot may send into a Teams chat here; others get "Unknown activity type" (real 400 text). */
const SENDABLE = new Set(['message', 'typing']);

export function sendThreadKey(req: Request): string | undefined {
  return typeof req.params.conversationId === 'string' ? req.params.conversationId : undefined;
}

/** Activity ids in the style of Teams message ids (epoch milliseconds), unique within one tenant. */
export function createActivityIds(now: () => number): () => string {
  let last = 0;
  return () => {
    last = Math.max(now(), last + 1);
    return String(last);
  };
}

/**
 * POST v3/conversations/{id}/activities[/{activityId}]. botbuilder's continueConversationAsync replies
 * to a random activity id and createConversationAsync to the new conversation id (wire-facts B2
 * "Quirks"), so the reply form is accepted whatever the id. Only accepted messages are recorded.
 */
export function sendActivity(ctx: SimContext, nextId: () => string, req: Request, res: Response): Reply {
  const conversationId = String(req.params.conversationId);
  const conversation = ctx.state.conversations.get(conversationId);
  // "404 ConversationNotFound … drop the cached id" (build-conversational-capability.md).
  if (!conversation || conversation.deleted) return conversationNotFound();
  if (conversation.kind === 'personal') {
    const user = conversation.userId ? ctx.state.findUser(conversation.userId) : undefined;
    if (!user) return conversationNotFound();
    // "403 ConversationBlockedByUser: User blocked the conversation with the bot.", or the same refusal as
    // errorCode 209 / MessageWritesBlocked (send-proactive-messages.md): each blocked person gets one shape.
    if (hasBlockedBot(user)) return blockedByUser(user.blockedBody ?? 'message-writes-blocked');
    // "403 BotNotInConversationRoster": after an uninstall, posts fail with 403 (wire-facts B1).
    if (!onBotRoster(ctx.state, user)) return notInRoster();
  }
  const activity = req.body as Record<string, unknown> | undefined;
  if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) return badArgument('The request body must be an Activity.');
  if (typeof activity.type !== 'string' || activity.type === '') return badArgument('Activity type is required.');
  if (!SENDABLE.has(activity.type)) return badArgument('Unknown activity type');
  const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
  if (activity.type === 'message' && !(typeof activity.text === 'string' && activity.text !== '') && attachments.length === 0) {
    return badArgument('A message needs text or attachments.');
  }
  const bytes = typeof res.locals.bodyBytes === 'number' ? res.locals.bodyBytes : Buffer.byteLength(JSON.stringify(activity));
  if (bytes > MAX_MESSAGE_BYTES) return messageTooBig();

  const activityId = nextId();
  if (activity.type === 'message') {
    ctx.state.recordMessage({ userAadObjectId: conversation.userId ?? null, conversationId, activity, at: ctx.clock.now(), activityId });
  }
  return { status: 201, body: { id: activityId } };
}
