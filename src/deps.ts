import type { TokenCredential } from '@azure/identity';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createSystemClock, type Clock } from './clock.js';
import { FatalRunError, errorMessage } from './errors.js';
import type { Config } from './config.js';
import { createGraphClient } from './graph/client.js';
import { createGraphCredential } from './graph/credential.js';
import { cachingCredential } from './graph/caching-credential.js';
import type { GraphClass } from './graph/request-class.js';
import { createGraphStats, type GraphStats } from './graph/stats.js';
import { tenantIdFromToken } from './graph/tenant-id.js';
import { newHolderId } from './lease-holder.js';
import { createLogger, type Logger, type LogLevel } from './log.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './pace/retry-policy.js';
import type { InstallRunDeps } from './installer/run.js';
import { TokenBucket } from './pace/token-bucket.js';
import { openStore } from './store/open.js';
import { createCloudAdapter, type BotAdapter } from './bot/adapter.js';
import { createSingleAttemptHttpClient } from './bot/single-attempt-http-client.js';
import { isHolderDead } from './lease-holder.js';
import type { GraphReferenceDeps } from './references/resolve-via-graph.js';
import { untrustedCertificate } from './net/tls-trust.js';
import { createFetchHttpClient } from './net/fetch-http-client.js';
import { createOutboundFetch, type Fetch } from './net/outbound-fetch.js';
import { BotPacing } from './sender/bot-pacing.js';
import { loadWelcomeCard, type RolloutContext, type WelcomeCard } from './sender/card.js';
import { createConnectorCreate, type ConnectorCreate } from './sender/connector-create.js';
import { pacedBotCall } from './sender/paced-bot-call.js';
import { createConnectorSend, type ConnectorSend } from './sender/connector-send.js';
import { WelcomeWorker } from './sender/welcome-worker.js';
import { BotTokenGate } from './sender/bot-token-gate.js';
import { botTokenSource } from './bot/bot-token.js';
import type { Refusal } from './ledger/transitions.js';
import { CatalogResolver } from './installer/catalog-resolver.js';
import type { Store } from './store/types.js';

/**
 * The composition root: the one place where real clients, the clock, the store and the logger are
 * made. Everything else receives them as parameters.
 */
export interface CoreDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  store: Store;
  holderId: string;
  /** What every outbound call is sent with: through the configured proxy (net/outbound-fetch.ts). */
  fetch: Fetch;
  /** The one retry policy of every Graph and Bot Connector call (RETRY_MAX_ATTEMPTS), built here once. */
  policy: RetryPolicy;
}

export const retryPolicyFor = (config: Config): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, maxAttempts: config.retryMaxAttempts });

export interface GraphDeps {
  credential: TokenCredential;
  graph: Client;
  graphStats: GraphStats;
  graphBaseUrl: string;
  /** The tenant GUID (from the token), which keys the ledger. */
  tenantId: string;
  /** TEAMS_APP_ID's catalogue entry: the one resolver of this process, for the installer and the sender alike. */
  catalog: CatalogResolver | undefined;
  /** Graph look-ups of a person's chat through that resolver: the installer's settle and the sender's stale chats share them. */
  references: GraphReferenceDeps | undefined;
}

export async function createCoreDeps(config: Config, options: { verbose?: boolean; readOnly?: boolean } = {}): Promise<CoreDeps> {
  const level: LogLevel = options.verbose ? 'debug' : config.logLevel;
  return {
    config,
    clock: createSystemClock(),
    log: createLogger(level, config.logFormat),
    store: await openStore(config.databaseUrl, { readOnly: options.readOnly }),
    holderId: newHolderId(),
    fetch: createOutboundFetch(config.proxy),
    policy: retryPolicyFor(config),
  };
}

export async function createGraphDeps(core: CoreDeps): Promise<GraphDeps> {
  const { config, clock } = core;
  const credential = cachingCredential(createGraphCredential(config.graph, createFetchHttpClient(core.fetch)), clock);
  const graphStats = createGraphStats();
  const bucket = (rps: number) => new TokenBucket({ ratePerSecond: rps, burst: 1 }, clock);
  // Per app per tenant (wire-facts A8): GET installedApps/appCatalogs share a row, POST another, DELETE is half.
  const buckets: Partial<Record<GraphClass, TokenBucket>> = {
    teamsGet: bucket(config.limits.graphGetRps),
    teamsPost: bucket(config.limits.graphPostRps),
    teamsDelete: bucket(config.limits.graphGetRps / 2),
    directory: bucket(config.limits.graphDirectoryRps),
  };
  const graph = createGraphClient({
    credential,
    baseUrl: config.graph.baseUrl,
    scope: config.graph.scope,
    fetch: core.fetch,
    buckets,
    clock,
    policy: core.policy,
    onAttempt: (a) => graphStats.onAttempt(a),
  });
  let tenantId: string;
  try {
    tenantId = await tenantIdFromToken(credential, config.graph.tenantId ?? '', config.graph.scope);
  } catch (e) {
    const first = errorMessage(e).split('\n')[0]!.slice(0, 300);
    const tls = await untrustedCertificate(config.graph.authorityHost);
    if (tls) throw new FatalRunError('GRAPH_TOKEN', `Could not get a Graph token from ${config.graph.authorityHost}: ${tls}.`, e);
    throw new FatalRunError(
      'GRAPH_TOKEN',
      `Could not get a Graph token for app ${config.graph.clientId} in tenant ${config.graph.tenantId} from ${config.graph.authorityHost}: ${first}\nCheck AZURE_CLIENT_SECRET (or the certificate) and AZURE_TENANT_ID, or run \`teams-rollout doctor\`.`,
      e,
    );
  }
  const catalog = config.teamsAppId ? new CatalogResolver(graph, core.store, tenantId, config.teamsAppId) : undefined;
  const references = catalog ? { graph, store: core.store, clock, tenantId, ...catalog.ids, proactiveServiceUrl: config.proactiveServiceUrl } : undefined;
  return { credential, graph, graphStats, graphBaseUrl: config.graph.baseUrl, tenantId, catalog, references };
}

