import { expect } from 'chai';
import { botLoginUrl, CLOUD_PRESETS, resolveCloud, type CloudName } from './presets.js';

describe('TEAMS_CLOUD names', () => {
  const rows: [string | undefined, CloudName][] = [
    [undefined, 'Public'],
    ['', 'Public'],
    ['Public', 'Public'],
    ['commercial', 'Public'],
    ['GCC', 'GCC'],
    ['gcc', 'GCC'],
    ['GCCHigh', 'GCCHigh'],
    ['GCC-High', 'GCCHigh'],
    ['gcc high', 'GCCHigh'],
    ['USGov', 'GCCHigh'], // teams.ts fromName
    ['usgov', 'GCCHigh'],
    ['AzureUSGovernment', 'GCCHigh'],
    ['DoD', 'DoD'],
    ['USGovDoD', 'DoD'], // teams.ts fromName
    ['dod', 'DoD'],
  ];
  for (const [value, name] of rows) {
    it(`${JSON.stringify(value)} → ${name}`, () => {
      const r = resolveCloud(value);
      expect(r.ok && r.preset.name).to.equal(name);
    });
  }

  for (const china of ['China', '21Vianet', 'AzureChinaCloud']) {
    it(`${china} is refused: bots are not supported in Teams operated by 21Vianet`, () => {
      const r = resolveCloud(china);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.problem).to.contain('21Vianet').and.contain('bots as not supported').and.contain('https://learn.microsoft.com/microsoftteams/platform/concepts/sovereign-cloud');
      expect(r.fix).to.contain('TEAMS_CLOUD');
    });
  }

  it('an unknown name lists the known ones', () => {
    const r = resolveCloud('Mars');
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.fix).to.contain('Public, GCC, GCCHigh, DoD');
  });
});

describe('cloud presets, as Microsoft documents them', () => {
  // [cloud, Graph, Graph scope, Entra authority, OpenID metadata, token issuer, login host, login tenant, OAuth scope, proactive serviceUrl]
  const rows: [CloudName, string, string, string, string, string, string, string, string, string][] = [
    ['Public', 'https://graph.microsoft.com/', 'https://graph.microsoft.com/.default', 'https://login.microsoftonline.com', 'https://login.botframework.com/v1/.well-known/openidconfiguration', 'https://api.botframework.com', 'https://login.microsoftonline.com', 'botframework.com', 'https://api.botframework.com', 'https://smba.trafficmanager.net/teams/'],
    ['GCC', 'https://graph.microsoft.com/', 'https://graph.microsoft.com/.default', 'https://login.microsoftonline.com', 'https://login.botframework.com/v1/.well-known/openidconfiguration', 'https://api.botframework.com', 'https://login.microsoftonline.com', 'botframework.com', 'https://api.botframework.com', 'https://smba.infra.gcc.teams.microsoft.com/teams/'],
    ['GCCHigh', 'https://graph.microsoft.us/', 'https://graph.microsoft.us/.default', 'https://login.microsoftonline.us', 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration', 'https://api.botframework.us', 'https://login.microsoftonline.us', 'MicrosoftServices.onmicrosoft.us', 'https://api.botframework.us', 'https://smba.infra.gov.teams.microsoft.us/teams/'],
    ['DoD', 'https://dod-graph.microsoft.us/', 'https://dod-graph.microsoft.us/.default', 'https://login.microsoftonline.us', 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration', 'https://api.botframework.us', 'https://login.microsoftonline.us', 'MicrosoftServices.onmicrosoft.us', 'https://api.botframework.us', 'https://smba.infra.dod.teams.microsoft.us/teams/'],
  ];
  for (const [name, graph, graphScope, authority, openId, issuer, loginHost, loginTenant, oauthScope, proactive] of rows) {
    it(name, () => {
      expect(CLOUD_PRESETS[name]).to.deep.include({
        graphBaseUrl: graph,
        graphScope,
        authorityHost: authority,
        botOpenIdMetadataUrl: openId,
        botTokenIssuer: issuer,
        botLoginHost: loginHost,
        botLoginTenant: loginTenant,
        botOAuthScope: oauthScope,
        proactiveServiceUrl: proactive,
      });
    });
  }

  it('GCC High and DoD warn that Graph does not install apps for people in application context there', () => {
    for (const name of ['GCCHigh', 'DoD'] as const) expect(CLOUD_PRESETS[name].caveats.join()).to.contain('teamwork-national-cloud-differences');
    for (const name of ['Public', 'GCC'] as const) expect(CLOUD_PRESETS[name].caveats).to.deep.equal([]);
  });

  it('botLoginUrl: the cloud\'s bot tenant for multi-tenant bots, their own tenant for single-tenant ones', () => {
    expect(botLoginUrl(CLOUD_PRESETS.GCCHigh, 'MultiTenant', undefined)).to.equal('https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us');
    expect(botLoginUrl(CLOUD_PRESETS.DoD, 'SingleTenant', 'contoso.onmicrosoft.us')).to.equal('https://login.microsoftonline.us/contoso.onmicrosoft.us');
    expect(botLoginUrl(CLOUD_PRESETS.Public, 'SingleTenant', 'contoso.onmicrosoft.com')).to.equal('https://login.microsoftonline.com/contoso.onmicrosoft.com');
  });
});
