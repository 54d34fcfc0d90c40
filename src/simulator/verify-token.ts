import type { SimContext } from './context.js';
import { verifyBearer, type Verified } from './jwt.js';
import { BOT_FRAMEWORK_TENANT_ID, GRAPH_APP_ID } from './token-claims.js';

/**
 * Checks the bearer token of a Graph request: our issuer's signature, lifetime (5 min skew), a Graph
 * audience and this tenant. The message becomes the 401 InvalidAuthenticationToken text.
 */
export async function verifyGraphToken(ctx: SimContext, authorization: string | undefined): Promise<Verified> {
  if (!authorization) return { ok: false, message: 'Access token is empty.' };
  const v = await verifyBearer(authorization, ctx.issuerKey, { audience: [ctx.cloud.graphResource, `${ctx.cloud.graphResource}/`, GRAPH_APP_ID] }, ctx.clock.now());
  if (v.ok && v.claims.tid !== ctx.state.tenantId) return { ok: false, message: 'Access token validation failure. Invalid tenant.' };
  return v;
}

/**
 * Checks the bearer token of a Bot Connector request (bot → channel, wire-facts B3): our issuer's
 * signature, the Bot Framework audience, and a token issued for this tenant or for botframework.com.
 */
export async function verifyBotFrameworkToken(ctx: SimContext, authorization: string | undefined): Promise<Verified> {
  if (!authorization) return { ok: false, message: 'Authorization header not found.' };
  const v = await verifyBearer(authorization, ctx.issuerKey, { audience: ctx.cloud.botFramework }, ctx.clock.now());
  if (v.ok && v.claims.tid !== ctx.state.tenantId && v.claims.tid !== BOT_FRAMEWORK_TENANT_ID) return { ok: false, message: 'Token issued for another tenant.' };
  return v;
}

/** How many verified Graph tokens a verifier remembers (a client holds one token per hour). */
const VERIFIED_CACHE_SIZE = 256;

/**
 * verifyGraphToken with a small memory of tokens already verified: the RSA signature check is the
 * costliest step of a Graph request, and a client sends the same token thousands of times. A remembered
 * token is still checked for expiry on every use. The cache lives in the returned closure, one per tenant.
 */
export function createGraphTokenVerifier(ctx: SimContext): (authorization: string | undefined) => Promise<Verified> {
  const verified = new Map<string, Verified & { ok: true }>();
  return async (authorization) => {
    const known = authorization ? verified.get(authorization) : undefined;
    if (known) {
      const exp = typeof known.claims.exp === 'number' ? known.claims.exp * 1000 : 0;
      if (exp + 300_000 > ctx.clock.now()) return known;
      verified.delete(authorization!);
    }
    const v = await verifyGraphToken(ctx, authorization);
    if (v.ok && authorization) {
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
      verified.set(authorization, v);
    }
    return v;
  };
}