/**
 * What `runInstall` takes from this process's parts: the one catalogue resolver and its Graph look-ups
 * (never a second pair, issue 10.6), and what the command adds (the sender, the create, Ctrl-C, progress).
 */
export function installRunDeps(core: CoreDeps, graph: GraphDeps, extra: Pick<InstallRunDeps, 'welcomer' | 'create' | 'signal' | 'onProgress'> = {}): InstallRunDeps {
  // install and serve's sweep need TEAMS_APP_ID (config.ts `app`), which makes both.
  if (!graph.catalog || !graph.references) throw new Error('installRunDeps: TEAMS_APP_ID is not set, so there is no app to install');
  return { ...core, ...graph, catalog: graph.catalog, references: graph.references, manifestId: graph.catalog.manifestId, proactiveServiceUrl: core.config.proactiveServiceUrl, ...extra };
}

/** The welcome card as every sender (and `welcome --preview`) builds it: the template, checked, with the rollout's own fields. */
export function welcomeCardFor(config: Config, appName: string, cardPath?: string): WelcomeCard & { context: RolloutContext } {
  const offer = config.welcome.offer ?? `${appName} brings the tools and updates you need into Teams, so you can get things done without leaving your chats.`;
  const context: RolloutContext = { appName, requestedBy: config.welcome.requestedBy ?? 'your IT team', reason: config.welcome.reason ?? '', offer };
  return { ...loadWelcomeCard(cardPath ?? config.welcome.cardPath, context), context };
}

export interface BotDeps {
  adapter: BotAdapter;
  send: ConnectorSend;
  /** Creates a 1:1 conversation, paced at the bot's limits and retried within the policy. */
  create: ConnectorCreate;
  card: WelcomeCard;
  pacing: BotPacing;
  worker: WelcomeWorker;
  /** Connector HTTP attempts by status ('network' for none), for the summary and benchmarks. */
  connectorAttempts: Record<string, number>;
  /** The app as people see it, for replies. */
  app: { name: string; offer: string };
}

/**
 * The bot side: botbuilder's CloudAdapter (one HTTP attempt per send: our sender paces and retries),
 * the welcome card, the bot pacing and the welcome worker. `graph` (optional) lets the sender look a
 * stale chat up again and gives the card the app's catalogue name.
 */
export async function createBotDeps(core: CoreDeps, graph: GraphDeps | undefined, options: { cardPath?: string | undefined; concurrency?: number; sweepMs?: number; onSenderStopped?: (refusal: Refusal) => void } = {}): Promise<BotDeps> {
  const { config, clock, log, store } = core;
  const connectorAttempts: Record<string, number> = {};
  const httpClient = createSingleAttemptHttpClient(createFetchHttpClient(core.fetch), (status) => {
    const k = status === null ? 'network' : String(status);
    connectorAttempts[k] = (connectorAttempts[k] ?? 0) + 1;
  });
  const { adapter } = createCloudAdapter(config.bot, { connectorClientOptions: { httpClient } as never, log: log.child('bot'), network: { fetch: core.fetch, proxy: config.proxy } });
  let appName = 'the app';
  const references = graph?.references;
  if (graph?.catalog) appName = (await graph.catalog.current()).displayName;
  const card = welcomeCardFor(config, appName, options.cardPath);
  const offer = card.context.offer;
  const pacing = new BotPacing(config.limits, clock);
  const send = createConnectorSend(adapter, config.bot.appId ?? '');
  // The token audience for the create, as welcome --team uses it (ToChannelFromBotOAuthScope, wire-facts B3).
  const create = createConnectorCreate(adapter, config.bot.appId ?? '', config.bot.oauthScope ?? 'https://api.botframework.com');
  // Local-emulator mode (no app id) sends without a token.
  const botToken = config.bot.appId ? botTokenSource(config.bot) : undefined;
  const tokenGate = botToken ? new BotTokenGate(() => botToken.getToken()) : undefined;
  const worker = new WelcomeWorker(
    {
      store,
      clock,
      log: log.child('sender'),
      send,
      card,
      pacing,
      policy: core.policy,
      claimer: core.holderId,
      random: Math.random,
      graphReferences: (tenantId) => (references && references.tenantId === tenantId ? references : undefined),
      create,
      tokenGate,
    },
    { concurrency: options.concurrency ?? 16, sweepMs: options.sweepMs ?? 1000, leaseTtlMs: 15_000, isHolderDead, onStopped: options.onSenderStopped },
  );
  // For settle (someone Graph shows installed without a chat): paced and retried as the sender's own create is.
  const pacedCreate: ConnectorCreate = (t) => pacedBotCall({ pacing, policy: core.policy, clock, random: Math.random }, t.tenantId, `create:${t.memberId}`, () => create(t));
  return { adapter, send, create: pacedCreate, card, pacing, worker, connectorAttempts, app: { name: appName, offer } };
}
