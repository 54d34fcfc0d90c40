/**
 * The OpenID Connect discovery document of the simulated Entra ID, for one tenant path segment.
 * MSAL needs `authorization_endpoint`, `token_endpoint`, `issuer` and `jwks_uri` (msal-common
 * OpenIdConfigResponse.ts, wire-facts B3), and msal-common 16 also checks that the issuer has the
 * authority's origin (Authority.validateIssuer); the rest mirrors what login.microsoftonline.com serves.
 * Like Entra ID, endpoints carry the resolved tenant id, and `common`/`organizations` keep their alias
 * with a `{tenantid}` placeholder in the issuer.
 */
export function openIdConfiguration(origin: string, segment: string, tenantId: string, alias: boolean): Record<string, unknown> {
  const t = alias ? segment.toLowerCase() : tenantId;
  const issuerTenant = alias ? '{tenantid}' : tenantId;
  return {
    token_endpoint: `${origin}/${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${origin}/${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${origin}/${t}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}
