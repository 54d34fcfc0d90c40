import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createServer as createHttpsServer } from 'node:https';
import { createSystemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import { createHttpApp, createHttpsApp } from './apps.js';
import { createBuckets } from './buckets.js';
import { createChannel } from './channel.js';
import type { SimContext, SimUrls } from './context.js';
import { CONVERSATION_ID_FORMS, SERVICE_URL_FORMS, simUrls, tenantEnv, type ConversationIdForm, type ServiceUrlForm } from './env.js';
import { FaultInjector, parseFaults } from './faults.js';
import { parseLimits } from './limits.js';
import { closeServer, listen } from './listeners.js';
import { makeSigningKeyAsync } from './signing-keys.js';
import { simCloud, type SimCloudName } from './cloud.js';
import { TenantState } from './state.js';
import { makeTlsMaterial, type TlsMaterial } from './tls.js';

export interface StartTenantOptions {
  /** People in the tenant. @default 1000 */
  users?: number;
  /** Seed of the population and the fault draws. @default 1 */
  seed?: string | number;
  /** Fault rates (faults.ts), e.g. `429=5%,lost-events=2%`. @default none */
  faults?: string;
  /** Rate limits (limits.ts): `published`, `off`, `x100`, `graph-post=60`… @default 'published' */
  limits?: string;
  /** Where the Teams channel posts install events; null/absent records them as 'no-endpoint'. */
  botEndpoint?: string;
  /** Address both listeners bind to. @default '127.0.0.1' */
  host?: string;
  /** HTTP port (Bot Framework metadata, connector, /_sim). @default 0 (any free port) */
  httpPort?: number;
  /** HTTPS port (token issuer, Graph). @default 0 (any free port) */
  httpsPort?: number;
  /** Certificate and key; made fresh (self-signed) when absent. */
  tls?: TlsMaterial;
  /** Delay range of each install event, ms. @default [50, 600] */
  eventDelayMs?: [number, number];
  /** The serviceUrl in the channel's activities (env.ts): `tenant` = `…/amer/{tenantId}/`, `regional` = `…/amer/`. @default 'tenant' */
  serviceUrl?: ServiceUrlForm;
  /** The personal conversation ids in install events (env.ts ConversationIdForm): `a:…`, Graph's `19:…@unq.gbl.spaces`, or each person one of the two. @default 'a' */
  conversationIds?: ConversationIdForm;
  /** The cloud the tenant lives in (cloud.ts): its tokens are for that cloud's Graph and Bot Framework, and its env sets TEAMS_CLOUD. @default 'Public' */
  cloud?: SimCloudName;
  /** Graph application roles granted to the app. @default DEFAULT_ROLES (state.ts) */
  roles?: string[];
  /** @default the system clock */
  clock?: Clock;
  /** @default silent */
  log?: Logger;
}

export interface RunningTenant {
  tenantId: string;
  /** The manifest id (the catalogue's externalId), what TEAMS_APP_ID holds. */
  teamsAppId: string;
  /** The catalogue's own id for the app (teamsApp.id). */
  catalogAppId: string;
  botAppId: string;
  clientId: string;
  clientSecret: string;
  urls: SimUrls;
  inspectUrl: string;
  /** Every setting the other commands need to use this tenant (env.ts). */
  env: Record<string, string>;
  state: TenantState;
  ctx: SimContext;
  setBotEndpoint(url: string | null): void;
  stop(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts the simulated Microsoft 365 tenant (PRODUCT.md §7): one HTTPS server (Entra ID token issuer +
 * Graph, HTTPS because the real clients insist, wire-facts C/D) and one HTTP server (Bot Framework
 * metadata, Bot Connector, `/_sim` inspection and control), both on `host`.
 */
export async function startTenant(options: StartTenantOptions = {}): Promise<RunningTenant> {
  const users = options.users ?? 1000;
  if (!Number.isInteger(users) || users < 1) throw new Error(`--users: expected a whole number of people (1 or more), got ${users}`);
  const seed = options.seed ?? 1;
  if (options.serviceUrl !== undefined && !SERVICE_URL_FORMS.includes(options.serviceUrl)) {
    throw new Error(`--service-url: expected ${SERVICE_URL_FORMS.join(' or ')}, got "${options.serviceUrl}"`);
  }
  const limits = parseLimits(options.limits);
  const faults = new FaultInjector(parseFaults(options.faults), seed);
  const clock = options.clock ?? createSystemClock();
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  // Keys and certificate are made on the thread pool while the population is built on this thread.
  const material = Promise.all([options.tls ?? makeTlsMaterial(), makeSigningKeyAsync(), makeSigningKeyAsync(), makeSigningKeyAsync()]);
  material.catch(() => {}); // awaited below; this only keeps an early failure from being reported as unhandled
  if (options.conversationIds !== undefined && !CONVERSATION_ID_FORMS.includes(options.conversationIds)) {
    throw new Error(`--conversation-ids: expected ${CONVERSATION_ID_FORMS.join(', ')}, got "${options.conversationIds}"`);
  }
  const cloud = simCloud(options.cloud);
  const state = new TenantState({ users, seed, now: clock.now(), conversationIds: options.conversationIds });
  const [tls, issuerKey, channelKey, unendorsedKey] = await material;
  if (options.roles) state.roles = [...options.roles];
  state.botEndpoint = options.botEndpoint ?? null;

  // Listen first with late-bound handlers, so the routers are made knowing the real ports (their URLs).
  const notReady: Handler = (_req, res) => res.writeHead(503, { 'Retry-After': '1' }).end();
  let onHttps: Handler = notReady;
  let onHttp: Handler = notReady;
  const httpsServer = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => onHttps(req, res));
  const httpServer = createHttpServer((req, res) => onHttp(req, res));
  const servers = [httpsServer, httpServer];
  // The certificate folder made at start goes with the tenant (one given in options.tls is the caller's).
  const removeOwnCertificate = () => (options.tls ? undefined : rmSync(path.dirname(tls.certPath), { recursive: true, force: true }));
  try {
    const httpsPort = await listen(httpsServer, options.httpsPort ?? 0, host);
    const httpPort = await listen(httpServer, options.httpPort ?? 0, host);
    const urls = simUrls(host, httpsPort, httpPort, { tenantId: state.tenantId, serviceUrl: options.serviceUrl ?? 'tenant' });
    const ctx: SimContext = {
      state,
      clock,
      log,
      limits,
      buckets: createBuckets(limits, clock.now()),
      faults,
      issuerKey,
      channelKey,
      unendorsedKey,
      urls,
      cloud,
      eventDelayMs: options.eventDelayMs ?? [50, 600],
      channel: { installed() {}, uninstalled() {} },
    };
    const channel = createChannel(ctx);
    ctx.channel = channel;
    onHttps = createHttpsApp(ctx);
    onHttp = createHttpApp(ctx);
    log.info('simulated tenant ready', { users, graph: urls.graph, http: urls.http });
    let stopping: Promise<void> | undefined;
    return {
      tenantId: state.tenantId,
      teamsAppId: state.app.externalId,
      catalogAppId: state.app.id,
      botAppId: state.clientId,
      clientId: state.clientId,
      clientSecret: state.clientSecret,
      urls,
      inspectUrl: urls.inspect,
      env: tenantEnv(state, urls, tls.certPath, cloud),
      state,
      ctx,
      setBotEndpoint: (url) => {
        state.botEndpoint = url;
      },
      stop: () => (stopping ??= Promise.all([channel.close(), ...servers.map(closeServer)]).then(removeOwnCertificate)),
    };
  } catch (e) {
    await Promise.all(servers.map(closeServer));
    removeOwnCertificate();
    throw e;
  }
}
