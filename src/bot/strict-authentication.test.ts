import { expect } from 'chai';
import { AuthenticationError } from 'botframework-connector';
import { asAuthenticationError } from './strict-authentication.js';

describe('asAuthenticationError', () => {
  for (const name of ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']) {
    it(`turns jsonwebtoken's ${name} into a 401 AuthenticationError`, () => {
      const e = Object.assign(new Error('invalid signature'), { name });
      const mapped = asAuthenticationError(e);
      expect(mapped).to.be.instanceOf(AuthenticationError);
      expect((mapped as AuthenticationError).statusCode).to.equal(401);
      expect((mapped as Error).message).to.equal('Unauthorized. invalid signature');
    });
  }

  it('keeps AuthenticationErrors and anything else as they are', () => {
    const auth = new AuthenticationError('nope', 401);
    const other = new TypeError('boom');
    expect(asAuthenticationError(auth)).to.equal(auth);
    expect(asAuthenticationError(other)).to.equal(other);
  });
});
