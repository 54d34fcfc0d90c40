import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { SimContext } from '../context.js';
import { verifyBotFrameworkToken } from '../verify-token.js';
import { badArgument, botDisabledByAdmin, connectorError, faultReply, tenantRefusal, throttled, unauthorized, type Reply } from './connector-errors.js';

/**
 * One Bot Connector operation. Every request goes through the same steps, in the order a client
 * meets them: bearer token (401), the app's 50 rps per tenant (429), the conversation's windows for
 * sends and creates (429), then an injected fault, then the operation itself.
 */
export interface Operation {
  /** Counted in the inspection's `requests`, e.g. `bot.activities.send`. */
  label: string;
  /** The thread whose per-conversation windows this call spends (sends and creates only). */
  thread?: (req: Request) => string | undefined;
  handle: (req: Request, res: Response) => Reply | Promise<Reply>;
}

export function sendReply(res: Response, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}

/** The route's chain: guard (token, app bucket) before the body is read, then the body, then the rest. */
export function operation(ctx: SimContext, op: Operation): Array<RequestHandler | ErrorRequestHandler> {
  const log = ctx.log.child('connector');
  const answer = (res: Response, reply: Reply) => {
    ctx.state.countRequest(op.label, reply.status);
    ctx.state.noteClient(op.label, res.req.socket.remotePort);
    sendReply(res, reply);
  };

  const guard: RequestHandler = async (req, res, next) => {
    const now = ctx.clock.now();
    // The bot's token from our Entra ID: signature, lifetime, aud https://api.botframework.com, tenant (B3).
    const verified = await verifyBotFrameworkToken(ctx, req.headers.authorization);
    if (!verified.ok) return answer(res, unauthorized(verified.message));
    const appId = verified.claims.appid ?? verified.claims.azp;
    if (appId !== ctx.state.clientId) return answer(res, unauthorized(`The token was issued to app ${String(appId)}, not to the bot.`));
    // "The global limit per app per tenant is 50 Requests Per Second" (msteams-docs bots/how-to/rate-limit.md).
    const global = ctx.buckets.bot.take(now);
    if (!global.ok) return answer(res, throttled(global.retryAfterMs));
    // "403 BotDisabledByAdmin: The tenant admin disabled this bot" (build-conversational-capability.md, wire-facts B2).
    if (ctx.state.botDisabledByAdmin) return answer(res, botDisabledByAdmin());
    // The tenant refuses the bot for everyone (POST /_sim/tenant-refusal): TenantNoPermission or CapabilityOverride.
    if (ctx.state.tenantRefusal) return answer(res, tenantRefusal(ctx.state.tenantRefusal));
    next();
  };

  const body = express.json({
    limit: '1mb',
    type: () => true,
    // The raw size, for the message size limit (send-activity.ts).
    verify: (_req, res, buf) => {
      (res as Response).locals.bodyBytes = buf.length;
    },
  });

  const run: RequestHandler = async (req, res) => {
    const thread = op.thread?.(req);
    if (thread !== undefined) {
      // Per bot per thread: 7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per hour (rate-limit.md, "Per bot per thread limit").
      const windows = ctx.buckets.conversations.take(thread, ctx.clock.now());
      if (!windows.ok) return answer(res, throttled(windows.retryAfterMs));
    }
    const fault = ctx.faults.draw('bot');
    if (fault?.kind === 'reset') {
      ctx.state.countRequest(op.label, 0);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') return answer(res, faultReply(fault.status, fault.retryAfter));
    if (fault?.kind === 'slow') await ctx.clock.sleep(fault.ms);
    try {
      answer(res, await op.handle(req, res));
    } catch (e) {
      log.error('connector operation failed', { label: op.label, error: (e as Error).message });
      answer(res, connectorError(500, 'ServiceError', 'The simulator failed on this request.'));
    }
  };

  // Malformed JSON or an oversized body: BadArgument, in the connector's error shape.
  const bodyErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return answer(res, badArgument('The request body is not valid JSON.'));
    if (type === 'entity.too.large') return answer(res, connectorError(413, 'MessageSizeTooBig', 'Message size too large.'));
    next(err);
  };
  return [guard, body, run, bodyErrors];
}
