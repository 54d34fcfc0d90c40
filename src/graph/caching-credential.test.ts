import { expect } from 'chai';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { cachingCredential } from './caching-credential.js';

function counting(clock: FakeClock, lifetimeMs: number): TokenCredential & { calls: number } {
  const c = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      c.calls++;
      return { token: `t${c.calls}`, expiresOnTimestamp: clock.now() + lifetimeMs };
    },
  };
  return c;
}

describe('cachingCredential', () => {
  it('asks the inner credential once while the token is fresh, shares one refresh, and renews before expiry', async () => {
    const clock = new FakeClock(0);
    const inner = counting(clock, 60 * 60_000);
    const cred = cachingCredential(inner, clock);
    const [a, b] = await Promise.all([cred.getToken('https://graph.microsoft.com/.default'), cred.getToken('https://graph.microsoft.com/.default')]);
    expect([a?.token, b?.token, inner.calls]).to.deep.equal(['t1', 't1', 1]);
    await clock.advance(54 * 60_000);
    expect((await cred.getToken('https://graph.microsoft.com/.default'))?.token).to.equal('t1');
    await clock.advance(2 * 60_000); // inside the 5-minute margin
    expect((await cred.getToken('https://graph.microsoft.com/.default'))?.token).to.equal('t2');
  });

  it('keeps scopes apart and does not cache a failure', async () => {
    const clock = new FakeClock(0);
    let fail = true;
    const inner: TokenCredential = {
      async getToken(scopes) {
        if (fail) throw new Error('AADSTS7000215: invalid client secret');
        return { token: String(scopes), expiresOnTimestamp: clock.now() + 3_600_000 };
      },
    };
    const cred = cachingCredential(inner, clock);
    await cred.getToken('a').then(() => expect.fail('a failure was swallowed'), (e: Error) => expect(e.message).to.contain('AADSTS'));
    fail = false;
    expect((await cred.getToken('a'))?.token).to.equal('a');
    expect((await cred.getToken('b'))?.token).to.equal('b');
  });
});
