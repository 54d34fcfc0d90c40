import { z } from 'zod';
import type { LogFormat, LogLevel } from './log.js';
import { proxySettingsFrom, proxyUrlProblem, type ProxySettings } from './net/proxy.js';
import { botLoginUrl, CLOUD_PRESETS, resolveCloud, type CloudName } from './cloud/presets.js';

/**
 * The one place the environment is read and validated (PRODUCT.md §3). `parseConfig` is pure:
 * (env, what the command needs) → { config, errors }, and every problem is reported at once as
 * "NAME: what is wrong — how to fix it".
 */
export type Need = 'graph' | 'bot' | 'app';

export interface RateLimits {
  /** GET installedApps / chat / appCatalogs, per app per tenant. @default 30 */
  graphGetRps: number;
  /** POST installedApps, per app per tenant. @default 30 */
  graphPostRps: number;
  /** /users, /groups, delta and single-user lookups (identity limits are a resource-unit budget). @default 20 */
  graphDirectoryRps: number;
  /** Every Bot Connector call, per app per tenant. @default 50 */
  botRps: number;
  /** Sends to one conversation per second. @default 7 */
  botPerConversationRps: number;
}

/**
 * The bot's identity and the Bot Framework endpoints it trusts, with botbuilder's own names
 * (ConfigurationBotFrameworkAuthenticationOptions, wire-facts B5). Everything but the app id and
 * password has a public-cloud default, so a real deployment sets only those; the simulator and
 * sovereign clouds override the endpoints.
 */
export interface BotAuthSettings {
  /** MicrosoftAppId. Absent = local-emulator mode (no inbound token checks; loopback only). */
  appId?: string | undefined;
  /** MicrosoftAppPassword (client secret). */
  appPassword?: string | undefined;
  /** MicrosoftAppType. @default 'MultiTenant' */
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** MicrosoftAppTenantId, required for SingleTenant / UserAssignedMSI. */
  appTenantId?: string | undefined;
  /** ToBotFromChannelOpenIdMetadataUrl. @default https://login.botframework.com/v1/.well-known/openidconfiguration */
  openIdMetadataUrl?: string | undefined;
  /** ToBotFromChannelTokenIssuer. @default https://api.botframework.com */
  tokenIssuer?: string | undefined;
  /** ToChannelFromBotLoginUrl: the outbound token authority, tenant included. @default https://login.microsoftonline.com/botframework.com */
  loginUrl?: string | undefined;
  /** ToChannelFromBotOAuthScope. @default https://api.botframework.com */
  oauthScope?: string | undefined;
  /** The bot lives in the US Government Bot Framework (TEAMS_CLOUD GCCHigh or DoD): the endpoints not set take its values. */
  usGovernment?: boolean;
}

export interface GraphSettings {
  tenantId: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  certificatePath: string | undefined;
  useManagedIdentity: boolean;
  /** HTTPS only: @azure/identity and MSAL refuse http (wire-facts C). */
  authorityHost: string;
  /** HTTPS only: the Graph client sends its token only over https (wire-facts D). Ends with '/'. */
  baseUrl: string;
  /** The `.default` scope of that Graph (national clouds use their own domain: cloud/presets.ts). */
  scope: string;
}

export interface Config {
  /** TEAMS_CLOUD: which Microsoft cloud the tenant is in; it presets the endpoints below (cloud/presets.ts). */
  cloud: CloudName;
  bot: BotAuthSettings;
  graph: GraphSettings;
  teamsAppId: string | undefined;
  databaseUrl: string | undefined;
  /** Used for Graph-resolved references when no activity ever gave the tenant's serviceUrl (wire-facts B7). */
  proactiveServiceUrl: string;
  limits: RateLimits;
  retryMaxAttempts: number;
  serve: { host: string; port: number; adminToken: string | undefined };
  welcome: { requestedBy: string | undefined; reason: string | undefined; offer: string | undefined; cardPath: string | undefined };
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** The egress proxy of every outbound call (net/proxy.ts). */
  proxy: ProxySettings;
}

/** The published limits these rate variables default to (wire-facts A8, B6). */
const RATE_DEFAULTS = { GRAPH_INSTALLEDAPPS_GET_RPS: 30, GRAPH_INSTALLEDAPPS_POST_RPS: 30, GRAPH_DIRECTORY_RPS: 20, BOT_SEND_RPS: 50, BOT_SEND_PER_CONVERSATION_RPS: 7 } as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9.-]+\.[a-z]{2,})$/i;

