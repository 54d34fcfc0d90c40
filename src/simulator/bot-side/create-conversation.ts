import type { Request } from 'express';
import type { SimContext } from '../context.js';
import { badArgument, notInRoster, type Reply } from './connector-errors.js';
import { findByBotUserIdOrAadId, onBotRoster } from './roster.js';

interface CreateBody {
  isGroup?: unknown;
  bot?: { id?: unknown };
  members?: unknown;
  tenantId?: unknown;
  channelData?: { tenant?: { id?: unknown } };
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * The thread a 1:1 create spends the per-thread windows of: that person's chat, whichever id the body
 * names them by (a `29:` id or an Entra object id).
 */
export function createThreadKey(ctx: SimContext, req: Request): string | undefined {
  const members = asObject(req.body)?.members;
  const first = Array.isArray(members) ? asObject(members[0])?.id : undefined;
  if (typeof first !== 'string') return undefined;
  return `create:${findByBotUserIdOrAadId(ctx.state, first)?.id ?? first}`;
}

/**
 * POST v3/conversations: create (or find) the 1:1 chat between the bot and one user.
 * Body as botbuilder sends it (msteams-docs send-proactive-messages.md; wire-facts B2):
 * `{isGroup:false, bot:{id:"28:…"}, members:[{id:"29:…"}], tenantId, channelData:{tenant:{id}}}`.
 * "The user id and the tenant id are required." `members[0].id` is the bot-specific `29:` id or the
 * bare Entra object id (Microsoft-Teams-Samples bot-conversation uses `member.aadObjectId`; wire-facts
 * H2); the GUID in an `aadObjectId` field instead is a 400 (msteams-docs#14079). Only for someone the
 * bot may reach: "aadObjectId only works if the user has the app installed" (msteams-docs#11125), else
 * 403 BotNotInConversationRoster (the body pasted in bot-docs#1527). [INF] The same `a:` id while the
 * chat lives, 201 `{id}`; once its history was removed, a new `a:` id that takes messages, as the
 * reporters of msteams-docs#14079 found (state.openPersonalConversation).
 */
export function createConversation(ctx: SimContext, req: Request): Reply {
  const body = asObject(req.body) as CreateBody | undefined;
  if (!body) return badArgument('The request body must be a ConversationParameters object.');
  if (body.isGroup === true) return badArgument('Bots can only create one-on-one conversations.');
  const tenantId = body.tenantId ?? body.channelData?.tenant?.id;
  if (typeof tenantId !== 'string' || tenantId === '') return badArgument('The tenant id is required (tenantId or channelData.tenant.id).');
  if (tenantId !== ctx.state.tenantId) return badArgument(`Unknown tenant ${tenantId}.`);
  const botId = body.bot?.id;
  if (botId !== undefined && botId !== `28:${ctx.state.clientId}` && botId !== ctx.state.clientId) return badArgument('bot.id is not this bot.');
  const members = Array.isArray(body.members) ? body.members : [];
  if (members.length !== 1) return badArgument('A one-on-one conversation needs exactly one member.');
  const memberId = asObject(members[0])?.id;
  if (typeof memberId !== 'string' || memberId === '') return badArgument('members[0].id is required.');
  const user = findByBotUserIdOrAadId(ctx.state, memberId);
  if (!user) return badArgument(`Member ${memberId} was not found in tenant ${tenantId}.`);
  // "The bot isn't part of the conversation roster": not installed for the user nor in any of their teams.
  if (!onBotRoster(ctx.state, user)) return notInRoster();
  // A bare Entra object id needs the app installed for that person, not only in one of their teams (msteams-docs#11125). [INF] The 403.
  if (!memberId.startsWith('29:') && !ctx.state.installation(user.id, ctx.state.app.id)) return notInRoster();
  const conversation = ctx.state.openPersonalConversation(user.id, ctx.clock.now());
  return { status: 201, body: { id: conversation.id } };
}
