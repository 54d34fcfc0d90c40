import { expect } from 'chai';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import { ConfigError } from '../errors.js';
import type { BotAuthSettings } from './auth-settings.js';
import { createCredentialsFactory, isPrivateAuthority } from './credentials-factory.js';

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
});
