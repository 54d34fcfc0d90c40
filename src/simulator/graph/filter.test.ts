import { expect } from 'chai';
import { FilterError, FilterTooLong, parseFilter } from './filter.js';
import { matchesFilter } from './filter-match.js';

const app = {
  id: 'cat-1',
  externalId: 'MANIFEST-1',
  distributionMethod: 'organization',
  displayName: "O'Brien Bot",
  appDefinitions: [{ bot: { id: 'bot-1' }, publishingState: 'published' }],
};
const storeApp = { id: 'store-1', externalId: null, distributionMethod: 'store', displayName: 'Polly', appDefinitions: [{ bot: null }] };
const any = () => true;

describe('$filter parser', () => {
  const table: [string, boolean, boolean][] = [
    // expression, matches app, matches storeApp
    ["externalId eq 'manifest-1'", true, false],
    ["distributionMethod eq 'organization'", true, false],
    ["externalId eq 'MANIFEST-1' and distributionMethod eq 'organization'", true, false],
    ["id eq 'store-1' or id eq 'cat-1'", true, true],
    ["id ne 'cat-1'", false, true],
    ["not (id eq 'cat-1')", false, true],
    ["not id eq 'cat-1' and distributionMethod eq 'store'", false, true],
    ['externalId eq null', false, true],
    ["displayName eq 'O''Brien Bot'", true, false],
    ['appDefinitions/any(a:a/bot ne null)', true, false],
    ["appDefinitions/any(a: a/bot/id eq 'bot-1')", true, false],
    ['appDefinitions/all(d:d/bot eq null)', false, true],
    ["(id eq 'x' or id eq 'cat-1') and externalId ne null", true, false],
    // `in` (https://learn.microsoft.com/graph/api/resources/user: id and userPrincipalName support $filter `in`).
    ["id in ('CAT-1', 'nope')", true, false],
    ["id in ('store-1')", false, true],
    ["externalId in ('x','manifest-1') and id in ('cat-1')", true, false],
    ["not (id in ('cat-1', 'store-1'))", false, false],
    ["displayName in ('O''Brien Bot')", true, false],
  ];
  for (const [expr, a, b] of table) {
    it(`${expr} → ${a}, ${b}`, () => {
      const f = parseFilter(expr, any);
      expect([matchesFilter(f, app), matchesFilter(f, storeApp)]).to.deep.equal([a, b]);
    });
  }

  it('binds `and` tighter than `or`', () => {
    const f = parseFilter("id eq 'cat-1' or id eq 'nope' and externalId eq 'nope'", any);
    expect(matchesFilter(f, app)).to.equal(true);
  });

  it('takes at most 15 values in one `in` (Graph known issues: "limited to 15 expressions"), refusing 16 as Graph does', () => {
    const list = (n: number) => `id in (${Array.from({ length: n }, (_, i) => `'u${i}'`).join(',')})`;
    expect(matchesFilter(parseFilter(list(15), any), { id: 'U14' })).to.equal(true);
    expect(() => parseFilter(list(16), any)).to.throw(FilterTooLong, /16\. Max allowed: 15/);
  });

  const allowed = new Set(['externalid', 'id', 'appdefinitions', 'appdefinitions/bot']);
  for (const bad of ["startswith(displayName,'a')", "externalId gt 'a'", "externalId eq 'open", "externalId eq 'a')", 'externalId eq', "id in ()", "id in ('a' 'b')", "id in 'a'", "userType eq 'Guest'", "appDefinitions/any(a:a/version eq '1')", "id eq 'a' id eq 'b'"]) {
    it(`refuses ${bad}`, () => {
      expect(() => parseFilter(bad, (p) => allowed.has(p.toLowerCase()))).to.throw(FilterError);
    });
  }
});
