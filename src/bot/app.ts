import express, { type NextFunction, type Request, type Response } from 'express';
import type { TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Activity } from 'botframework-schema';
import type { Logger } from '../log.js';
import type { BotAdapter } from './adapter.js';
import { isAdminToken } from './admin-token.js';

export interface BotAppOptions {
  adapter: BotAdapter;
  onTurn: (context: TurnContext) => Promise<void>;
  log: Logger;
  /** JSON for GET /status (counts, sender); served to loopback callers, or to anyone with the admin token. */
  status: () => Promise<unknown>;
  adminToken?: string | undefined;
  /** Request body limit. Teams activities are a few KB. @default '256kb' */
  bodyLimit?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The bot's HTTP face, without listen() (the caller decides where): POST /api/messages through
 * botbuilder's CloudAdapter, which answers 401 to anything without a valid Bot Framework token
 * (PRODUCT.md §6); a size-limited JSON parser with 400 for malformed bodies; GET /healthz for load
 * balancers; GET /status for operators.
 */
export function createBotApp(o: BotAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/status', async (req, res) => {
    const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    // Behind a reverse proxy on the same machine every caller is 127.0.0.1: a forwarded request is not a local one.
    const forwarded = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via'].some((h) => req.headers[h] !== undefined);
    const local = LOOPBACK.has(req.socket.remoteAddress ?? '') && !forwarded;
    const allowed = o.adminToken ? isAdminToken(bearer, o.adminToken) : local;
    if (!allowed) {
      res.status(o.adminToken ? 401 : 403).json({ error: o.adminToken ? 'a bearer token (TEAMS_ROLLOUT_ADMIN_TOKEN) is required' : 'the status page answers local callers only (not forwarded by a proxy); set TEAMS_ROLLOUT_ADMIN_TOKEN to allow others' });
      return;
    }
    res.json(await o.status());
  });
  app.post('/api/messages', express.json({ limit: o.bodyLimit ?? '256kb', type: ['application/json', 'application/*+json'] }), async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.status(400).json({ error: 'the body must be a JSON activity' });
      return;
    }
    const activity = req.body as Activity;
    if (typeof activity.type !== 'string' || activity.type === '') {
      res.status(400).json({ error: 'the activity has no type' });
      return;
    }
    try {
      const invoke = await o.adapter.processParsed(req.headers.authorization ?? '', activity, o.onTurn);
      if (invoke?.body !== undefined) res.status(invoke.status ?? 200).json(invoke.body);
      else res.status(invoke?.status ?? 200).end();
    } catch (e) {
      if (e instanceof AuthenticationError) {
        // Expected on a public endpoint (scanners, a misconfigured bot): one line, no stack (PRODUCT.md §6: 401, nothing stored).
        o.log.warn('refused an activity without a valid Bot Framework token', { reason: e.message.split('\n')[0], from: req.ip });
        res.status(401).json({ error: 'a valid Bot Framework token is required' });
        return;
      }
      o.log.error('the bot failed on an activity', { type: activity.type, error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    }
  });
  // express.json's own errors: malformed JSON (400) and a body over the limit (413); no stack traces out.
  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) o.log.error('bot endpoint error', { error: err.message });
    res.status(status).json({ error: status === 400 ? 'malformed JSON' : status === 413 ? 'request body too large' : 'internal error' });
  });
  return app;
}
