import { expect } from 'chai';
import { FilterError, parseFilter } from './filter.js';
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

  const allowed = new Set(['externalid', 'id', 'appdefinitions', 'appdefinitions/bot']);
  for (const bad of ["startswith(displayName,'a')", "externalId gt 'a'", "externalId eq 'open", "externalId eq 'a')", 'externalId eq', "userType eq 'Guest'", "appDefinitions/any(a:a/version eq '1')", "id eq 'a' id eq 'b'"]) {
    it(`refuses ${bad}`, () => {
      expect(() => parseFilter(bad, (p) => allowed.has(p.toLowerCase()))).to.throw(FilterError);
    });
  }
});
