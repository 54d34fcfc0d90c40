import type { Request } from 'express';
import type { SimContext } from '../context.js';
import type { SimUser } from '../types.js';
import { badArgument, connectorError, conversationNotFound, type Reply } from './connector-errors.js';
import { findByBotUserIdOrAadId } from './roster.js';

/**
 * pagedmembers page size: default 200, at most 500 (a larger pageSize is served as 500). [INF] These figures are
 * not in wire-facts; the swagger only says pageSize is optional (GetConversationPagedMembers).
 */
export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 500;

/** The people of a conversation, or a reply saying why there are none. */
function rosterOf(ctx: SimContext, conversationId: string): SimUser[] | Reply {
  const conversation = ctx.state.conversations.get(conversationId);
  if (!conversation || conversation.deleted) return conversationNotFound();
  const ids =
    conversation.kind === 'channel'
      ? (ctx.state.teams.find((t) => t.id === conversation.teamId)?.memberUserIds ?? [])
      : conversation.userId
        ? [conversation.userId]
        : [];
  return ids.map((id) => ctx.state.findUser(id)).filter((u): u is SimUser => u !== undefined);
}

/** GET v3/conversations/{id}/members/{memberId}: a `29:` id, an Entra object id, or a UPN. */
export function getMember(ctx: SimContext, req: Request): Reply {
  const roster = rosterOf(ctx, String(req.params.conversationId));
  if (!Array.isArray(roster)) return roster;
  const wanted = findByBotUserIdOrAadId(ctx.state, String(req.params.memberId));
  const member = wanted && roster.find((u) => u.id === wanted.id);
  // Teams answers an unknown member with ConversationNotFound: botbuilder's TeamsActivityHandler
  // tolerates exactly that code for this call (botbuilder teamsActivityHandler.ts, wire-facts B1).
  // [INF] the message text.
  if (!member) return connectorError(404, 'ConversationNotFound', 'The member was not found in the conversation.');
  return { status: 200, body: toAccount(ctx, member) };
}

/**
 * GET v3/conversations/{id}/members: everyone at once. Teams throttles this older call to 5 per minute
 * (rate-limit.md, wire-facts B6); [INF] not enforced here beyond the app's 50 rps.
 */
export function getMembers(ctx: SimContext, req: Request): Reply {
  const roster = rosterOf(ctx, String(req.params.conversationId));
  if (!Array.isArray(roster)) return roster;
  return { status: 200, body: roster.map((u) => toAccount(ctx, u)) };
}

/** GET v3/conversations/{id}/pagedmembers?pageSize=&continuationToken= → `{members, continuationToken?}`. */
export function getPagedMembers(ctx: SimContext, req: Request): Reply {
  const roster = rosterOf(ctx, String(req.params.conversationId));
  if (!Array.isArray(roster)) return roster;
  const rawSize = req.query.pageSize;
  const pageSize = rawSize === undefined || rawSize === '' ? DEFAULT_PAGE_SIZE : Number(rawSize);
  if (!Number.isInteger(pageSize) || pageSize < 1) return badArgument('pageSize must be a positive integer.');
  const size = Math.min(pageSize, MAX_PAGE_SIZE);
  const token = req.query.continuationToken;
  const offset = token === undefined || token === '' ? 0 : decodeToken(String(token));
  if (offset === undefined || offset > roster.length) return badArgument('The continuation token is not valid.');
  const members = roster.slice(offset, offset + size).map((u) => toAccount(ctx, u));
  const next = offset + size < roster.length ? encodeToken(offset + size) : undefined;
  return { status: 200, body: next ? { continuationToken: next, members } : { members } };
}

// The token is opaque to clients; ours carries the offset.
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    return typeof o === 'number' && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** A TeamsChannelAccount (botframework-schema `TeamsChannelAccount`). */
function toAccount(ctx: SimContext, user: SimUser): Record<string, unknown> {
  return {
    id: user.botUserId,
    name: user.displayName,
    aadObjectId: user.id,
    givenName: user.givenName,
    surname: user.surname,
    email: user.mail,
    userPrincipalName: user.userPrincipalName,
    tenantId: ctx.state.tenantId,
    userRole: user.userType === 'Guest' ? 'guest' : 'user',
  };
}
