import express from 'express';
import type { SimContext } from './context.js';
import { operation } from './bot-side/connector-pipeline.js';
import { createConversation, createThreadKey } from './bot-side/create-conversation.js';
import { getMember, getMembers, getPagedMembers } from './bot-side/members.js';
import { createActivityIds, sendActivity, sendThreadKey } from './bot-side/send-activity.js';

/**
 * The Bot Connector v3 REST API as Teams serves it (wire-facts B2; the swagger
 * botframework-sdk specs/botframework-protocol/botframework-channel.json), mounted at the root of the
 * simulator's HTTP app. Routes live under any prefix, one segment or more: the regional serviceUrl
 * `…/amer/`, the tenant-scoped form `…/amer/{tenantId}/` and the global proactive endpoint `…/teams/`
 * (wire-facts B7) all reach the same conversations.
 */
export function createConnectorRouter(ctx: SimContext): express.Router {
  const router = express.Router();
  const nextActivityId = createActivityIds(() => ctx.clock.now());
  const base = '/*prefix/v3/conversations';

  router.post(base, ...operation(ctx, { label: 'bot.conversations.create', thread: (req) => createThreadKey(ctx, req), handle: (req) => createConversation(ctx, req) }));

  const send = operation(ctx, { label: 'bot.activities.send', thread: sendThreadKey, handle: (req, res) => sendActivity(ctx, nextActivityId, req, res) });
  router.post(`${base}/:conversationId/activities`, ...send);
  router.post(`${base}/:conversationId/activities/:activityId`, ...send);

  router.get(`${base}/:conversationId/members/:memberId`, ...operation(ctx, { label: 'bot.members.get', handle: (req) => getMember(ctx, req) }));
  router.get(`${base}/:conversationId/members`, ...operation(ctx, { label: 'bot.members.get', handle: (req) => getMembers(ctx, req) }));
  router.get(`${base}/:conversationId/pagedmembers`, ...operation(ctx, { label: 'bot.pagedmembers', handle: (req) => getPagedMembers(ctx, req) }));
  return router;
}
