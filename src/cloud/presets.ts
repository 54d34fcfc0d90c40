/**
 * The Microsoft clouds a tenant can live in, and the endpoints each presets (issue 10 item 5). Pure.
 * One setting, TEAMS_CLOUD, picks a row; each endpoint can still be set on its own (config.ts).
 *
 * Sources, per endpoint:
 * - Graph and the Entra authority: "Microsoft Graph national cloud deployments",
 *   https://learn.microsoft.com/graph/deployments (global https://graph.microsoft.com; US Government L4
 *   https://graph.microsoft.us; L5 (DOD) https://dod-graph.microsoft.us; Entra https://login.microsoftonline.us).
 *   GCC (moderate) tenants use the global Graph and Entra.
 * - The Graph scope: "Access national cloud deployments with the Microsoft Graph SDKs",
 *   https://learn.microsoft.com/graph/sdks/national-clouds ("any permission scope value (including the
 *   .default scope) that contains the Microsoft Graph domain MUST use the domain of the … national cloud").
 * - The Bot Framework endpoints (OpenID metadata, token issuer, login URL and tenant, OAuth scope):
 *   microsoft/teams.ts packages/api/src/auth/cloud-environment.ts (PUBLIC, US_GOV, US_GOV_DOD), the same
 *   values as botframework-connector's GovernmentConstants and bot-docs how-to-deploy-gov-cloud-high.md
 *   (https://learn.microsoft.com/azure/bot-service/how-to-deploy-gov-cloud-high). GCC bots are public
 *   Azure bots ("Bots in Azure Government that connect to Microsoft Teams must use the Microsoft Office
 *   365 GCC High environment", same page), so GCC keeps the public Bot Framework.
 * - The proactive serviceUrl, for references that no activity gave (wire-facts B7): msteams-docs
 *   send-proactive-messages.md, "Create the conversation"
 *   (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages),
 *   and microsoft/Agents-for-net TeamsProactiveServiceEndpoints.
 */
export type CloudName = 'Public' | 'GCC' | 'GCCHigh' | 'DoD';

export interface CloudPreset {
  name: CloudName;
  /** What admins call it. */
  title: string;
  graphBaseUrl: string;
  graphScope: string;
  authorityHost: string;
  /** ToBotFromChannelOpenIdMetadataUrl */
  botOpenIdMetadataUrl: string;
  /** ToBotFromChannelTokenIssuer */
  botTokenIssuer: string;
  /** The host of ToChannelFromBotLoginUrl; the tenant is added after it. */
  botLoginHost: string;
  /** The tenant a multi-tenant bot gets its token from (single-tenant bots use their own). */
  botLoginTenant: string;
  /** ToChannelFromBotOAuthScope */
  botOAuthScope: string;
  proactiveServiceUrl: string;
  /** Known limits of the cloud that a rollout meets, said as warnings (config.ts). */
  caveats: string[];
}

const PUBLIC_BOT = {
  botOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  botTokenIssuer: 'https://api.botframework.com',
  botLoginHost: 'https://login.microsoftonline.com',
  botLoginTenant: 'botframework.com',
  botOAuthScope: 'https://api.botframework.com',
};
const US_GOV_BOT = {
  botOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
  botTokenIssuer: 'https://api.botframework.us',
  botLoginHost: 'https://login.microsoftonline.us',
  botLoginTenant: 'MicrosoftServices.onmicrosoft.us',
  botOAuthScope: 'https://api.botframework.us',
};
/** https://learn.microsoft.com/graph/teamwork-national-cloud-differences, "Apps". */
const NO_APP_ONLY_INSTALL =
  'Microsoft documents "Install app for user", "List apps installed for user" and "Get chat between user and app" as not supported in application context in the GCC High and DOD environments (https://learn.microsoft.com/graph/teamwork-national-cloud-differences): install may be refused there; welcomes to people who installed the app themselves still go';

