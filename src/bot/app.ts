import express, { type NextFunction, type Request, type Response } from 'express';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Logger } from '../log.js';

export interface BotAppOptions {
  adapter: CloudAdapter;
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
    const allowed = o.adminToken ? bearer === o.adminToken : LOOPBACK.has(req.socket.remoteAddress ?? '');
    if (!allowed) {
      res.status(o.adminToken ? 401 : 403).json({ error: o.adminToken ? 'a bearer token (TEAMS_ROLLOUT_ADMIN_TOKEN) is required' : 'the status page answers loopback callers only; set TEAMS_ROLLOUT_ADMIN_TOKEN to allow others' });
      return;
    }
    res.json(await o.status());
  });
  app.post('/api/messages', express.json({ limit: o.bodyLimit ?? '256kb', type: ['application/json', 'application/*+json'] }), async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      res.status(400).json({ error: 'the body must be a JSON activity' });
      return;
    }
    await o.adapter.process(req, res, o.onTurn);
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
