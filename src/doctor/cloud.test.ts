import { expect } from 'chai';
import { outboundLoginUrl } from '../bot/credentials-factory.js';
import { parseConfig } from '../config.js';
import { cloudCheck } from './cloud.js';

const check = (env: Record<string, string>) => {
  const { config } = parseConfig(env);
  return cloudCheck(config, outboundLoginUrl(config.bot));
};

describe("doctor's cloud line", () => {
  it('the commercial cloud by default, every endpoint its preset', () => {
    const c = check({});
    expect(c).to.include({ name: 'cloud', ok: true });
    expect(c.detail).to.contain('Public: the commercial cloud').and.contain('Graph https://graph.microsoft.com/, token scope https://graph.microsoft.com/.default');
    expect(c.detail).to.contain('bot token from https://login.microsoftonline.com/botframework.com, scope https://api.botframework.com');
    expect(c.detail).to.contain('proactive serviceUrl https://smba.trafficmanager.net/teams/');
    expect(c.detail).not.to.contain('set by');
  });

  it('DoD: its endpoints, and a warning that Graph may refuse app-only installs there', () => {
    const c = check({ TEAMS_CLOUD: 'USGovDoD' });
    expect(c.ok).to.equal('warn');
    expect(c.detail).to.contain('DoD: US Government DoD').and.contain('Graph https://dod-graph.microsoft.us/, token scope https://dod-graph.microsoft.us/.default');
    expect(c.detail).to.contain('Entra authority https://login.microsoftonline.us').and.contain('issuer https://api.botframework.us, OpenID metadata https://login.botframework.azure.us/v1/.well-known/openidconfiguration');
    expect(c.detail).to.contain('proactive serviceUrl https://smba.infra.dod.teams.microsoft.us/teams/');
    expect(c.detail).to.contain('not supported in application context');
    expect(c.fix).to.contain('--limit 20');
  });

  it('an endpoint set by its own variable says so', () => {
    const c = check({ TEAMS_CLOUD: 'GCC', GRAPH_BASE_URL: 'https://127.0.0.1:9443', ToChannelFromBotLoginUrl: 'https://127.0.0.1:9443/t', TEAMS_PROACTIVE_SERVICE_URL: 'http://127.0.0.1:1/teams/' });
    expect(c.detail).to.contain('Graph https://127.0.0.1:9443/ (set by GRAPH_BASE_URL)');
    expect(c.detail).to.contain('bot token from https://127.0.0.1:9443/t (set by ToChannelFromBotLoginUrl)');
    expect(c.detail).to.contain('proactive serviceUrl http://127.0.0.1:1/teams/ (set by TEAMS_PROACTIVE_SERVICE_URL)');
    expect(c.detail).to.contain('Entra authority https://login.microsoftonline.com\n');
  });
});
