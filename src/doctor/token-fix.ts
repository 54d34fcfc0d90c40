import type { CloudName } from '../cloud/presets.js';

const DEFAULT_FIX = {
  graph: 'check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or the certificate) of the app registration',
  bot: 'check MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId of the Azure Bot registration',
} as const;

/**
 * The fix doctor gives for a refused token. AADSTS500011 (invalid_resource: "The resource principal named
 * … was not found in the tenant", https://learn.microsoft.com/entra/identity-platform/reference-error-codes)
 * is what a tenant of one cloud answers to a scope of another: a GCC High tenant knows
 * https://graph.microsoft.us, not https://graph.microsoft.com (https://learn.microsoft.com/graph/deployments).
 * Checking the secret would not help there; TEAMS_CLOUD would. Pure.
 */
export function tokenRefusalCheckFix(message: string, token: 'graph' | 'bot', cloud: CloudName): string {
  if (!/AADSTS500011\b/.test(message)) return DEFAULT_FIX[token];
  const scope = /resource principal named (\S+)/.exec(message)?.[1];
  const asked = scope ? `the scope ${scope}` : 'the scope asked for';
  return `the tenant knows no resource for ${asked}, which is TEAMS_CLOUD=${cloud}'s: the tenant is probably in another Microsoft cloud. Set TEAMS_CLOUD to the tenant's (GCCHigh or DoD for US Government tenants; GCC and the commercial cloud share Public's endpoints), then run doctor again`;
}
