import { expect } from 'chai';
import { isAdminToken } from './admin-token.js';

describe('isAdminToken (the /status bearer, compared in constant time)', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['the same token', 's3cret-admin', true],
    ['no bearer', undefined, false],
    ['an empty bearer', '', false],
    ['a prefix of the token', 's3cret', false],
    ['the token and more', 's3cret-admin2', false],
    ['one character off', 's3cret-admiN', false],
    ['the same length, different', 'xxxxxxxxxxxx', false],
    ['a multi-byte string of the same char count', 's3cret-admín', false],
  ];
  for (const [what, given, want] of cases) {
    it(`${what} → ${want}`, () => expect(isAdminToken(given, 's3cret-admin')).to.equal(want));
  }

});
