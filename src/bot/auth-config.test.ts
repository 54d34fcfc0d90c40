import { expect } from 'chai';
import { CallerIdConstants } from 'botframework-schema';
import { parseConfig } from '../config.js';
import { PUBLIC_CLOUD, US_GOV_CLOUD, toBotFrameworkAuthConfig } from './auth-config.js';
import type { BotAuthSettings } from '../config.js';

describe('toBotFrameworkAuthConfig', () => {
  const creds: BotAuthSettings = { appId: 'app', appPassword: 'secret', appType: 'SingleTenant', appTenantId: 'tenant' };
  const cases: [string, BotAuthSettings, Record<string, unknown>][] = [
    ['no overrides: credentials only, botbuilder picks the public cloud', creds, { MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant' }],
    ['no app id: local-emulator mode, not even the app type', { appType: 'SingleTenant' }, {}],
    [
      'one override: every other endpoint key gets its public-cloud value, not undefined',
      { ...creds, openIdMetadataUrl: 'http://127.0.0.1:1/md' },
      { MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant', ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/md' },
    ],
    [
      'the simulator',
      { ...creds, openIdMetadataUrl: 'http://h/md', tokenIssuer: 'https://api.botframework.com', loginUrl: 'https://127.0.0.1:9443/tenant', oauthScope: 'https://api.botframework.com' },
      {
        MicrosoftAppId: 'app',
        MicrosoftAppPassword: 'secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: 'tenant',
        ...PUBLIC_CLOUD,
        ToBotFromChannelOpenIdMetadataUrl: 'http://h/md',
        ToChannelFromBotLoginUrl: 'https://127.0.0.1:9443/tenant',
      },
    ],
  ];
  for (const [name, settings, expected] of cases) {
    it(name, () => expect(toBotFrameworkAuthConfig(settings)).to.deep.equal(expected));
  }

  it('the public-cloud values are botbuilder’s', () => {
    expect(PUBLIC_CLOUD).to.include({
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    });
  });

  it('TEAMS_CLOUD=GCCHigh: the US Government Bot Framework for every key, its caller id included', () => {
    const { config } = parseConfig({ TEAMS_CLOUD: 'GCCHigh', MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' });
    const got = toBotFrameworkAuthConfig(config.bot);
    expect(got).to.deep.include({
      ...US_GOV_CLOUD,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    });
    expect(got.CallerId).to.equal(CallerIdConstants.USGovChannel);
    expect(got.ToChannelFromBotOAuthScope).to.equal('https://api.botframework.us');
  });
});
