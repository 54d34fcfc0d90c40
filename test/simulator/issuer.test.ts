import { ConfidentialClientApplication } from '@azure/msal-node';
import { ClientSecretCredential } from '@azure/identity';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import type { RunningTenant } from '../../src/simulator/server.js';
import { BOT_FRAMEWORK_TENANT_ID } from '../../src/simulator/token-claims.js';
import { startTestTenant } from '../helpers/tenant.js';
import { credentialFor, graph, graphToken, sim } from './graph-helpers.js';

describe('simulated Entra ID token issuer, driven by the real clients', () => {
  let t: RunningTenant;
  before(async () => {
    t = await startTestTenant({ users: 20, seed: 'issuer' });
  });
  after(() => t.stop());

  it('gives @azure/identity ClientSecretCredential a Graph token carrying the granted roles', async () => {
    const tok = await credentialFor(t).getToken('https://graph.microsoft.com/.default');
    const claims = decodeJwt(tok.token);
    expect(claims).to.include({ aud: 'https://graph.microsoft.com', tid: t.tenantId, appid: t.clientId, iss: `https://sts.windows.net/${t.tenantId}/` });
    expect(claims.roles).to.deep.equal(t.state.roles);
    expect(tok.expiresOnTimestamp - Date.now()).to.be.greaterThan(3000_000);
    expect(t.state.requests['graph.token']?.['200']).to.equal(1);
  });

  it('refuses a wrong secret with the AADSTS error MSAL reports', async () => {
    const bad = new ClientSecretCredential(t.tenantId, t.clientId, 'not-the-secret', { authorityHost: t.urls.issuer, disableInstanceDiscovery: true });
    const err = await bad.getToken('https://graph.microsoft.com/.default').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/AADSTS7000215/);
  });

  it('answers the token endpoint errors as Entra ID does', async () => {
    const post = (tenant: string, form: Record<string, string>) =>
      fetch(`${t.urls.issuer}/${tenant}/oauth2/v2.0/token?client-request-id=abc`, { method: 'POST', body: new URLSearchParams(form) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const base = { grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret, scope: 'https://graph.microsoft.com/.default' };
    const cases: [string, Record<string, string>, number, string, number][] = [
      [t.tenantId, { ...base, client_id: '00000000-0000-4000-8000-000000000000' }, 400, 'unauthorized_client', 700016],
      [t.tenantId, { ...base, client_secret: 'nope' }, 401, 'invalid_client', 7000215],
      [t.tenantId, { ...base, grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
      [t.tenantId, { ...base, scope: 'https://graph.microsoft.com/User.Read.All' }, 400, 'invalid_resource', 500011],
      [t.tenantId, { ...base, scope: 'https://graph.microsoft.com' }, 400, 'invalid_scope', 1002012],
      ['fabrikam.com', base, 400, 'invalid_request', 90002],
    ];
    for (const [tenant, form, status, error, code] of cases) {
      const r = await post(tenant, form);
      expect([r.status, r.body.error, r.body.error_codes], `${error}`).to.deep.equal([status, error, [code]]);
      expect(r.body.correlation_id).to.equal('abc');
    }
  });

  it("POST /_sim/bot-token: the bot's secret expires (AADSTS7000222, Bot Framework scope only) and its tokens' lifetime changes", async () => {
    const post = (scope: string) =>
      fetch(`${t.urls.issuer}/botframework.com/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret, scope }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const bot = 'https://api.botframework.com/.default';
    expect((await sim(t, 'POST', '/bot-token', { lifetimeSeconds: 302 })).status).to.equal(200);
    expect((await post(bot)).body.expires_in).to.equal(302);
    expect((await post('https://graph.microsoft.com/.default')).body.expires_in, 'Graph tokens keep their lifetime').to.equal(3599);
    expect((await sim(t, 'POST', '/bot-token', { secretExpired: true })).body).to.deep.equal({ botToken: { secretExpired: true, lifetimeSeconds: 302, expiresAfterGrants: null } });
    const refused = await post(bot);
    expect([refused.status, refused.body.error, refused.body.error_codes]).to.deep.equal([401, 'invalid_client', [7000222]]);
    expect((await post('https://graph.microsoft.com/.default')).status, 'the Graph scope is not refused').to.equal(200);
    expect((await sim(t, 'POST', '/bot-token', { lifetimeSeconds: 0 })).status).to.equal(400);
    expect((await sim(t, 'POST', '/bot-token', {})).status).to.equal(400);
    await sim(t, 'POST', '/bot-token', { secretExpired: false, lifetimeSeconds: 3599 });
    expect((await post(bot)).status).to.equal(200);
  });

  it('expires the bot secret right after a set number of Bot Framework grants, Graph tokens not counted', async () => {
    const post = (scope: string) =>
      fetch(`${t.urls.issuer}/botframework.com/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.clientId, client_secret: t.clientSecret, scope }) }).then((r) => r.status);
    const bot = 'https://api.botframework.com/.default';
    for (const bad of [0, -1, 1.5, 'two']) expect((await sim(t, 'POST', '/bot-token', { expiresAfterGrants: bad })).status, String(bad)).to.equal(400);
    expect((await sim(t, 'POST', '/bot-token', { expiresAfterGrants: 2 })).status).to.equal(200);
    expect(await post(bot)).to.equal(200);
    expect(await post('https://graph.microsoft.com/.default')).to.equal(200);
    expect(await post(bot)).to.equal(200);
    expect([await post(bot), await post(bot)], 'refused from the third on').to.deep.equal([401, 401]);
    expect(t.state.botToken).to.include({ secretExpired: true, expiresAfterGrants: null });
    await sim(t, 'POST', '/bot-token', { secretExpired: false, expiresAfterGrants: 1 });
    await sim(t, 'POST', '/bot-token', { expiresAfterGrants: null });
    expect([await post(bot), await post(bot)], 'null cancels the count').to.deep.equal([200, 200]);
  });

  it('serves OpenID discovery for the tenant, botframework.com and common, with the issuer on its own origin', async () => {
    for (const [segment, issuer] of [
      [t.tenantId, `${t.urls.issuer}/${t.tenantId}/v2.0`],
      ['botframework.com', `${t.urls.issuer}/${BOT_FRAMEWORK_TENANT_ID}/v2.0`],
      ['common', `${t.urls.issuer}/{tenantid}/v2.0`],
    ]) {
      const doc = (await (await fetch(`${t.urls.issuer}/${segment}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
      expect(doc.issuer).to.equal(issuer);
      for (const k of ['token_endpoint', 'authorization_endpoint', 'jwks_uri', 'end_session_endpoint']) expect(doc[k]).to.match(/^https:\/\//);
      const jwks = (await (await fetch(doc.jwks_uri!)).json()) as { keys: { kid: string }[] };
      expect(jwks.keys.map((k) => k.kid)).to.deep.equal([t.ctx.issuerKey.kid]);
    }
  });

  for (const authority of ['tenant', 'botframework.com']) {
    it(`gives botbuilder's MSAL 2.x a Bot Framework token through the ${authority} authority (knownAuthorities)`, async () => {
      const host = new URL(t.urls.issuer).host;
      const cca = new ConfidentialClientApplication({
        auth: { clientId: t.clientId, clientSecret: t.clientSecret, authority: `${t.urls.issuer}/${authority === 'tenant' ? t.tenantId : authority}`, knownAuthorities: [host] },
      });
      const r = await cca.acquireTokenByClientCredential({ scopes: ['https://api.botframework.com/.default'], skipCache: true });
      const claims = decodeJwt(r!.accessToken);
      expect(claims).to.include({ aud: 'https://api.botframework.com', appid: t.clientId });
      expect(claims).to.not.have.property('roles');
    });
  }

  it('reads the roles when it issues a token: a role removed later is missing from new tokens only', async () => {
    const original = [...t.state.roles];
    const before = await graphToken(t);
    await sim(t, 'POST', '/roles', { roles: ['User.Read.All'] });
    try {
      const after = await graphToken(t);
      expect(decodeJwt(after).roles).to.deep.equal(['User.Read.All']);
      expect((await graph(t, before, 'GET', '/appCatalogs/teamsApps')).status).to.equal(200);
      expect((await graph(t, after, 'GET', '/appCatalogs/teamsApps')).status).to.equal(403);
    } finally {
      await sim(t, 'POST', '/roles', { roles: original });
    }
  });
});
