import type { TokenCredential } from '@azure/identity';
import { GRAPH_SCOPE } from './credential.js';

/**
 * The tenant's GUID, which keys the ledger (a configured tenant may be a domain name). Entra
 * access tokens are JWTs with a `tid` claim; when a token is opaque we keep the configured value.
 */
export async function tenantIdFromToken(credential: TokenCredential, configured: string, scope = GRAPH_SCOPE): Promise<string> {
  const token = await credential.getToken(scope);
  const payload = token?.token.split('.')[1];
  if (!payload) return configured;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown };
    return typeof claims.tid === 'string' && claims.tid ? claims.tid : configured;
  } catch {
    return configured;
  }
}
