import { expect } from 'chai';
import { parseConfig, type Need } from './config.js';

const GUID = '11111111-2222-4333-8444-555555555555';
const all = new Set<Need>(['graph', 'bot', 'app']);

describe('parseConfig', () => {
  it('reports every missing variable at once, each with its name and a fix', () => {
    const { errors } = parseConfig({}, all);
    const names = errors.map((e) => e.split(':')[0]);
    expect(names).to.have.members(['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'TEAMS_APP_ID', 'MicrosoftAppId']);
    for (const e of errors) expect(e).to.match(/ — /, `"${e}" has no fix`);
  });

  it('needs nothing for a command that needs nothing', () => {
    expect(parseConfig({}, new Set()).errors).to.deep.equal([]);
  });

  it('lets Graph default to the bot registration', () => {
    const { config, errors } = parseConfig(
      { MicrosoftAppId: GUID, MicrosoftAppPassword: 's3cret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: GUID, TEAMS_APP_ID: GUID },
      all,
    );
    expect(errors).to.deep.equal([]);
    expect(config.graph).to.include({ tenantId: GUID, clientId: GUID, clientSecret: 's3cret' });
  });

  it('does not lend the bot secret to a different Graph app', () => {
    const other = 'aaaaaaaa-2222-4333-8444-555555555555';
    const { config, errors } = parseConfig({ MicrosoftAppId: GUID, MicrosoftAppPassword: 'bot', AZURE_CLIENT_ID: other, AZURE_TENANT_ID: GUID }, new Set<Need>(['graph']));
    expect(config.graph.clientSecret).to.equal(undefined);
    expect(errors.join()).to.contain('AZURE_CLIENT_SECRET');
  });

  const bad: [string, Record<string, string>, string][] = [
    ['an http authority', { AZURE_AUTHORITY_HOST: 'http://login.example' }, 'AZURE_AUTHORITY_HOST'],
    ['an http Graph URL', { GRAPH_BASE_URL: 'http://graph.example/' }, 'GRAPH_BASE_URL'],
    ['a non-GUID manifest id', { TEAMS_APP_ID: 'my-app' }, 'TEAMS_APP_ID'],
    ['a non-GUID bot id', { MicrosoftAppId: 'bot', MicrosoftAppPassword: 'x' }, 'MicrosoftAppId'],
    ['a non-GUID Graph client id', { AZURE_CLIENT_ID: 'not-a-guid', AZURE_CLIENT_SECRET: 'x', AZURE_TENANT_ID: GUID }, 'AZURE_CLIENT_ID'],
    ['an unknown app type', { MicrosoftAppType: 'Sometimes' }, 'MicrosoftAppType'],
    ['a negative rate', { BOT_SEND_RPS: '-3' }, 'BOT_SEND_RPS'],
    ['a rate that is not a number', { GRAPH_INSTALLEDAPPS_POST_RPS: 'fast' }, 'GRAPH_INSTALLEDAPPS_POST_RPS'],
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['a retry count past the bound', { RETRY_MAX_ATTEMPTS: '16' }, 'RETRY_MAX_ATTEMPTS'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['an unknown log format', { LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    ['a single-tenant bot without tenant', { MicrosoftAppId: GUID, MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
    ['a proxy without its scheme', { HTTPS_PROXY: 'proxy.contoso.com:8080' }, 'HTTPS_PROXY'],
    ['a SOCKS proxy', { HTTP_PROXY: 'socks5://127.0.0.1:1080' }, 'HTTP_PROXY'],
    ['a lower-case proxy that is not a URL', { https_proxy: 'my proxy' }, 'https_proxy'],
  ];
  for (const [what, env, name] of bad) {
    it(`rejects ${what}, naming ${name}`, () => {
      const { errors } = parseConfig(env, all);
      expect(errors.some((e) => e.startsWith(`${name}:`)), errors.join('\n')).to.equal(true);
      for (const e of errors) expect(e).to.match(/ — \S/, `"${e}" has no fix`);
    });
  }

  it('a value of the wrong shape does not make the others look missing', () => {
    const good = { MicrosoftAppId: GUID, MicrosoftAppPassword: 's3cret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: GUID, TEAMS_APP_ID: GUID };
    for (const typo of [{ PORT: '99999' }, { GRAPH_INSTALLEDAPPS_POST_RPS: 'abc' }, { HOST: '0.0.0.0 PORT=3978' }]) {
      const { errors, config } = parseConfig({ ...good, ...typo }, all);
      expect(errors, JSON.stringify(typo)).to.have.length(1);
      expect(errors[0]!.split(':')[0]).to.equal(Object.keys(typo)[0]);
      expect(config.graph.clientId).to.equal(GUID);
    }
  });

  it('applies the published limits by default and accepts overrides', () => {
    expect(parseConfig({}).config.limits).to.deep.equal({ graphGetRps: 30, graphPostRps: 30, graphDirectoryRps: 20, botRps: 50, botPerConversationRps: 7 });
    expect(parseConfig({ BOT_SEND_RPS: '25' }).config.limits.botRps).to.equal(25);
  });

  it('reads the proxy settings, and checks them only for the commands that call out', () => {
    const env = { HTTPS_PROXY: 'http://proxy.contoso.com:8080', NO_PROXY: 'localhost' };
    expect(parseConfig(env).config.proxy).to.deep.equal({ https: 'http://proxy.contoso.com:8080', http: 'http://proxy.contoso.com:8080', noProxy: 'localhost' });
    expect(parseConfig({ HTTPS_PROXY: 'proxy:8080' }).errors, 'report reads only the ledger').to.deep.equal([]);
    expect(parseConfig({ HTTPS_PROXY: 'proxy:8080' }, new Set<Need>(['graph'])).errors.join()).to.contain('HTTPS_PROXY').and.contain('http://proxy.contoso.com:8080');
  });

  describe('TEAMS_CLOUD', () => {
    const bot = { MicrosoftAppId: GUID, MicrosoftAppPassword: 's3cret', TEAMS_APP_ID: GUID, AZURE_TENANT_ID: GUID };

    it('unset: the commercial cloud, and the Bot Framework endpoints left to botbuilder', () => {
      const { config } = parseConfig(bot, all);
      expect(config.cloud).to.equal('Public');
      expect(config.graph).to.include({ baseUrl: 'https://graph.microsoft.com/', scope: 'https://graph.microsoft.com/.default', authorityHost: 'https://login.microsoftonline.com' });
      expect(config.bot).to.include({ openIdMetadataUrl: undefined, tokenIssuer: undefined, loginUrl: undefined, oauthScope: undefined, usGovernment: false });
      expect(config.proactiveServiceUrl).to.equal('https://smba.trafficmanager.net/teams/');
    });

    it('GCCHigh presets Graph, its scope, the authority, the Bot Framework endpoints and the proactive serviceUrl', () => {
      const { config, errors, warnings } = parseConfig({ ...bot, TEAMS_CLOUD: 'USGov' }, all);
      expect(errors).to.deep.equal([]);
      expect(config.cloud).to.equal('GCCHigh');
      expect(config.graph).to.include({ baseUrl: 'https://graph.microsoft.us/', scope: 'https://graph.microsoft.us/.default', authorityHost: 'https://login.microsoftonline.us' });
      expect(config.bot).to.include({
        openIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
        tokenIssuer: 'https://api.botframework.us',
        loginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
        oauthScope: 'https://api.botframework.us',
        usGovernment: true,
      });
      expect(config.proactiveServiceUrl).to.equal('https://smba.infra.gov.teams.microsoft.us/teams/');
      expect(warnings.join()).to.contain('TEAMS_CLOUD=GCCHigh').and.contain('not supported in application context');
    });

    it('a single-tenant bot in DoD gets its token from its own tenant', () => {
      const { config } = parseConfig({ ...bot, TEAMS_CLOUD: 'dod', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: GUID }, all);
      expect(config.bot.loginUrl).to.equal(`https://login.microsoftonline.us/${GUID}`);
      expect(config.graph.baseUrl).to.equal('https://dod-graph.microsoft.us/');
    });

    it('each endpoint can still be set on its own, and the Graph scope follows a known Graph host', () => {
      const { config } = parseConfig({ ...bot, TEAMS_CLOUD: 'GCCHigh', GRAPH_BASE_URL: 'https://dod-graph.microsoft.us', TEAMS_PROACTIVE_SERVICE_URL: 'https://smba.infra.gov.teams.microsoft.us/gcch', ToBotFromChannelTokenIssuer: 'https://issuer.example' }, all);
      expect(config.graph).to.include({ baseUrl: 'https://dod-graph.microsoft.us/', scope: 'https://dod-graph.microsoft.us/.default' });
      expect(config.proactiveServiceUrl).to.equal('https://smba.infra.gov.teams.microsoft.us/gcch');
      expect(config.bot.tokenIssuer).to.equal('https://issuer.example');
      expect(config.bot.oauthScope).to.equal('https://api.botframework.us');
    });

    it('GCC keeps the commercial Graph and Bot Framework, with its own proactive serviceUrl', () => {
      const { config, warnings } = parseConfig({ ...bot, TEAMS_CLOUD: 'GCC' }, all);
      expect(config.graph.baseUrl).to.equal('https://graph.microsoft.com/');
      expect(config.bot.loginUrl).to.equal('https://login.microsoftonline.com/botframework.com');
      expect(config.proactiveServiceUrl).to.equal('https://smba.infra.gcc.teams.microsoft.com/teams/');
      expect(warnings).to.deep.equal([]);
    });

    it('21Vianet is refused with the reason, like any unknown name, for every command', () => {
      for (const value of ['China', 'Mars']) {
        const { errors } = parseConfig({ TEAMS_CLOUD: value });
        expect(errors).to.have.length(1);
        expect(errors[0]).to.match(/^TEAMS_CLOUD: /).and.match(/ — \S/);
      }
      expect(parseConfig({ TEAMS_CLOUD: 'China' }).errors[0]).to.contain('bots as not supported');
    });
  });

  it('normalises the Graph base URL to end with a slash', () => {
    expect(parseConfig({ GRAPH_BASE_URL: 'https://127.0.0.1:9443' }).config.graph.baseUrl).to.equal('https://127.0.0.1:9443/');
  });

  it('reports a non-GUID client id lent by MicrosoftAppId once, under MicrosoftAppId', () => {
    const { errors } = parseConfig({ MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: 'x', AZURE_TENANT_ID: GUID, TEAMS_APP_ID: GUID }, all);
    expect(errors.filter((e) => /not-a-guid/.test(e))).to.have.length(1);
    expect(parseConfig({ MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: 'x', AZURE_TENANT_ID: GUID }, new Set<Need>(['graph'])).errors.join()).to.match(/^MicrosoftAppId: "not-a-guid" is not a GUID/);
  });

  describe('rates far above the published limits', () => {
    const warnings = (env: Record<string, string>) => parseConfig(env, new Set()).warnings;
    const table: [string, Record<string, string>, RegExp | null][] = [
      ['the published limit', { BOT_SEND_RPS: '50' }, null],
      ['twice the limit (a tenant with a raised limit)', { GRAPH_INSTALLEDAPPS_POST_RPS: '60' }, null],
      ['ten times the bot limit', { BOT_SEND_RPS: '500' }, /^BOT_SEND_RPS=500 is 10× the published limit of 50\/s.*429.*unset it/],
      ['a hundred times the Graph POST limit', { GRAPH_INSTALLEDAPPS_POST_RPS: '3000' }, /^GRAPH_INSTALLEDAPPS_POST_RPS=3000 is 100×/],
      ['the per-conversation limit far above', { BOT_SEND_PER_CONVERSATION_RPS: '70' }, /^BOT_SEND_PER_CONVERSATION_RPS=70 is 10× the published limit of 7\/s/],
      ['far above, but against the simulated tenant on loopback', { BOT_SEND_RPS: '5000', GRAPH_BASE_URL: 'https://127.0.0.1:9443/' }, null],
    ];
    for (const [what, env, want] of table) {
      it(`${what} → ${want ? 'a warning' : 'no warning'}`, () => {
        const w = warnings(env);
        if (want) {
          expect(w).to.have.length(1);
          expect(w[0]).to.match(want);
        } else expect(w).to.deep.equal([]);
      });
    }
  });
});
