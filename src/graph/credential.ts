import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { GraphSettings } from '../config.js';

/** The public cloud's authority; MSAL knows it and the sovereign clouds' own hosts. */
const KNOWN_AUTHORITIES = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];

/**
 * The credential that gets Graph tokens (@azure/identity conventions, PRODUCT.md §3). For an
 * authority host MSAL does not know (the simulated tenant, a private cloud), instance discovery
 * is switched off: otherwise MSAL first asks login.microsoftonline.com and fails offline
 * (wire-facts C, "Instance discovery").
 *
 * `httpClient` (fetch-http-client.ts) carries every call of the credential, MSAL's included (@azure/identity
 * hands MSAL its own pipeline as the network client), through the configured proxy (issue 10 item 4).
 */
export function createGraphCredential(g: GraphSettings, httpClient?: HttpClient): TokenCredential {
  const host = new URL(g.authorityHost).hostname;
  const options = { authorityHost: g.authorityHost, disableInstanceDiscovery: !KNOWN_AUTHORITIES.includes(host), ...(httpClient ? { httpClient } : {}) };
  const mi = httpClient ? { httpClient } : {};
  if (g.useManagedIdentity) return g.clientId ? new ManagedIdentityCredential({ clientId: g.clientId, ...mi }) : new ManagedIdentityCredential(mi);
  if (!g.tenantId || !g.clientId) throw new Error('createGraphCredential: tenantId and clientId are required (parseConfig reports this)');
  if (g.certificatePath) return new ClientCertificateCredential(g.tenantId, g.clientId, { certificatePath: g.certificatePath }, options);
  if (!g.clientSecret) throw new Error('createGraphCredential: a client secret, certificate or managed identity is required (parseConfig reports this)');
  return new ClientSecretCredential(g.tenantId, g.clientId, g.clientSecret, options);
}

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
