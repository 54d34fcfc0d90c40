import { randomUUID } from 'node:crypto';
import express from 'express';
import { AAD, type AadError, type AadErrorIds } from './aad-errors.js';
import type { SimContext } from './context.js';
import { openIdConfiguration } from './issuer-metadata.js';
import { publicJwk, signJwt } from './jwt.js';
import { TOKEN_LIFETIME_SECONDS, accessTokenClaims, resolveTenantSegment, resourceOfScope } from './token-claims.js';

export { verifyGraphToken, verifyBotFrameworkToken } from './verify-token.js';

/** The tenant's initial domain (population.ts names every user `…@contoso.onmicrosoft.com`). */
export const TENANT_DOMAIN = 'contoso.onmicrosoft.com';

/**
 * The simulated Entra ID token issuer, served over HTTPS (wire-facts C: @azure/identity and MSAL refuse
 * an http authority). It answers the two calls @azure/identity's ClientSecretCredential and botbuilder's
 * MSAL make: OpenID discovery, then a client_credentials token POST (with `?client-request-id=`).
 */
export function createIssuerRouter(ctx: SimContext): express.Router {
  const router = express.Router();
  const origin = () => ctx.urls.issuer;
  const tenantOf = (segment: string) => resolveTenantSegment(segment, ctx.state.tenantId, TENANT_DOMAIN);
  const ids = (req: express.Request): AadErrorIds => ({
    traceId: randomUUID(),
    correlationId: String(req.query['client-request-id'] ?? req.get('client-request-id') ?? randomUUID()),
    nowMs: ctx.clock.now(),
    origin: origin(),
  });
  const refuse = (res: express.Response, e: AadError, label: string) => {
    ctx.state.countRequest(label, e.status);
    ctx.state.noteClient(label, res.req.socket.remotePort);
    res.status(e.status).json(e.body);
  };

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const t = tenantOf(req.params.tenant);
    if (!t) return refuse(res, AAD.tenantNotFound(req.params.tenant, ids(req)), 'issuer.metadata');
    ctx.state.countRequest('issuer.metadata', 200);
    ctx.state.noteClient('issuer.metadata', req.socket.remotePort);
    res.json(openIdConfiguration(origin(), req.params.tenant, t.tenantId, t.alias));
  });

  const keys = async (_req: express.Request, res: express.Response) => {
    res.json({ keys: [await publicJwk(ctx.issuerKey, { issuer: `${origin()}/${ctx.state.tenantId}/v2.0` })] });
  };
  router.get('/:tenant/discovery/v2.0/keys', keys);
  router.get('/:tenant/discovery/keys', keys);

  router.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const t = tenantOf(req.params.tenant);
    if (!t) return refuse(res, AAD.tenantNotFound(req.params.tenant, ids(req)), 'graph.token');
    const basic = basicCredentials(req.get('authorization'));
    const clientId = form.client_id ?? basic?.id;
    const secret = form.client_secret ?? basic?.secret;
    const scope = resourceOfScope(form.scope, ctx.cloud);
    const label = scope.ok && scope.resource === 'botframework' ? 'botframework.token' : 'graph.token';
    if (!form.grant_type) return refuse(res, AAD.missingParameter('grant_type', ids(req)), label);
    if (form.grant_type !== 'client_credentials') return refuse(res, AAD.unsupportedGrant(form.grant_type, ids(req)), label);
    if (!clientId) return refuse(res, AAD.missingParameter('client_id', ids(req)), label);
    if (clientId.toLowerCase() !== ctx.state.clientId) return refuse(res, AAD.unknownClient(clientId, t.tenantId, ids(req)), label);
    if (!secret) return refuse(res, AAD.missingSecret(ids(req)), label);
    if (secret !== ctx.state.clientSecret) return refuse(res, AAD.badSecret(clientId, ids(req)), label);
    // The bot's secret passed its end date (control: POST /_sim/bot-token): only the Bot Framework scope, as for a bot with its own app registration.
    if (label === 'botframework.token' && ctx.state.botToken.secretExpired) return refuse(res, AAD.expiredSecret(clientId, ids(req)), label);
    if (!scope.ok) {
      if (scope.reason === 'missing') return refuse(res, AAD.missingParameter('scope', ids(req)), label);
      if (scope.reason === 'not-default') return refuse(res, AAD.scopeNotDefault(scope.scope, ids(req)), label);
      return refuse(res, AAD.unknownResource(scope.scope, t.tenantId, ids(req)), label);
    }
    const app = { clientId: ctx.state.clientId, tenantId: ctx.state.tenantId, displayName: ctx.state.app.displayName, objectId: ctx.state.clientId };
    const claims = accessTokenClaims(scope.resource, app, t.tenantId, ctx.state.roles, randomUUID().replace(/-/g, ''), ctx.cloud);
    const lifetime = label === 'botframework.token' ? ctx.state.botToken.lifetimeSeconds : TOKEN_LIFETIME_SECONDS;
    const token = await signJwt(ctx.issuerKey, claims, lifetime, ctx.clock.now());
    ctx.state.countRequest(label, 200);
    ctx.state.noteClient(label, req.socket.remotePort);
    if (label === 'botframework.token') ctx.state.botTokenGranted();
    res.set('Cache-Control', 'no-store, no-cache').json({
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: token,
    });
  });
  return router;
}

/** client_secret_basic: `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return null;
  const [id, secret] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':');
  return id && secret ? { id: decodeURIComponent(id), secret: decodeURIComponent(secret) } : null;
}
