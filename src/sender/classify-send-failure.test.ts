import { expect } from 'chai';
import { RestError } from '@azure/core-rest-pipeline';
import { ServerError } from '@azure/msal-node';
import { ConnectorAttemptError } from '../bot/single-attempt-http-client.js';
import { classifySendFailure, type SendVerdict } from './classify-send-failure.js';

const NOW = 1_700_000_000_000;

/** What botbuilder throws for an answer our single-attempt client passes on: a RestError with the body's code (wire-facts B2). */
const rest = (statusCode: number, code: string, message = 'm') => new RestError(message, { statusCode, code });
/** What our single-attempt client throws for the answers our retry policy judges (412, 429, 502, 503, 504). */
const attempt = (status: number, code: string | null, headers: Record<string, string> = {}) =>
  new ConnectorAttemptError({ kind: 'status', status, headers, code, message: 'm' });

type Expected = { kind: 'retry'; status: number; retryAfterMs?: number } | { kind: 'reresolve' | 'final'; reason: string; state?: 'failed' | 'skipped' } | { kind: 'unconfirmed' };

function summary(v: SendVerdict): Expected {
  switch (v.kind) {
    case 'retry':
      return v.failure.kind === 'status'
        ? { kind: 'retry', status: v.failure.status, ...(v.failure.retryAfterMs !== undefined ? { retryAfterMs: v.failure.retryAfterMs } : {}) }
        : { kind: 'retry', status: 0 };
    case 'reresolve':
    case 'final':
      return { kind: v.kind, reason: v.refusal.reason, state: v.refusal.state };
    case 'unconfirmed':
      return { kind: 'unconfirmed' };
  }
}

/**
 * Every row of the Teams table "Status codes from bot conversational APIs" (msteams-docs
 * bots/build-conversational-capability.md; wire-facts B2), in the form each reaches the sender.
 */
const TEAMS_TABLE: { row: string; error: unknown; expected: Expected }[] = [
  { row: '400 BadArgument', error: rest(400, 'BadArgument'), expected: { kind: 'final', reason: 'bad_request', state: 'failed' } },
  { row: '400 "Bad Argument" (the doc spelling)', error: rest(400, 'Bad Argument'), expected: { kind: 'final', reason: 'bad_request', state: 'failed' } },
  { row: '401 BotNotRegistered', error: rest(401, 'BotNotRegistered'), expected: { kind: 'final', reason: 'bot_unauthorized', state: 'failed' } },
  { row: '403 BotDisabledByAdmin', error: rest(403, 'BotDisabledByAdmin'), expected: { kind: 'final', reason: 'bot_disabled_by_admin', state: 'failed' } },
  { row: '403 BotNotInConversationRoster (wait for installationUpdate)', error: rest(403, 'BotNotInConversationRoster'), expected: { kind: 'reresolve', reason: 'bot_not_in_roster', state: 'failed' } },
  { row: '403 ConversationBlockedByUser (drop the conversation)', error: rest(403, 'ConversationBlockedByUser'), expected: { kind: 'final', reason: 'bot_blocked_by_user', state: 'failed' } },
  { row: "403 ForbiddenOperationException (bot isn't installed)", error: rest(403, 'ForbiddenOperationException'), expected: { kind: 'reresolve', reason: 'bot_not_in_roster', state: 'failed' } },
  { row: '403 InvalidBotApiHost', error: rest(403, 'InvalidBotApiHost'), expected: { kind: 'final', reason: 'unknown', state: 'failed' } },
  { row: '403 NotEnoughPermissions', error: rest(403, 'NotEnoughPermissions'), expected: { kind: 'final', reason: 'unknown', state: 'failed' } },
  { row: '404 ActivityNotFoundInConversation', error: rest(404, 'ActivityNotFoundInConversation'), expected: { kind: 'reresolve', reason: 'conversation_not_found', state: 'failed' } },
  { row: '404 ConversationNotFound (drop the cached id)', error: rest(404, 'ConversationNotFound'), expected: { kind: 'reresolve', reason: 'conversation_not_found', state: 'failed' } },
  { row: '412 PreconditionFailed (exponential backoff)', error: attempt(412, 'PreconditionFailed'), expected: { kind: 'retry', status: 412 } },
  { row: '413 MessageSizeTooBig', error: rest(413, 'MessageSizeTooBig'), expected: { kind: 'final', reason: 'message_rejected', state: 'failed' } },
  { row: '429 Throttled with Retry-After', error: attempt(429, 'Throttled', { 'Retry-After': '3' }), expected: { kind: 'retry', status: 429, retryAfterMs: 3000 } },
  { row: '500 ServiceError (no retry), as the single-attempt client hands it back', error: attempt(500, 'ServiceError'), expected: { kind: 'final', reason: 'service_error', state: 'failed' } },
  { row: '500 ServiceError (no retry), as a RestError', error: rest(500, 'ServiceError'), expected: { kind: 'final', reason: 'service_error', state: 'failed' } },
  { row: '502 ServiceError (exponential backoff)', error: attempt(502, 'ServiceError'), expected: { kind: 'retry', status: 502 } },
  { row: '503 (exponential backoff)', error: attempt(503, null), expected: { kind: 'retry', status: 503 } },
  { row: '504 (exponential backoff)', error: attempt(504, null), expected: { kind: 'retry', status: 504 } },
];

