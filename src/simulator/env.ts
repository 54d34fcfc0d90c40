import type { SimUrls } from './context.js';
import type { TenantState } from './state.js';
import { PUBLIC_SIM_CLOUD, type SimCloud } from './cloud.js';

/**
 * The settings that point every other command at the simulated tenant, with the names config.ts reads
 * (@azure/identity and botbuilder conventions, wire-facts B5 and C). NODE_EXTRA_CA_CERTS must be in the
 * environment when Node starts: the real clients then trust the tenant's certificate with TLS checks on.
 */
export function tenantEnv(state: TenantState, urls: SimUrls, certPath: string, cloud: SimCloud = PUBLIC_SIM_CLOUD): Record<string, string> {
  return {
    // A US Government tenant: TEAMS_CLOUD picks that cloud's Graph scope and Bot Framework; the URLs below still point here.
    ...(cloud.name === 'Public' ? {} : { TEAMS_CLOUD: cloud.name }),
    AZURE_TENANT_ID: state.tenantId,
    AZURE_CLIENT_ID: state.clientId,
    AZURE_CLIENT_SECRET: state.clientSecret,
    AZURE_AUTHORITY_HOST: urls.issuer,
    GRAPH_BASE_URL: urls.graph,
    TEAMS_APP_ID: state.app.externalId,
    MicrosoftAppId: state.clientId,
    MicrosoftAppPassword: state.clientSecret,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: state.tenantId,
    ToBotFromChannelOpenIdMetadataUrl: urls.botOpenIdMetadata,
    // In a US Government tenant the token issuer and the OAuth scope are left to TEAMS_CLOUD's preset, so a wrong preset meets a refusal here.
    ...(cloud.name === 'Public' ? { ToBotFromChannelTokenIssuer: cloud.botFramework } : {}),
    ToChannelFromBotLoginUrl: `${urls.issuer}/${state.tenantId}`,
    ...(cloud.name === 'Public' ? { ToChannelFromBotOAuthScope: cloud.botFramework } : {}),
    TEAMS_PROACTIVE_SERVICE_URL: urls.proactiveServiceUrl,
    NODE_EXTRA_CA_CERTS: certPath,
  };
}

/**
 * The serviceUrl the simulated channel puts in activities. `tenant` (the default) is the form Teams sends
 * today, `https://smba.trafficmanager.net/amer/{tenantId}/` (a real January 2026 capture kept in
 * microsoft/teams.net's TeamsActivityTests.cs; wire-facts B1; test/fixtures/microsoft/teams-net-personal-invoke.json);
 * `regional` is the older `https://smba.trafficmanager.net/amer/` of the msteams-docs examples. Bots must store
 * either exactly as received.
 */
export type ServiceUrlForm = 'tenant' | 'regional';
export const SERVICE_URL_FORMS: readonly ServiceUrlForm[] = ['tenant', 'regional'];

/** URLs for the two listeners; a wildcard bind address is reached through loopback. Without a tenant, the regional serviceUrl. */
export function simUrls(host: string, httpsPort: number, httpPort: number, tenant?: { tenantId: string; serviceUrl?: ServiceUrlForm }): SimUrls {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const https = `https://${h}:${httpsPort}`;
  const http = `http://${h}:${httpPort}`;
  return {
    issuer: https,
    graph: `${https}/`,
    http,
    serviceUrl: tenant && tenant.serviceUrl !== 'regional' ? `${http}/amer/${tenant.tenantId}/` : `${http}/amer/`,
    proactiveServiceUrl: `${http}/teams/`,
    botOpenIdMetadata: `${http}/botframework/v1/.well-known/openidconfiguration`,
    inspect: `${http}/_sim/inspect`,
  };
}

/**
 * The form of the personal conversation id the channel announces (wire-facts B1 "conversation.id"):
 * classic chats use an opaque `a:` id [DOC]; newer flows were seen sending the Graph chat id
 * `19:{guid}_{guid}@unq.gbl.spaces` [real log]. `mixed` gives each person one form or the other, by id.
 */
export const CONVERSATION_ID_FORMS = ['a', 'unq', 'mixed'] as const;
export type ConversationIdForm = (typeof CONVERSATION_ID_FORMS)[number];
