import { expect } from 'chai';
import { IN_MAX_VALUES, lookupKey, lookupRequests, type LookupRef } from './user-lookup.js';

const upn = (i: number): LookupRef => ({ kind: 'upn', value: `User${i}@contoso.com` });
const id = (i: number): LookupRef => ({ kind: 'id', value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
const filterOf = (url: string) => decodeURIComponent(/\$filter=([^&]*)/.exec(url)![1]!);

describe('lookupRequests (bulk directory look-ups)', () => {
  const table: [string, LookupRef[], number[]][] = [
    ['nobody', [], []],
    ['one UPN', [upn(1)], [1]],
    ['15 UPNs: one request (the `in` limit)', Array.from({ length: 15 }, (_, i) => upn(i)), [15]],
    ['16 UPNs: two', Array.from({ length: 16 }, (_, i) => upn(i)), [15, 1]],
    ['UPNs and ids never share a request', [upn(1), id(1), upn(2)], [2, 1]],
    ['the same person twice, in another case, is asked once', [upn(1), { kind: 'upn', value: 'user1@CONTOSO.com' }], [1]],
    ['2,000 lines: 134 requests', Array.from({ length: 2000 }, (_, i) => upn(i)), [...Array<number>(133).fill(15), 5]],
  ];
  for (const [what, refs, sizes] of table) {
    it(what, () => {
      const reqs = lookupRequests(refs);
      expect(reqs.map((r) => r.keys.length)).to.deep.equal(sizes);
      for (const r of reqs) expect(r.keys.length).to.be.at.most(IN_MAX_VALUES);
    });
  }

  it('builds a relative url (no /v1.0: wire-facts A7) with an `in` filter, $select and the quotes doubled', () => {
    const [r] = lookupRequests([{ kind: 'upn', value: "o'brien@contoso.com" }, upn(2)]);
    expect(r!.url).to.match(/^\/users\?\$filter=/).and.contain('&$select=id,userPrincipalName');
    expect(filterOf(r!.url)).to.equal("userPrincipalName in ('o''brien@contoso.com','User2@contoso.com')");
    expect(r!.keys).to.deep.equal(['upn:o\'brien@contoso.com', 'upn:user2@contoso.com']);
    expect(filterOf(lookupRequests([id(7)])[0]!.url)).to.equal(`id in ('${id(7).value}')`);
  });

  it('keeps each url under the 2,048 characters Graph accepts, splitting before 15 when UPNs are long', () => {
    const long = Array.from({ length: 15 }, (_, i) => ({ kind: 'upn' as const, value: `${'a'.repeat(60)}${i}@${'b'.repeat(50)}.contoso.com` }));
    const reqs = lookupRequests(long);
    expect(reqs.length).to.be.greaterThan(1);
    for (const r of reqs) expect(r.url.length).to.be.below(2048);
    expect(reqs.flatMap((r) => r.keys)).to.deep.equal(long.map(lookupKey));
  });
});
