import { expect } from 'chai';
import { BOT_FRAMEWORK_TENANT_ID, accessTokenClaims, resolveTenantSegment, resourceOfScope } from './token-claims.js';

describe('token claims', () => {
  const scopes: [string | undefined, unknown][] = [
    ['https://graph.microsoft.com/.default', { ok: true, resource: 'graph' }],
    ['00000003-0000-0000-c000-000000000000/.default', { ok: true, resource: 'graph' }],
    ['https://api.botframework.com/.default', { ok: true, resource: 'botframework' }],
    ['openid profile https://api.botframework.com/.default offline_access', { ok: true, resource: 'botframework' }],
    ['https://graph.microsoft.com/User.Read', { ok: false, reason: 'unknown', scope: 'https://graph.microsoft.com/User.Read' }],
    ['https://graph.microsoft.com', { ok: false, reason: 'not-default', scope: 'https://graph.microsoft.com' }],
    ['https://vault.azure.net/.default', { ok: false, reason: 'unknown', scope: 'https://vault.azure.net/.default' }],
    [undefined, { ok: false, reason: 'missing', scope: '' }],
  ];
  for (const [scope, expected] of scopes) it(`scope ${scope}`, () => expect(resourceOfScope(scope)).to.deep.equal(expected));

  it('resolves tenant path segments', () => {
    const t = 'aaaaaaaa-0000-4000-8000-000000000001';
    expect(resolveTenantSegment(t.toUpperCase(), t, 'contoso.onmicrosoft.com')).to.deep.equal({ tenantId: t, alias: false });
    expect(resolveTenantSegment('Contoso.onmicrosoft.com', t, 'contoso.onmicrosoft.com')).to.deep.equal({ tenantId: t, alias: false });
    expect(resolveTenantSegment('botframework.com', t, 'x')).to.deep.equal({ tenantId: BOT_FRAMEWORK_TENANT_ID, alias: false });
    expect(resolveTenantSegment('common', t, 'x')).to.deep.equal({ tenantId: t, alias: true });
    expect(resolveTenantSegment('organizations', t, 'x')).to.deep.equal({ tenantId: t, alias: true });
    expect(resolveTenantSegment('fabrikam.com', t, 'x')).to.equal(null);
  });

  it('puts the roles in Graph tokens and none in Bot Framework tokens', () => {
    const app = { clientId: 'c', tenantId: 't', displayName: 'App', objectId: 'o' };
    const g = accessTokenClaims('graph', app, 't', ['User.Read.All'], 'u');
    expect(g).to.include({ aud: 'https://graph.microsoft.com', tid: 't', appid: 'c', iss: 'https://sts.windows.net/t/' });
    expect(g.roles).to.deep.equal(['User.Read.All']);
    const b = accessTokenClaims('botframework', app, BOT_FRAMEWORK_TENANT_ID, ['User.Read.All'], 'u');
    expect(b).to.include({ aud: 'https://api.botframework.com', appid: 'c' });
    expect(b).to.not.have.property('roles');
  });
});
