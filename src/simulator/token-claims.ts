/**
 * What the simulated Entra ID puts in an app-only access token, as a pure function of the request
 * (wire-facts C: the token is opaque to clients; a JWT with aud, tid, appid, roles and exp is realistic).
 * Graph tokens are v1.0 tokens (Graph's accessTokenAcceptedVersion is 1), hence the sts.windows.net issuer.
 */
import { PUBLIC_SIM_CLOUD, type SimCloud } from './cloud.js';

export const GRAPH_RESOURCE = PUBLIC_SIM_CLOUD.graphResource;
/** Graph's well-known application id; `00000003-…/.default` is an accepted alias of the Graph scope. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const BOT_FRAMEWORK_RESOURCE = PUBLIC_SIM_CLOUD.botFramework;
/** The botframework.com tenant; multi-tenant Bot Framework tokens carry it (wire-facts B3). */
export const BOT_FRAMEWORK_TENANT_ID = 'd6d49420-f39b-4df7-a1dc-d59a935871db';
/** Entra ID's answer for an app-only token's lifetime (wire-facts C). */
export const TOKEN_LIFETIME_SECONDS = 3599;

/** OIDC scopes MSAL may add to any request; they name no resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export type ScopeResult = { ok: true; resource: 'graph' | 'botframework' } | { ok: false; reason: 'missing' | 'not-default' | 'unknown'; scope: string };

/** Reads the `scope` form field of a client_credentials request. */
/** @param cloud the tenant's cloud: a token is issued only for its own Graph and Bot Framework (a GCC High tenant refuses graph.microsoft.com). */
export function resourceOfScope(scope: string | undefined, cloud: SimCloud = PUBLIC_SIM_CLOUD): ScopeResult {
  const scopes = (scope ?? '').split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  const s = scopes[0];
  if (!s) return { ok: false, reason: 'missing', scope: '' };
  const lower = s.toLowerCase().replace(/\/+$/, '');
  const [resource, suffix] = lower.endsWith('/.default') ? [lower.slice(0, -'/.default'.length), '.default'] : [lower, ''];
  const known =
    resource === cloud.graphResource || resource === GRAPH_APP_ID
      ? 'graph'
      : resource === cloud.botFramework
        ? 'botframework'
        : null;
  if (!known) return { ok: false, reason: 'unknown', scope: s };
  if (suffix !== '.default') return { ok: false, reason: 'not-default', scope: s };
  return { ok: true, resource: known };
}

/**
 * Which tenant a path segment names: the tenant id or its initial domain, `botframework.com` (and its
 * id), or the multi-tenant aliases `common` / `organizations`. Null = unknown (AADSTS90002).
 */
export function resolveTenantSegment(segment: string, tenantId: string, domain: string): { tenantId: string; alias: boolean } | null {
  const s = segment.toLowerCase();
  if (s === tenantId.toLowerCase() || s === domain.toLowerCase()) return { tenantId, alias: false };
  if (s === 'botframework.com' || s === BOT_FRAMEWORK_TENANT_ID) return { tenantId: BOT_FRAMEWORK_TENANT_ID, alias: false };
  if (s === 'common' || s === 'organizations') return { tenantId, alias: true };
  return null;
}

export interface AppIdentity {
  clientId: string;
  /** The app's home tenant (the simulated one). */
  tenantId: string;
  displayName: string;
  /** Its service principal's object id. */
  objectId: string;
}

/**
 * The claims of an app-only token. Graph tokens carry the application roles granted to the app now
 * (`roles`, read when the token is issued, as Entra ID does); Bot Framework tokens carry none.
 */
export function accessTokenClaims(resource: 'graph' | 'botframework', app: AppIdentity, issuingTenantId: string, roles: readonly string[], uti: string, cloud: SimCloud = PUBLIC_SIM_CLOUD): Record<string, unknown> {
  const common = {
    iss: `https://sts.windows.net/${issuingTenantId}/`,
    idp: `https://sts.windows.net/${issuingTenantId}/`,
    tid: issuingTenantId,
    appid: app.clientId,
    appidacr: '1',
    oid: app.objectId,
    sub: app.objectId,
    idtyp: 'app',
    uti,
    ver: '1.0',
  };
  if (resource === 'botframework') return { aud: cloud.botFramework, ...common };
  return { aud: cloud.graphResource, ...common, app_displayname: app.displayName, roles: [...roles] };
}
