/**
 * Entra ID's token-endpoint errors, in the JSON shape MSAL parses (`error`, `error_description`,
 * `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`). The AADSTS codes and texts are
 * the documented ones (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export interface AadError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

export interface AadErrorIds {
  traceId: string;
  correlationId: string;
  nowMs: number;
  /** Origin of the issuer, for error_uri. */
  origin: string;
}

function aadError(status: number, error: string, code: number, text: string, ids: AadErrorIds): AadError {
  const timestamp = `${new Date(ids.nowMs).toISOString().slice(0, 19).replace('T', ' ')}Z`; // Entra writes "2025-01-01 00:00:00Z"
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: ids.traceId,
      correlation_id: ids.correlationId,
      error_uri: `${ids.origin}/error?code=${code}`,
    },
  };
}

export const AAD = {
  tenantNotFound: (tenant: string, ids: AadErrorIds) =>
    aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, ids),
  unsupportedGrant: (grant: string, ids: AadErrorIds) =>
    aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'. Only client_credentials is supported by this simulated tenant.`, ids),
  missingParameter: (name: string, ids: AadErrorIds) => aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`, ids),
  unknownClient: (clientId: string, tenant: string, ids: AadErrorIds) =>
    aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      ids,
    ),
  missingSecret: (ids: AadErrorIds) => aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", ids),
  badSecret: (clientId: string, ids: AadErrorIds) =>
    aadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      ids,
    ),
  /** Entra's answer once a client secret is past its end date (InvalidClientSecretExpiredKeysProvided, reference-error-codes). */
  expiredSecret: (clientId: string, ids: AadErrorIds) =>
    aadError(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      ids,
    ),
  scopeNotDefault: (scope: string, ids: AadErrorIds) =>
    aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      ids,
    ),
  unknownResource: (scope: string, tenant: string, ids: AadErrorIds) =>
    aadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${scope} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      ids,
    ),
};