const text = () => z.string().trim().min(1).optional().catch(undefined);
const rps = (dflt: number) => z.coerce.number().positive().default(dflt);
/** Unset = the cloud's preset (cloud/presets.ts). */
const httpsUrl = () =>
  z
    .string()
    .trim()
    .optional()
    .refine((s) => s === undefined || /^https:\/\/[^\s/]+/i.test(s), { message: 'must be an https:// URL (the Azure and Graph libraries refuse http)' });
const anyUrl = () =>
  z
    .string()
    .trim()
    .optional()
    .refine((s) => s === undefined || s === '' || /^https?:\/\/[^\s/]+/i.test(s), { message: 'must be an http(s):// URL' });

/** The environment schema, with a description for each key (shown by `doctor` and in errors). */
const schema = z.object({
  MicrosoftAppId: text().describe("the bot's Microsoft app id (Azure Bot registration)"),
  MicrosoftAppPassword: text().describe("the bot's client secret"),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: text(),
  AZURE_TENANT_ID: text(),
  AZURE_CLIENT_ID: text(),
  AZURE_CLIENT_SECRET: text(),
  AZURE_CLIENT_CERTIFICATE_PATH: text(),
  AZURE_USE_MANAGED_IDENTITY: z.enum(['true', 'false', '1', '0', '']).optional(),
  TEAMS_CLOUD: text().describe('the Microsoft cloud of the tenant: Public (default), GCC, GCCHigh or DoD; it presets every endpoint below'),
  AZURE_AUTHORITY_HOST: httpsUrl(),
  GRAPH_BASE_URL: httpsUrl(),
  TEAMS_APP_ID: text(),
  DATABASE_URL: text(),
  TEAMS_PROACTIVE_SERVICE_URL: anyUrl(),
  ToBotFromChannelOpenIdMetadataUrl: anyUrl(),
  ToBotFromChannelTokenIssuer: text(),
  ToChannelFromBotLoginUrl: anyUrl(),
  ToChannelFromBotOAuthScope: text(),
  GRAPH_INSTALLEDAPPS_GET_RPS: rps(RATE_DEFAULTS.GRAPH_INSTALLEDAPPS_GET_RPS),
  GRAPH_INSTALLEDAPPS_POST_RPS: rps(RATE_DEFAULTS.GRAPH_INSTALLEDAPPS_POST_RPS),
  GRAPH_DIRECTORY_RPS: rps(RATE_DEFAULTS.GRAPH_DIRECTORY_RPS),
  BOT_SEND_RPS: rps(RATE_DEFAULTS.BOT_SEND_RPS),
  BOT_SEND_PER_CONVERSATION_RPS: rps(RATE_DEFAULTS.BOT_SEND_PER_CONVERSATION_RPS),
  RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
  HOST: z.string().trim().regex(/^[^\s]+$/, 'must be one address, without spaces').default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  TEAMS_ROLLOUT_ADMIN_TOKEN: text(),
  ROLLOUT_REQUESTED_BY: text(),
  ROLLOUT_REASON: text(),
  WELCOME_OFFER: text(),
  WELCOME_CARD: text(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('warn'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  // Read by net/proxy.ts (lower-case spellings too); listed here for doctor and the README.
  HTTPS_PROXY: text().describe('the proxy for https:// calls, e.g. http://proxy.contoso.com:8080 (all of them: Entra, Graph, Bot Framework)'),
  HTTP_PROXY: text().describe('the proxy for http:// calls (and for https:// ones when HTTPS_PROXY is unset)'),
  ALL_PROXY: text().describe('the proxy for both, when the two above are unset'),
  NO_PROXY: text().describe('hosts reached without the proxy: comma-separated, `.contoso.com` for sub-domains, `*` for all'),
});

type Env = Record<string, string | undefined>;

const FIX: Record<string, string> = {
  MicrosoftAppId: 'set it to the Microsoft App ID of your Azure Bot resource (or run `teams-rollout demo` to try the simulated tenant)',
  MicrosoftAppPassword: "set it to a client secret of the bot's app registration",
  MicrosoftAppTenantId: 'set it to your Entra tenant id (required for SingleTenant and UserAssignedMSI bots)',
  AZURE_TENANT_ID: 'set it (or MicrosoftAppTenantId) to your Entra tenant id',
  AZURE_CLIENT_ID: 'set it (or MicrosoftAppId) to the app registration that holds the Graph permissions',
  AZURE_CLIENT_SECRET: 'set it (or MicrosoftAppPassword), or AZURE_CLIENT_CERTIFICATE_PATH, or AZURE_USE_MANAGED_IDENTITY=true',
  TEAMS_APP_ID: 'set it to the "id" of your Teams app manifest (the catalogue externalId)',
};

/** The fix for a value of the wrong shape, by variable (a missing one has FIX). Unset, each takes its default. */
const rateFix = (name: keyof typeof RATE_DEFAULTS) => `set a number of requests per second above 0 (default ${RATE_DEFAULTS[name]}, the published limit), or unset it`;
const SHAPE_FIX: Record<string, string> = {
  MicrosoftAppType: 'use MultiTenant, SingleTenant or UserAssignedMSI, as on the Azure Bot resource',
  AZURE_USE_MANAGED_IDENTITY: 'use true or false',
  AZURE_AUTHORITY_HOST: 'unset it for your TEAMS_CLOUD\'s authority (https://login.microsoftonline.com by default)',
  GRAPH_BASE_URL: 'unset it for your TEAMS_CLOUD\'s Graph (https://graph.microsoft.com/ by default)',
  TEAMS_PROACTIVE_SERVICE_URL: 'unset it for your TEAMS_CLOUD\'s (https://smba.trafficmanager.net/teams/ by default)',
  ToBotFromChannelOpenIdMetadataUrl: 'use the Bot Framework OpenID metadata URL of your cloud, or unset it',
  ToChannelFromBotLoginUrl: 'use the login URL of your cloud, or unset it',
  GRAPH_INSTALLEDAPPS_GET_RPS: rateFix('GRAPH_INSTALLEDAPPS_GET_RPS'),
  GRAPH_INSTALLEDAPPS_POST_RPS: rateFix('GRAPH_INSTALLEDAPPS_POST_RPS'),
  GRAPH_DIRECTORY_RPS: rateFix('GRAPH_DIRECTORY_RPS'),
  BOT_SEND_RPS: rateFix('BOT_SEND_RPS'),
  BOT_SEND_PER_CONVERSATION_RPS: rateFix('BOT_SEND_PER_CONVERSATION_RPS'),
  RETRY_MAX_ATTEMPTS: 'set a whole number from 1 to 10 (default 5)',
  HOST: 'set an address to listen on, e.g. 127.0.0.1 (the default) or 0.0.0.0',
  PORT: 'set a whole number from 0 to 65535 (default 3978)',
  LOG_LEVEL: 'use debug, info, warn (the default), error or silent',
  LOG_FORMAT: 'use auto (the default: readable lines on a terminal, JSON lines otherwise), json or pretty',
};

/** Above this many times its published limit a rate variable gets a warning (issue 11): Teams and Graph answer 429s past the limit. */
const FAR_ABOVE = 2;
const LOOPBACK_URL = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

/**
 * Warnings for rate variables far above the published limits (wire-facts A8, B6): the service would
 * answer with 429s and Retry-After, and the run would go slower than at the limit. A tenant on a
 * loopback address is the simulated one, whose limits are its own (`simulate --limits xN`).
 */
function rateWarnings(given: Record<string, string | undefined>, graphBaseUrl: string): string[] {
  if (LOOPBACK_URL.test(graphBaseUrl)) return [];
  const out: string[] = [];
  for (const [name, published] of Object.entries(RATE_DEFAULTS)) {
    const value = Number(given[name]);
    if (given[name] !== undefined && Number.isFinite(value) && value > published * FAR_ABOVE) {
      out.push(`${name}=${given[name]} is ${Math.round(value / published)}× the published limit of ${published}/s: the service will answer 429 and the run will go slower, not faster — unset it to pace at the limit`);
    }
  }
  return out;
}

/** The Graph hosts of the clouds (cloud/presets.ts), whose token scope is on their own domain. */
const GRAPH_HOSTS = new Set(Object.values(CLOUD_PRESETS).map((p) => new URL(p.graphBaseUrl).host));

/** A known Graph's own `.default` scope; any other host (the simulated tenant, a private one) takes the cloud's. */
function graphScopeFor(baseUrl: string, cloudScope: string): string {
  const host = URL.canParse(baseUrl) ? new URL(baseUrl).host.toLowerCase() : '';
  return GRAPH_HOSTS.has(host) ? `https://${host}/.default` : cloudScope;
}

export function parseConfig(env: Env, needs: ReadonlySet<Need> = new Set()): { config: Config; errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      errors.push(`${name}: ${issue.message} (got "${String(given[name] ?? '')}") — ${SHAPE_FIX[name] ?? 'correct it, or unset it to use the default'}`);
    }
  }
  // A value of the wrong shape is reported above; the others still count (else a typo in PORT would make MicrosoftAppId look missing).
  const wrong = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])));
  const e = parsed.success ? parsed.data : schema.parse(Object.fromEntries(Object.entries(given).filter(([k]) => !wrong.has(k))));
  const missing = (name: string, why: string) => errors.push(`${name}: missing (${why}) — ${FIX[name] ?? 'set it'}`);

  const cloud = resolveCloud(e.TEAMS_CLOUD);
  if (!cloud.ok) errors.push(`TEAMS_CLOUD: ${cloud.problem} — ${cloud.fix}`);
  const preset = cloud.ok ? cloud.preset : CLOUD_PRESETS.Public;
  const graphBaseUrl = e.GRAPH_BASE_URL ?? preset.graphBaseUrl;

  const graph: GraphSettings = {
    tenantId: e.AZURE_TENANT_ID ?? e.MicrosoftAppTenantId,
    clientId: e.AZURE_CLIENT_ID ?? e.MicrosoftAppId,
    clientSecret: e.AZURE_CLIENT_SECRET ?? (e.AZURE_CLIENT_ID && e.AZURE_CLIENT_ID !== e.MicrosoftAppId ? undefined : e.MicrosoftAppPassword),
    certificatePath: e.AZURE_CLIENT_CERTIFICATE_PATH,
    useManagedIdentity: e.AZURE_USE_MANAGED_IDENTITY === 'true' || e.AZURE_USE_MANAGED_IDENTITY === '1' || e.MicrosoftAppType === 'UserAssignedMSI',
    authorityHost: (e.AZURE_AUTHORITY_HOST ?? preset.authorityHost).replace(/\/+$/, ''),
    baseUrl: graphBaseUrl.endsWith('/') ? graphBaseUrl : `${graphBaseUrl}/`,
    scope: graphScopeFor(graphBaseUrl, preset.graphScope),
  };
  // The public cloud leaves the Bot Framework endpoints to botbuilder's own defaults (auth-config.ts).
  const botPreset = preset.name === 'Public' ? undefined : preset;
  const bot: BotAuthSettings = {
    appId: e.MicrosoftAppId,
    appPassword: e.MicrosoftAppPassword,
    appType: e.MicrosoftAppType,
    appTenantId: e.MicrosoftAppTenantId,
    openIdMetadataUrl: e.ToBotFromChannelOpenIdMetadataUrl || botPreset?.botOpenIdMetadataUrl,
    tokenIssuer: e.ToBotFromChannelTokenIssuer ?? botPreset?.botTokenIssuer,
    loginUrl: e.ToChannelFromBotLoginUrl || (botPreset && botLoginUrl(botPreset, e.MicrosoftAppType, e.MicrosoftAppTenantId)),
    oauthScope: e.ToChannelFromBotOAuthScope ?? botPreset?.botOAuthScope,
    usGovernment: preset.botLoginHost !== CLOUD_PRESETS.Public.botLoginHost,
  };

  if (needs.has('graph')) {
    if (!graph.tenantId) missing('AZURE_TENANT_ID', 'needed to get a Graph token');
    else if (!TENANT.test(graph.tenantId)) errors.push(`AZURE_TENANT_ID: "${graph.tenantId}" is neither a GUID nor a domain — use the tenant id from the Entra admin center`);
    if (!graph.clientId) missing('AZURE_CLIENT_ID', 'needed to get a Graph token');
    // Checked like MicrosoftAppId (issue 11): a value lent by MicrosoftAppId is reported once, under its own name, when the bot is needed too.
    else if (!GUID.test(graph.clientId) && (e.AZURE_CLIENT_ID || !needs.has('bot'))) {
      const name = e.AZURE_CLIENT_ID ? 'AZURE_CLIENT_ID' : 'MicrosoftAppId';
      errors.push(`${name}: "${graph.clientId}" is not a GUID — copy the Application (client) ID from the app registration (Entra admin center → App registrations)`);
    }
    if (!graph.clientSecret && !graph.certificatePath && !graph.useManagedIdentity) missing('AZURE_CLIENT_SECRET', 'needed to get a Graph token');
  }
  if (needs.has('app')) {
    if (!e.TEAMS_APP_ID) missing('TEAMS_APP_ID', 'which app to install');
    else if (!GUID.test(e.TEAMS_APP_ID)) errors.push(`TEAMS_APP_ID: "${e.TEAMS_APP_ID}" is not a GUID — use the "id" field of manifest.json`);
  }
  const proxy = proxySettingsFrom(given);
  // Checked for the commands that call out (a report reads only the ledger).
  for (const name of needs.has('graph') || needs.has('bot') ? ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'] : []) {
    const value = given[name] ?? given[name.toLowerCase()];
    const problem = value === undefined ? undefined : proxyUrlProblem(value.trim());
    if (problem) errors.push(`${given[name] !== undefined ? name : name.toLowerCase()}: "${value}" ${problem} — write the proxy as a URL with its scheme, e.g. http://proxy.contoso.com:8080 (user:password@ before the host if it needs them)`);
  }
  if (needs.has('bot')) {
    if (!bot.appId) missing('MicrosoftAppId', 'the bot sends the welcome');
    else if (!GUID.test(bot.appId)) errors.push(`MicrosoftAppId: "${bot.appId}" is not a GUID — copy the Microsoft App ID from the Azure Bot resource`);
    if (bot.appId && !bot.appPassword && bot.appType !== 'UserAssignedMSI') missing('MicrosoftAppPassword', 'the bot needs a secret to get its token');
    if (bot.appType !== 'MultiTenant' && !bot.appTenantId) missing('MicrosoftAppTenantId', `MicrosoftAppType is ${bot.appType}`);
  }

  const config: Config = {
    cloud: preset.name,
    bot,
    graph,
    teamsAppId: e.TEAMS_APP_ID,
    databaseUrl: e.DATABASE_URL,
    proactiveServiceUrl: e.TEAMS_PROACTIVE_SERVICE_URL || preset.proactiveServiceUrl,
    limits: {
      graphGetRps: e.GRAPH_INSTALLEDAPPS_GET_RPS,
      graphPostRps: e.GRAPH_INSTALLEDAPPS_POST_RPS,
      graphDirectoryRps: e.GRAPH_DIRECTORY_RPS,
      botRps: e.BOT_SEND_RPS,
      botPerConversationRps: e.BOT_SEND_PER_CONVERSATION_RPS,
    },
    retryMaxAttempts: e.RETRY_MAX_ATTEMPTS,
    serve: { host: e.HOST, port: e.PORT, adminToken: e.TEAMS_ROLLOUT_ADMIN_TOKEN },
    welcome: { requestedBy: e.ROLLOUT_REQUESTED_BY, reason: e.ROLLOUT_REASON, offer: e.WELCOME_OFFER, cardPath: e.WELCOME_CARD },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    proxy,
  };
  const cloudWarnings = preset.caveats.map((c) => `TEAMS_CLOUD=${preset.name}: ${c}`);
  return { config, errors, warnings: [...cloudWarnings, ...rateWarnings(given, graph.baseUrl)] };
}

/**
 * The rate variables for a tenant whose limits are the published ones times `factor` (the simulated
 * tenant's `--limits xN`), so the client paces at the same scale: tests and benchmarks run faster than life.
 */
export function scaledRateEnv(factor: number): Record<keyof typeof RATE_DEFAULTS, string> {
  return Object.fromEntries(Object.entries(RATE_DEFAULTS).map(([k, v]) => [k, String(v * factor)])) as Record<keyof typeof RATE_DEFAULTS, string>;
}

/** Names and descriptions of every variable, for `doctor` and the README. */
export function describeVariables(): { name: string; description: string | undefined }[] {
  return Object.entries(schema.shape).map(([name, s]) => ({ name, description: (s as z.ZodType).description }));
}
