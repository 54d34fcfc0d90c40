/**
 * Entra ID refusing the bot's own token (the client-credentials request botbuilder makes before a send),
 * told apart from a token endpoint that is only unreachable or busy.
 *
 * MSAL raises a `ServerError` carrying the token endpoint's OAuth error (`errorCode`, e.g. `invalid_client`),
 * its AADSTS number (`errorNo`) and the HTTP status (`status`). Per the client-credentials error response
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response) and
 * the AADSTS reference (https://learn.microsoft.com/entra/identity-platform/reference-error-codes), a refused
 * credential, app, tenant or scope is a 400/401 that no retry changes; only `temporarily_unavailable`
 * / `server_error` and 5xx / 429 answers ask to try again. Issue 11 major 2: such a refusal used to be
 * retried 5 times per person and reported as a network error.
 */
export interface TokenRefusal {
  /** The token endpoint's HTTP status, when MSAL kept it. */
  status: number | null;
  /** The OAuth error, e.g. `invalid_client`. */
  error: string;
  /** The AADSTS code, e.g. `AADSTS7000215`, or null. */
  aadsts: string | null;
  /** The first line of Entra's description. */
  message: string;
}

/** OAuth errors that say "try again later" (the client-credentials error table). */
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

interface MsalServerErrorLike {
  name?: unknown;
  errorCode?: unknown;
  errorNo?: unknown;
  status?: unknown;
  errorMessage?: unknown;
  message?: unknown;
}

/** The refusal in an error thrown while getting the bot's token, or null when it is not one (network, busy, other). */
export function tokenRefusalOf(e: unknown): TokenRefusal | null {
  const x = (e ?? {}) as MsalServerErrorLike;
  // An OAuth error word; MSAL's own throttling replays a 429/5xx as a ServerError named by AADSTS numbers instead.
  if (x.name !== 'ServerError' || typeof x.errorCode !== 'string' || !/^[a-z_]+$/.test(x.errorCode)) return null;
  const status = typeof x.status === 'number' ? x.status : null;
  if (TRANSIENT_ERRORS.has(x.errorCode) || (status !== null && (status >= 500 || status === 429))) return null;
  const text = String(x.errorMessage ?? x.message ?? '');
  const fromText = /AADSTS(\d+)/.exec(text)?.[1];
  const code = /^\d+$/.test(String(x.errorNo ?? '')) ? String(x.errorNo) : fromText;
  // MSAL writes "Error(s): 7000215 - Timestamp: … - Description: AADSTS7000215: Invalid client secret … Trace ID: …".
  const description = /Description:\s*(.*?)(?:\s+Trace ID:|\s+-\s+Correlation ID:|$)/s.exec(text)?.[1] ?? text;
  return { status, error: x.errorCode, aadsts: code ? `AADSTS${code}` : null, message: description.split('\n')[0]!.trim().slice(0, 400) };
}

/**
 * What to change for each refusal an administrator meets, by AADSTS code (reference-error-codes). `appId`
 * is MicrosoftAppId, named so the administrator looks at the right app registration.
 */
export function tokenRefusalFix(aadsts: string | null, appId: string): string {
  const secrets = `Azure portal → App registrations → ${appId} → Certificates & secrets`;
  switch (aadsts) {
    case 'AADSTS7000215': // InvalidClientSecretProvided
      return `MicrosoftAppPassword is not a client secret of app ${appId}: set it to the secret's Value (shown once, when it was made), not its Secret ID, or make a new one (${secrets}).`;
    case 'AADSTS7000222': // InvalidClientSecretExpiredKeysProvided
      return `the client secret of app ${appId} has expired: make a new one (${secrets} → New client secret) and set MicrosoftAppPassword to its Value.`;
    case 'AADSTS7000218': // InvalidClientCredential: no secret sent
      return `MicrosoftAppPassword is empty: set it to a client secret of app ${appId} (${secrets}).`;
    case 'AADSTS700016': // UnauthorizedClient_DoesNotMatchRequest: no such app in that tenant
      return `app ${appId} is not in the tenant the token was asked of: check MicrosoftAppId, and MicrosoftAppType / MicrosoftAppTenantId (a single-tenant bot needs MicrosoftAppType=SingleTenant and its tenant id).`;
    case 'AADSTS90002': // InvalidTenantName
      return 'the tenant does not exist: check MicrosoftAppTenantId (the directory id of the bot\'s app registration).';
    default:
      return 'check MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId against the Azure Bot\'s app registration (`teams-rollout doctor` checks the token).';
  }
}
