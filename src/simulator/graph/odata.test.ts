import { expect } from 'chai';
import { GraphHttpError } from './errors.js';
import { parseExpand, parseSelect, parseTop, project, splitTopLevel } from './odata.js';

describe('OData options', () => {
  it('$select keeps known properties in their own spelling, and 400s an unknown one as Graph words it', () => {
    expect(parseSelect('ID, userprincipalname', ['id', 'userPrincipalName'], 'user')).to.deep.equal(['id', 'userPrincipalName']);
    expect(parseSelect(null, ['id'], 'user')).to.equal(null);
    expect(() => parseSelect('id,shoeSize', ['id'], 'user'))
      .to.throw(GraphHttpError, "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.")
      .with.property('status', 400);
  });

  const tops: [string | null, number | 'error'][] = [
    [null, 100],
    ['1', 1],
    ['999', 999],
    ['1000', 'error'],
    ['0', 'error'],
    ['-5', 'error'],
    ['ten', 'error'],
    ['2.5', 'error'],
  ];
  for (const [raw, expected] of tops) {
    it(`$top=${raw} → ${expected}`, () => {
      if (expected === 'error') expect(() => parseTop(raw, { default: 100, max: 999 })).to.throw(GraphHttpError).with.property('status', 400);
      else expect(parseTop(raw, { default: 100, max: 999 })).to.equal(expected);
    });
  }

  it('$expand reads nested options', () => {
    const e = parseExpand('appDefinitions($expand=bot;$select=id,version),teamsApp');
    expect([...e.keys()]).to.deep.equal(['appdefinitions', 'teamsapp']);
    expect([...e.get('appdefinitions')!.expand.keys()]).to.deep.equal(['bot']);
    expect(e.get('appdefinitions')!.select).to.deep.equal(['id', 'version']);
    expect(() => parseExpand('a($orderby=x)')).to.throw(GraphHttpError);
  });

  it('splits at the top level only', () => {
    expect(splitTopLevel('a(b,c),d', ',')).to.deep.equal(['a(b,c)', 'd']);
  });

  it('projects the selection, or the defaults, with null for what the item lacks', () => {
    expect(project({ id: 1, a: 2 }, ['a', 'b'], ['id'])).to.deep.equal({ a: 2, b: null });
    expect(project({ id: 1, a: 2 }, null, ['id'])).to.deep.equal({ id: 1 });
  });
});