describe('classifySendFailure: what a failed welcome send means (wire-facts B2)', () => {
  for (const { row, error, expected } of TEAMS_TABLE) {
    it(`${row} → ${expected.kind}${'reason' in expected ? ` ${expected.reason}` : ''}`, () => {
      expect(summary(classifySendFailure(error, NOW))).to.deep.equal(expected);
    });
  }

  it('a 408 handed back by the single-attempt client is final (not in the retry list of PRODUCT.md §5)', () => {
    expect(summary(classifySendFailure(attempt(408, null), NOW))).to.deep.equal({ kind: 'final', reason: 'unknown', state: 'failed' });
  });

  it('a 500 handed back by the single-attempt client keeps its code for the report', () => {
    const v = classifySendFailure(attempt(500, 'ServiceError'), NOW);
    expect(v.kind === 'final' && v.refusal).to.include({ statusCode: 500, serviceCode: 'ServiceError' });
  });

  it('keeps the HTTP status and the service code of a refusal for the report', () => {
    const v = classifySendFailure(rest(403, 'ConversationBlockedByUser', 'User blocked the conversation with the bot.'), NOW);
    if (v.kind !== 'final') return expect.fail(v.kind);
    expect(v.refusal).to.include({ statusCode: 403, serviceCode: 'ConversationBlockedByUser' });
    expect(v.refusal.detail).to.contain('User blocked the conversation with the bot.');
  });

  it("does not keep botbuilder's generic REST_ERROR as a service code", () => {
    const v = classifySendFailure(rest(404, 'REST_ERROR'), NOW);
    expect(v.kind === 'reresolve' && v.refusal.serviceCode).to.equal(null);
  });

  describe('Retry-After in every form the connector pipeline honours', () => {
    const forms: [string, Record<string, string>, number | undefined][] = [
      ['delta-seconds', { 'Retry-After': '2' }, 2000],
      ['fractional seconds', { 'retry-after': '1.5' }, 1500],
      ['retry-after-ms', { 'retry-after-ms': '250' }, 250],
      ['x-ms-retry-after-ms', { 'x-ms-retry-after-ms': '40' }, 40],
      ['an HTTP-date', { 'Retry-After': new Date(NOW + 4000).toUTCString() }, 4000],
      ['none (a 429 without the header)', {}, undefined],
    ];
    for (const [name, headers, ms] of forms) {
      it(`${name} → ${ms ?? 'no'} wait`, () => {
        const v = classifySendFailure(attempt(429, 'Throttled', headers), NOW);
        if (v.kind !== 'retry' || v.failure.kind !== 'status') return expect.fail(v.kind);
        expect(v.failure.retryAfterMs).to.equal(ms);
      });
    }
  });

  describe('network failures (ConnectorAttemptError kind network)', () => {
    it('a connection that never carried the request (refused) → retry: nothing can have been delivered', () => {
      const v = classifySendFailure(new ConnectorAttemptError({ kind: 'network', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', sent: false }), NOW);
      expect(v).to.deep.include({ kind: 'retry', failure: { kind: 'network', code: 'ECONNREFUSED' } });
    });

    it('a connection that broke after the request left (reset) → unconfirmed: never resent, reported (PRODUCT.md §4)', () => {
      const v = classifySendFailure(new ConnectorAttemptError({ kind: 'network', code: 'ECONNRESET', message: 'socket hang up', sent: true }), NOW);
      expect(v.kind).to.equal('unconfirmed');
      expect(v.kind === 'unconfirmed' && v.detail).to.contain('ECONNRESET');
    });

    it("Entra ID refusing the bot's token (AADSTS7000215, wrong secret) → final bot_unauthorized, with the AADSTS code: no retry changes it (issue 11 major 2)", () => {
      const v = classifySendFailure(new ServerError('invalid_client', 'Error(s): 7000215 - Timestamp: x - Description: AADSTS7000215: Invalid client secret provided. Trace ID: t Correlation ID: c', '', '7000215', 401), NOW);
      if (v.kind !== 'final') return expect.fail(v.kind);
      expect(v.refusal).to.include({ state: 'failed', reason: 'bot_unauthorized', statusCode: 401, serviceCode: 'AADSTS7000215' });
      expect(v.refusal.detail).to.contain('Invalid client secret provided');
    });

    it('a busy token endpoint (503 temporarily_unavailable) → retry', () => {
      const v = classifySendFailure(new ServerError('temporarily_unavailable', 'AADSTS90033: A transient error has occurred.', '', '90033', 503), NOW);
      expect(v.kind).to.equal('retry');
    });

    it('an error raised before any HTTP attempt (getting the bot token) → retry, as nothing reached Teams', () => {
      const v = classifySendFailure(Object.assign(new Error('endpoints_resolution_error'), { code: 'endpoints_resolution_error' }), NOW);
      expect(v).to.deep.include({ kind: 'retry', failure: { kind: 'network', code: 'endpoints_resolution_error' } });
    });
  });
});
