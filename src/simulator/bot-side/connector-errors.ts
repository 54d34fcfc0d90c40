import type { BlockedBody } from '../types.js';

/**
 * The Bot Connector's answers, in the swagger's ErrorResponse shape `{error:{code,message}}`
 * (botframework-sdk specs/botframework-protocol/botframework-channel.json). Codes and messages are
 * those of the Teams table "Status codes from bot conversational APIs" (msteams-docs
 * bots/build-conversational-capability.md, wire-facts B2) unless marked otherwise.
 */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function connectorError(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

/**
 * The doc table spells the 400 code "Bad Argument", but the service answers `BadArgument`
 * (real bodies pasted in OfficeDev/microsoft-365-agents-toolkit#14321, botbuilder-python#366).
 */
export const badArgument = (message: string): Reply => connectorError(400, 'BadArgument', message);

/**
 * 401 for a missing or invalid bearer token. The real service answers ASP.NET's
 * `{"message":"Authorization has been denied for this request."}` (bot-docs#1593, #1548); we add the
 * ErrorResponse envelope so botbuilder's RestError carries a code. [INF] the `Unauthorized` code.
 */
export const unauthorized = (detail: string): Reply => ({
  status: 401,
  body: { message: 'Authorization has been denied for this request.', error: { code: 'Unauthorized', message: `Authorization has been denied for this request. ${detail}` } },
});

export const conversationNotFound = (): Reply => connectorError(404, 'ConversationNotFound', 'Conversation not found.');

/**
 * 403 for a person who blocked the bot, in the shape drawn for them (types.ts BlockedBody):
 *  - the messaging service's own body, no `error` envelope, the reason in a JSON string: verbatim from
 *    msteams-docs bots/how-to/conversations/send-proactive-messages.md ("Understand who blocked, muted, or
 *    uninstalled a bot"), `\r\n` and indentation included;
 *  - the ErrorResponse envelope of the status-code table (build-conversational-capability.md; msteams-docs#10229).
 */
export function blockedByUser(shape: BlockedBody = 'conversation-blocked'): Reply {
  if (shape === 'message-writes-blocked') return messageWritesBlocked('MessageWritesBlocked', 'Thread is blocked from message writes.');
  return connectorError(403, 'ConversationBlockedByUser', 'User blocked the conversation with the bot.');
}

/** `{"errorCode":209,"message":"<JSON with subCode>"}`, the body of send-proactive-messages.md. */
function messageWritesBlocked(subCode: string, details: string): Reply {
  const inner = `{\r\n  "subCode": ${JSON.stringify(subCode)},\r\n  "details": ${JSON.stringify(details)},\r\n  "errorCode": null,\r\n  "errorSubCode": null\r\n}`;
  return { status: 403, body: { errorCode: 209, message: inner } };
}

/**
 * The tenant refuses the bot for everyone (a control route sets it): getsentry/sentry's msteams integration
 * halts on `TenantNoPermission` and `CapabilityOverride` (wire-facts H1). [INF] No Microsoft page shows their
 * bodies: TenantNoPermission in the ErrorResponse envelope, CapabilityOverride in the errorCode/subCode shape,
 * so that the sender meets both shapes.
 */
export const TENANT_REFUSAL_CODES = ['TenantNoPermission', 'CapabilityOverride'] as const;
export type TenantRefusalCode = (typeof TENANT_REFUSAL_CODES)[number];

export function tenantRefusal(code: TenantRefusalCode): Reply {
  if (code === 'CapabilityOverride') return messageWritesBlocked('CapabilityOverride', 'Capability override.');
  return connectorError(403, 'TenantNoPermission', 'Tenant does not have permission to use this bot.');
}

export const notInRoster = (): Reply => connectorError(403, 'BotNotInConversationRoster', "The bot isn't part of the conversation roster.");

export const botDisabledByAdmin = (): Reply => connectorError(403, 'BotDisabledByAdmin', 'The tenant admin disabled this bot');

export const messageTooBig = (): Reply => connectorError(413, 'MessageSizeTooBig', 'Message size too large.');

/**
 * 429 "Too many requests." with Retry-After in whole seconds (the HTTP delay-seconds form). The rate-limit
 * page says to honour it (msteams-docs bots/how-to/rate-limit.md); botbuilder's client retries on it
 * by itself (wire-facts B2). Without the header botbuilder does not retry: the `429-no-retry-after` fault.
 */
export function throttled(retryAfterMs: number | null): Reply {
  const headers = retryAfterMs === null ? undefined : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
  return connectorError(429, 'Throttled', 'Too many requests.', headers);
}

/** The answer for a status fault drawn by FaultInjector (PRODUCT.md §7: 429, 503, 502 … by rate). */
export function faultReply(status: number, retryAfter: boolean): Reply {
  switch (status) {
    case 429:
      return throttled(retryAfter ? 1000 : null);
    case 412:
      return connectorError(412, 'PreconditionFailed', 'Precondition failed, please try again.');
    case 502:
      return connectorError(502, 'ServiceError', 'Bad gateway.');
    // The table gives no code for 503/504 ("—"). [INF] These bodies; no Retry-After on 503, the more
    // demanding choice: the client must back off by itself, as the table says.
    case 503:
      return connectorError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
    case 504:
      return connectorError(504, 'GatewayTimeout', 'The service did not answer in time.');
    default:
      return connectorError(status, 'ServiceError', 'Injected fault.');
  }
}
