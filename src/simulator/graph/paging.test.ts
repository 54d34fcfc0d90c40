import { expect } from 'chai';
import type { GraphCall } from './call.js';
import { GraphHttpError } from './errors.js';
import { decodeToken, encodeToken, linkTo, odataQueryString, queryPairsWithout } from './paging.js';
import { formatRetryAfter } from './refusals.js';

const call = { origin: 'https://127.0.0.1:9443', path: '/users', query: new URLSearchParams('$select=id,userPrincipalName&$top=100&$skiptoken=abc') } as GraphCall;

describe('paging', () => {
  it('round-trips an opaque token, and 400s a mangled one', () => {
    const t = encodeToken({ o: 1200, sel: ['id'] });
    expect(t).to.match(/^[A-Za-z0-9_-]+$/);
    expect(decodeToken(t, '$skiptoken')).to.deep.equal({ o: 1200, sel: ['id'] });
    expect(() => decodeToken('%%%', '$skiptoken')).to.throw(GraphHttpError).with.property('status', 400);
    expect(() => decodeToken(Buffer.from('[1]').toString('base64url'), '$deltatoken')).to.throw(GraphHttpError);
  });

  it('builds absolute https links the Graph client follows, keeping the query and replacing the token', () => {
    const link = linkTo(call, [...queryPairsWithout(call.query, ['$skiptoken']), ['$skiptoken', 'XYZ']]);
    expect(link).to.equal('https://127.0.0.1:9443/v1.0/users?$select=id,userPrincipalName&$top=100&$skiptoken=XYZ');
  });

  it('encodes what must be encoded and leaves OData punctuation readable', () => {
    expect(odataQueryString([['$filter', "userType eq 'Member'"]])).to.equal("$filter=userType%20eq%20'Member'");
    expect(odataQueryString([['x', 'a&b=c']])).to.equal('x=a%26b%3Dc');
  });
});

describe('formatRetryAfter', () => {
  const table: [number, string][] = [
    [734, '0.734'],
    [1000, '1'],
    [2128, '2.128'],
    [0, '0.001'],
    [0.2, '0.001'],
    [1033.4, '1.034'],
  ];
  for (const [ms, s] of table) it(`${ms} ms → "${s}"`, () => expect(formatRetryAfter(ms)).to.equal(s));
});
