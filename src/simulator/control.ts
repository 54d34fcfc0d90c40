import express from 'express';
import { announce } from './announce.js';
import { createBuckets } from './buckets.js';
import type { SimContext } from './context.js';
import { parseFaults } from './faults.js';
import { parseLimits } from './limits.js';
import { TENANT_REFUSAL_CODES, type TenantRefusalCode } from './bot-side/connector-errors.js';
import { BLOCKED_BODIES, type BlockedBody, type SimUser } from './types.js';
import { usersCsv } from './users-csv.js';

const MAX_NEW_USERS = 100_000;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const userView = (ctx: SimContext, u: SimUser): Record<string, unknown> => ctx.state.userView(u);

/**
 * The inspection and control API under `/_sim/` on the HTTP listener (which binds to loopback unless
 * told otherwise): what the tenant received (checks/README.md fixes the inspection's shape), and knobs a
 * test turns mid-run: new hires, an uninstall, a user who blocks the bot (in either 403 body) or deletes the chat,
 * the tenant refusing the bot for everyone (TenantNoPermission / CapabilityOverride), the app re-uploaded (a new catalogue id), the Graph
 * roles granted to the app, the bot's secret expiring and its token lifetime, fault rates, rate limits.
 */
export function createControlRouter(ctx: SimContext): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '64kb' }));
  const user = (req: express.Request) => {
    const u = ctx.state.findUser(String(req.params.id));
    if (!u) throw new ControlError(404, `No user '${req.params.id}' in the simulated tenant.`);
    return u;
  };
  const body = (req: express.Request) => (req.body ?? {}) as Record<string, unknown>;

  r.get('/inspect', (req, res) => {
    res.json(ctx.state.inspect({ users: req.query.users !== 'false', messages: req.query.messages !== 'false' }));
  });
  r.get('/users.csv', (req, res) => {
    res.type('text/csv').send(usersCsv(ctx.state.users, Math.max(1, Number(req.query['per-kind']) || 3)));
  });
  r.post('/bot-endpoint', (req, res) => {
    const url = body(req).url;
    if (url !== null && (typeof url !== 'string' || !URL.canParse(url))) throw new ControlError(400, 'Send {"url": "http://host:port/api/messages"} or {"url": null}.');
    ctx.state.botEndpoint = url;
    res.json({ botEndpoint: url });
  });
  r.post('/users', (req, res) => {
    const count = body(req).count ?? 1;
    if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_NEW_USERS) throw new ControlError(400, `Send {"count": N} with 1 <= N <= ${MAX_NEW_USERS}.`);
    const added = ctx.state.addUsers(count as number, ctx.clock.now());
    res.status(201).json({ users: added.map((u) => userView(ctx, u)) });
  });
  r.post('/users/:id/uninstall', (req, res) => {
    const u = user(req);
    const inst = ctx.state.uninstall(u.id, ctx.state.app.id);
    if (!inst) throw new ControlError(404, `The app is not installed for '${u.userPrincipalName}'.`);
    announce(ctx, 'uninstalled', u, inst);
    res.json({ uninstalled: inst });
  });
  r.post('/users/:id/block-bot', (req, res) => {
    const u = user(req);
    const shape = body(req).body ?? 'message-writes-blocked';
    if (!(BLOCKED_BODIES as readonly unknown[]).includes(shape)) throw new ControlError(400, `Send {} or {"body": "${BLOCKED_BODIES.join('" | "')}"} (which of Teams' two 403 bodies their sends get).`);
    u.kind = 'blocked_bot';
    u.blockedBody = shape as BlockedBody;
    res.json({ user: userView(ctx, u) });
  });
  r.post('/users/:id/delete-chat', (req, res) => {
    const u = user(req);
    const deleted: string[] = [];
    for (const c of ctx.state.conversations.values()) {
      if (c.kind !== 'personal' || c.userId !== u.id) continue;
      c.deleted = true;
      deleted.push(c.id);
    }
    res.json({ deletedConversations: deleted });
  });
  r.post('/users/:id/delete', (req, res) => {
    const u = user(req);
    ctx.state.removeUser(u.id);
    res.json({ user: userView(ctx, u) });
  });
  r.post('/app/reupload', (_req, res) => {
    res.json(ctx.state.reuploadApp());
  });
  // A new version of the app: everyone who has it gets installationUpdate add-upgrade (subscribe-to-conversation-events.md).
  r.post('/app/upgrade', (_req, res) => {
    let announced = 0;
    for (const u of ctx.state.users) {
      const inst = u.deleted ? undefined : ctx.state.installation(u.id, ctx.state.app.id);
      if (!inst) continue;
      announce(ctx, 'upgraded', u, inst);
      announced++;
    }
    res.json({ upgraded: announced });
  });
  r.post('/bot-disabled', (req, res) => {
    const disabled = body(req).disabled;
    if (typeof disabled !== 'boolean') throw new ControlError(400, 'Send {"disabled": true} (the tenant admin blocks the bot) or {"disabled": false}.');
    ctx.state.botDisabledByAdmin = disabled;
    res.json({ botDisabledByAdmin: disabled });
  });
  r.post('/tenant-refusal', (req, res) => {
    const code = body(req).code;
    if (code !== null && !(TENANT_REFUSAL_CODES as readonly unknown[]).includes(code)) {
      throw new ControlError(400, `Send {"code": "${TENANT_REFUSAL_CODES.join('" | "')}"} (the tenant refuses the bot for everyone) or {"code": null}.`);
    }
    ctx.state.tenantRefusal = code as TenantRefusalCode | null;
    res.json({ tenantRefusal: code });
  });
  r.post('/bot-token', (req, res) => {
    const { secretExpired, lifetimeSeconds, expiresAfterGrants } = body(req);
    const badLifetime = lifetimeSeconds !== undefined && (!Number.isInteger(lifetimeSeconds) || (lifetimeSeconds as number) < 1 || (lifetimeSeconds as number) > 86_400);
    const badGrants = expiresAfterGrants !== undefined && expiresAfterGrants !== null && (!Number.isInteger(expiresAfterGrants) || (expiresAfterGrants as number) < 1);
    if ((secretExpired !== undefined && typeof secretExpired !== 'boolean') || badLifetime || badGrants || (secretExpired === undefined && lifetimeSeconds === undefined && expiresAfterGrants === undefined)) {
      throw new ControlError(400, 'Send {"secretExpired": true} (Bot Framework token requests are answered AADSTS7000222 from now on), {"lifetimeSeconds": N} (1 to 86400, for the Bot Framework tokens issued from now on) and/or {"expiresAfterGrants": N} (the secret expires after N more Bot Framework tokens; null cancels).');
    }
    if (typeof secretExpired === 'boolean') ctx.state.botToken.secretExpired = secretExpired;
    if (typeof lifetimeSeconds === 'number') ctx.state.botToken.lifetimeSeconds = lifetimeSeconds;
    if (expiresAfterGrants !== undefined) ctx.state.botToken.expiresAfterGrants = expiresAfterGrants as number | null;
    res.json({ botToken: ctx.state.botToken });
  });
  r.post('/roles', (req, res) => {
    const roles = body(req).roles;
    if (!Array.isArray(roles) || !roles.every((x) => typeof x === 'string')) throw new ControlError(400, 'Send {"roles": ["User.Read.All", …]}.');
    ctx.state.roles = roles as string[];
    res.json({ roles, note: 'Tokens issued from now on carry these roles.' });
  });
  r.post('/faults', (req, res) => {
    const rates = parseFaults(spec(body(req).spec));
    Object.assign(ctx.faults.rates, rates);
    res.json({ faults: rates });
  });
  r.post('/limits', (req, res) => {
    const limits = parseLimits(spec(body(req).spec));
    Object.assign(ctx.limits, limits);
    Object.assign(ctx.buckets, createBuckets(limits, ctx.clock.now()));
    res.json({ limits: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, Number.isFinite(v) ? v : 'off'])) });
  });

  r.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    // A ControlError says its status; body-parser's errors carry a 4xx `status`; parse errors of a spec name their flag.
    const parserStatus = (err as { status?: number } | null)?.status;
    const specError = err instanceof Error && /^--(faults|limits)/.test(err.message);
    const status = err instanceof ControlError ? err.status : parserStatus && parserStatus < 500 ? parserStatus : specError ? 400 : 500;
    res.status(status).json({ error: { code: status === 404 ? 'NotFound' : status === 400 ? 'BadRequest' : 'InternalError', message: (err as Error)?.message ?? String(err) } });
  });
  return r;
}

function spec(v: unknown): string {
  if (typeof v !== 'string') throw new ControlError(400, 'Send {"spec": "…"} (the same text as the command-line flag).');
  return v;
}
