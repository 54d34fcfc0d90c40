import type { Refusal } from '../ledger/transitions.js';
import { ConnectorAttemptError } from '../bot/single-attempt-http-client.js';
import { isRetryable, type Failure } from '../pace/retry-policy.js';
import { parseRetryAfter, headerGetter } from '../pace/retry-after.js';
import { connectorErrorOf } from '../bot/connector-error-body.js';
import { tokenRefusalOf } from '../bot/token-refusal.js';
import { BotTokenRefusedError } from './bot-token-gate.js';
import type { Reason } from '../ledger/states.js';

/**
 * What a failed send means, from the Teams status-code table
 * (https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis,
 * wire-facts B2):
 *  - retry: 412/429/502/503/504 and a connection that never carried the request;
 *  - reresolve: 404 ConversationNotFound, 403 BotNotInConversationRoster — drop the cached
 *    reference and look the chat up again through Graph, once;
 *  - final: blocked by the user, bot disabled, bad message, 500 ServiceError…; a 403 whose code says the
 *    tenant refuses the bot for everyone (TenantNoPermission, CapabilityOverride) is final too, with the
 *    reason `bot_blocked_in_tenant`;
 *  - final too: Entra ID refusing the bot's own token before the send (`bot_unauthorized`, like the
 *    connector's 401), where a token endpoint that is unreachable or busy is retried;
 *  - unconfirmed: the connection broke after the request left — it may have been delivered, and a
 *    welcome is never sent twice, so it is reported rather than retried (PRODUCT.md §4).
 */
export type SendVerdict =
  | { kind: 'retry'; failure: Failure; detail: string }
  | { kind: 'reresolve'; refusal: Refusal }
  | { kind: 'final'; refusal: Refusal }
  | { kind: 'unconfirmed'; detail: string };

interface RestLike {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Refusals that hold for every send of this bot, not for the person: the first one stops the sender
 * (issue 11 major 2). A refused bot token (Entra ID's answer, or the connector's 401 "NotAuthorized …
 * check if the bot's credentials are valid", Teams status-code table) fails the same way for everyone.
 */
export const SENDER_STOPPING_REASONS: ReadonlySet<string> = new Set(['bot_unauthorized']);

/** The person blocked (or removed) the bot, in either body shape (wire-facts H1). */
const BLOCKED_BY_USER = new Set(['ConversationBlockedByUser', 'MessageWritesBlocked']);
/**
 * The tenant refuses the bot for everyone: getsentry/sentry's msteams integration halts on these
 * (wire-facts H1). [INF] No Microsoft page documents their bodies; they are read in either shape.
 */
export const TENANT_REFUSALS = new Set(['TenantNoPermission', 'CapabilityOverride']);

export function classifySendFailure(e: unknown, nowMs: number): SendVerdict {
  if (e instanceof BotTokenRefusedError) return { kind: 'final', refusal: e.refusal };
  if (e instanceof ConnectorAttemptError) {
    const f = e.failure;
    if (f.kind === 'network') {
      return f.sent ? { kind: 'unconfirmed', detail: `the connection failed after the message was sent (${f.code ?? f.message})` } : { kind: 'retry', failure: { kind: 'network', code: f.code ?? undefined }, detail: f.message };
    }
    const failure: Failure = { kind: 'status', status: f.status, retryAfterMs: parseRetryAfter(headerGetter(f.headers), nowMs) };
    if (isRetryable(failure)) return { kind: 'retry', failure, detail: `${f.status} ${f.code ?? ''} ${f.message}`.trim() };
    // The single-attempt client also hands back answers that botbuilder would retry but Teams says not to (500 ServiceError, 408).
    return refusalFor(f.status, f.code ? [f.code] : [], f.message);
  }
  // Entra ID refused the bot's own token (wrong or expired secret, unknown app): no retry changes that,
  // and every send would meet it (issue 11 major 2; token-refusal.ts cites the error table).
  const token = tokenRefusalOf(e);
  if (token) {
    const detail = `the bot's token was refused (${[token.status, token.error].filter(Boolean).join(' ')}): ${token.message}`.slice(0, 500);
    return { kind: 'final', refusal: { state: 'failed', reason: 'bot_unauthorized', statusCode: token.status, serviceCode: token.aadsts ?? token.error, detail } };
  }
  const r = e as RestLike;
  const status = typeof r?.statusCode === 'number' ? r.statusCode : null;
  if (status === null) {
    // Every HTTP attempt goes through our single-attempt client, so an error without a status was raised
    // before the send (getting the bot's token, building the request): nothing reached Teams.
    return { kind: 'retry', failure: { kind: 'network', code: (r as { code?: string })?.code }, detail: `before sending: ${r?.message ?? String(e)}`.slice(0, 500) };
  }
  // Read the body as Teams sent it: botframework-connector leaves `code` undefined for the
  // `{"errorCode":209,"message":"{…subCode…}"}` shape (wire-facts H1).
  const body = connectorErrorOf(e);
  return refusalFor(status, body.codes, body.message);
}

/** A refusal that no retry will change: final, or worth one fresh reference from Graph. */
function refusalFor(status: number, codes: string[], message: string): SendVerdict {
  const has = (...wanted: string[]) => codes.find((c) => wanted.includes(c));
  const detailFor = (code: string | null) => `${status} ${code ?? ''} ${message}`.trim().slice(0, 500);
  const refusal = (reason: Reason, code: string | null = codes[0] ?? null): Refusal => ({ state: 'failed', reason, statusCode: status, serviceCode: code, detail: detailFor(code) });
  if (status === 403) {
    const blocked = has(...BLOCKED_BY_USER);
    if (blocked) return { kind: 'final', refusal: refusal('bot_blocked_by_user', blocked) };
    const tenant = codes.find((c) => TENANT_REFUSALS.has(c));
    if (tenant) return { kind: 'final', refusal: refusal('bot_blocked_in_tenant', tenant) };
    const disabled = has('BotDisabledByAdmin');
    if (disabled) return { kind: 'final', refusal: refusal('bot_disabled_by_admin', disabled) };
    const roster = has('BotNotInConversationRoster', 'ForbiddenOperationException');
    if (roster) return { kind: 'reresolve', refusal: refusal('bot_not_in_roster', roster) };
    return { kind: 'final', refusal: refusal('unknown') };
  }
  if (status === 404) return { kind: 'reresolve', refusal: refusal('conversation_not_found') };
  if (status === 413) return { kind: 'final', refusal: refusal('message_rejected') };
  if (status === 400) return { kind: 'final', refusal: refusal('bad_request') };
  if (status === 401) return { kind: 'final', refusal: refusal('bot_unauthorized') };
  if (status >= 500) return { kind: 'final', refusal: refusal('service_error') };
  return { kind: 'final', refusal: refusal('unknown') };
}

/** One line for a failed connector call (a send, a create): what came back, for a person's detail. */
export function connectorFailureText(e: unknown, nowMs: number): string {
  const v = classifySendFailure(e, nowMs);
  return v.kind === 'final' || v.kind === 'reresolve' ? (v.refusal.detail ?? v.refusal.reason) : v.detail;
}
