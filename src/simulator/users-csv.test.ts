import { expect } from 'chai';
import { simUrls } from './env.js';
import { TenantState } from './state.js';
import { USER_KINDS } from './types.js';
import { MISSING_UPNS, usersCsv } from './users-csv.js';

describe('usersCsv', () => {
  it('has the header, some users of every kind, and two people who do not exist', () => {
    const s = new TenantState({ users: 300, seed: 4, now: 0 });
    const lines = usersCsv(s.users, 2).trimEnd().split('\n');
    expect(lines[0]).to.equal('userPrincipalName');
    const kinds = new Set(lines.slice(1).map((upn) => s.findUser(upn)?.kind ?? 'missing'));
    for (const k of USER_KINDS) expect(kinds.has(k), k).to.equal(true);
    expect(lines.slice(-2)).to.deep.equal(MISSING_UPNS);
    expect(lines).to.have.length(1 + 2 * USER_KINDS.length + 2);
  });
});

describe('simUrls', () => {
  it('reaches a wildcard bind through loopback and brackets IPv6', () => {
    expect(simUrls('0.0.0.0', 1, 2).serviceUrl).to.equal('http://127.0.0.1:2/amer/');
    expect(simUrls('::1', 1, 2).graph).to.equal('https://[::1]:1/');
    expect(simUrls('127.0.0.1', 9443, 9080)).to.include({
      issuer: 'https://127.0.0.1:9443',
      proactiveServiceUrl: 'http://127.0.0.1:9080/teams/',
      botOpenIdMetadata: 'http://127.0.0.1:9080/botframework/v1/.well-known/openidconfiguration',
      inspect: 'http://127.0.0.1:9080/_sim/inspect',
    });
  });
});
