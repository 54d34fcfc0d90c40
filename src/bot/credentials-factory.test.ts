import { expect } from 'chai';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import { ConfigError } from '../errors.js';
import type { BotAuthSettings } from '../config.js';
import { createCredentialsFactory, isPrivateAuthority, outboundLoginUrl } from './credentials-factory.js';
import { proxySettingsFrom } from '../net/proxy.js';

describe('createCredentialsFactory', () => {
  const base: BotAuthSettings = { appId: 'app', appPassword: 'secret', appType: 'MultiTenant' };

  const authorities: [string | undefined, boolean][] = [
    [undefined, false],
    ['https://login.microsoftonline.com/botframework.com', false],
    ['https://LOGIN.microsoftonline.com/tenant', false],
    ['https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us', false],
    ['https://127.0.0.1:9443/tenant', true],
    ['https://login.contoso-private.cloud/tenant', true],
  ];
  for (const [url, expected] of authorities) {
    it(`isPrivateAuthority(${url}) is ${expected}`, () => expect(isPrivateAuthority(url)).to.equal(expected));
  }

  it('leaves the public cloud and local-emulator mode to botbuilder', () => {
    expect(createCredentialsFactory(base)).to.equal(undefined);
    expect(createCredentialsFactory({ appType: 'MultiTenant', loginUrl: 'https://127.0.0.1:9443/x' })).to.equal(undefined);
  });

  it('uses MSAL with knownAuthorities for a private authority, and checks the app id', async () => {
    const factory = createCredentialsFactory({ ...base, loginUrl: 'https://127.0.0.1:9443/botframework.com' });
    expect(factory).to.be.instanceOf(MsalServiceClientCredentialsFactory);
    expect(await factory!.isValidAppId('app')).to.equal(true);
    expect(await factory!.isValidAppId('other')).to.equal(false);
    expect(await factory!.isAuthenticationDisabled()).to.equal(false);
  });

  it('refuses an http authority or a missing password with a ConfigError that says how to fix it', () => {
    expect(() => createCredentialsFactory({ ...base, loginUrl: 'http://127.0.0.1:9080/t' })).to.throw(ConfigError, /must use https/);
    expect(() => createCredentialsFactory({ ...base, appPassword: undefined, loginUrl: 'https://127.0.0.1:9443/t' })).to.throw(ConfigError, /MicrosoftAppPassword/);
  });

  it('takes the public-cloud token through our MSAL client when its authority is behind a proxy (botbuilder\'s goes straight out)', () => {
    const fetch = globalThis.fetch;
    const behind = { fetch, proxy: proxySettingsFrom({ HTTPS_PROXY: 'http://proxy:8080' }) };
    expect(createCredentialsFactory(base, behind)).to.be.instanceOf(MsalServiceClientCredentialsFactory);
    expect(createCredentialsFactory(base, { fetch, proxy: proxySettingsFrom({ HTTPS_PROXY: 'http://proxy:8080', NO_PROXY: 'login.microsoftonline.com' }) })).to.equal(undefined);
    expect(createCredentialsFactory(base, { fetch, proxy: proxySettingsFrom({}) })).to.equal(undefined);
    expect(createCredentialsFactory({ ...base, appType: 'UserAssignedMSI', appTenantId: 't' }, behind), 'managed identity stays botbuilder\'s').to.equal(undefined);
  });

  it('outboundLoginUrl: botframework.com for multi-tenant bots, the own tenant for single-tenant ones, else the override', () => {
    expect(outboundLoginUrl(base)).to.equal('https://login.microsoftonline.com/botframework.com');
    expect(outboundLoginUrl({ ...base, appType: 'SingleTenant', appTenantId: 'contoso.onmicrosoft.com' })).to.equal('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(outboundLoginUrl({ ...base, loginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us' })).to.equal('https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us');
  });
});