export const CLOUD_PRESETS: Record<CloudName, CloudPreset> = {
  Public: {
    name: 'Public',
    title: 'the commercial cloud',
    graphBaseUrl: 'https://graph.microsoft.com/',
    graphScope: 'https://graph.microsoft.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    ...PUBLIC_BOT,
    proactiveServiceUrl: 'https://smba.trafficmanager.net/teams/',
    caveats: [],
  },
  GCC: {
    name: 'GCC',
    title: 'US Government Community Cloud (GCC)',
    graphBaseUrl: 'https://graph.microsoft.com/',
    graphScope: 'https://graph.microsoft.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    ...PUBLIC_BOT,
    proactiveServiceUrl: 'https://smba.infra.gcc.teams.microsoft.com/teams/',
    caveats: [],
  },
  GCCHigh: {
    name: 'GCCHigh',
    title: 'US Government GCC High',
    graphBaseUrl: 'https://graph.microsoft.us/',
    graphScope: 'https://graph.microsoft.us/.default',
    authorityHost: 'https://login.microsoftonline.us',
    ...US_GOV_BOT,
    proactiveServiceUrl: 'https://smba.infra.gov.teams.microsoft.us/teams/',
    caveats: [NO_APP_ONLY_INSTALL],
  },
  DoD: {
    name: 'DoD',
    title: 'US Government DoD',
    graphBaseUrl: 'https://dod-graph.microsoft.us/',
    graphScope: 'https://dod-graph.microsoft.us/.default',
    authorityHost: 'https://login.microsoftonline.us',
    ...US_GOV_BOT,
    proactiveServiceUrl: 'https://smba.infra.dod.teams.microsoft.us/teams/',
    caveats: [NO_APP_ONLY_INSTALL],
  },
};

/**
 * The spellings admins know, lower case, without spaces, dashes or underscores: ours, teams.ts's
 * `fromName` ("Public", "USGov", "USGovDoD", "China") and the Azure / botbuilder ones ("AzureCloud",
 * "AzureUSGovernment").
 */
const ALIASES: Record<string, CloudName | 'China'> = {
  public: 'Public',
  commercial: 'Public',
  global: 'Public',
  azurecloud: 'Public',
  gcc: 'GCC',
  gccmoderate: 'GCC',
  gcchigh: 'GCCHigh',
  gcch: 'GCCHigh',
  usgov: 'GCCHigh',
  usgovernment: 'GCCHigh',
  azureusgovernment: 'GCCHigh',
  dod: 'DoD',
  usgovdod: 'DoD',
  china: 'China',
  chinacloud: 'China',
  azurechinacloud: 'China',
  '21vianet': 'China',
};

export const CLOUD_NAMES = Object.keys(CLOUD_PRESETS) as CloudName[];

/**
 * TEAMS_CLOUD → its preset, or why not. Teams operated by 21Vianet lists Bots as not supported
 * (msteams-docs concepts/sovereign-cloud.md, "Apps, capabilities, and experiences":
 * https://learn.microsoft.com/microsoftteams/platform/concepts/sovereign-cloud), so no welcome could be sent.
 */
export function resolveCloud(value: string | undefined): { ok: true; preset: CloudPreset } | { ok: false; problem: string; fix: string } {
  if (value === undefined || value.trim() === '') return { ok: true, preset: CLOUD_PRESETS.Public };
  const name = ALIASES[value.trim().toLowerCase().replace(/[\s_-]/g, '')];
  if (name === 'China') {
    return {
      ok: false,
      problem: `"${value}" is Teams operated by 21Vianet, where Microsoft lists bots as not supported (https://learn.microsoft.com/microsoftteams/platform/concepts/sovereign-cloud, "Apps, capabilities, and experiences"), so no welcome can be sent there`,
      fix: 'teams-rollout cannot serve that cloud; unset TEAMS_CLOUD if the tenant is in another one',
    };
  }
  if (!name) return { ok: false, problem: `"${value}" is not a cloud teams-rollout knows`, fix: `use ${CLOUD_NAMES.join(', ')} (USGov and USGovDoD are read as GCCHigh and DoD), or unset it for the commercial cloud` };
  return { ok: true, preset: CLOUD_PRESETS[name] };
}

/** ToChannelFromBotLoginUrl for a cloud: the bot's own tenant for single-tenant bots, the cloud's bot tenant otherwise (wire-facts B3). */
export function botLoginUrl(preset: CloudPreset, appType: string, appTenantId: string | undefined): string {
  return `${preset.botLoginHost}/${appType === 'MultiTenant' || !appTenantId ? preset.botLoginTenant : appTenantId}`;
}
