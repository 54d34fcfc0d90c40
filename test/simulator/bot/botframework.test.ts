import { expect } from 'chai';
import { startBotSideTenant, type BotSideTenant } from './harness.js';

describe('simulated Bot Framework OpenID metadata and keys', () => {
  let tenant: BotSideTenant;
  before(async () => {
    tenant = await startBotSideTenant();
  });
  after(() => tenant?.close());

  it('serves the metadata document botbuilder reads, pointing at the JWKS over http', async () => {
    const md = (await (await fetch(tenant.urls.botOpenIdMetadata)).json()) as Record<string, unknown>;
    expect(md).to.include({ issuer: 'https://api.botframework.com', jwks_uri: `${tenant.urls.http}/botframework/v1/.well-known/keys` });
    expect(md.id_token_signing_alg_values_supported).to.deep.equal(['RS256']);
  });

  it('publishes the channel key endorsed for msteams, and a second key that is not', async () => {
    const { keys } = (await (await fetch(`${tenant.urls.http}/botframework/v1/.well-known/keys`)).json()) as { keys: Record<string, any>[] };
    expect(keys).to.have.length(2);
    const [endorsed, other] = keys;
    expect(endorsed).to.include({ kty: 'RSA', kid: tenant.ctx.channelKey.kid, alg: 'RS256', use: 'sig' });
    expect(endorsed!.endorsements).to.deep.equal(['msteams']);
    expect(endorsed).to.include.keys('n', 'e');
    expect(other!.kid).to.not.equal(endorsed!.kid);
    expect(other!.endorsements).to.not.include('msteams');
  });
});
