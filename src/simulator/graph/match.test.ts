import { expect } from 'chai';
import { GraphHttpError } from './errors.js';
import { matchRoute } from './match.js';

const routes = [
  { method: 'GET', pattern: '/users/delta', name: 'delta' },
  { method: 'GET', pattern: '/users/{user}', name: 'user' },
  { method: 'GET', pattern: '/users/{user}/teamwork/installedApps', name: 'list' },
  { method: 'POST', pattern: '/users/{user}/teamwork/installedApps', name: 'install' },
  { method: 'GET', pattern: '/users/{user}/teamwork/installedApps/{installation}/chat', name: 'chat' },
  { method: 'POST', pattern: '/$batch', name: 'batch' },
];

describe('matchRoute', () => {
  const table: [string, string, string, Record<string, string>][] = [
    ['GET', '/users/delta', 'delta', {}],
    ['GET', '/users/abc', 'user', { user: 'abc' }],
    ['GET', '/Users/ABC/Teamwork/InstalledApps', 'list', { user: 'ABC' }],
    ['POST', '/users/ada%40contoso.com/teamwork/installedApps', 'install', { user: 'ada@contoso.com' }],
    ['GET', '/users/x_fabrikam.com%23EXT%23%40contoso.com/teamwork/installedApps', 'list', { user: 'x_fabrikam.com#EXT#@contoso.com' }],
    ['GET', '/users/u/teamwork/installedApps/TjA%3D/chat', 'chat', { user: 'u', installation: 'TjA=' }],
    ['POST', '/$batch', 'batch', {}],
  ];
  for (const [method, path, name, params] of table) {
    it(`${method} ${path} → ${name}`, () => {
      const m = matchRoute(routes, method, path);
      expect(m).to.have.property('route').with.property('name', name);
      expect((m as { params: unknown }).params).to.deep.equal(params);
    });
  }

  it('says when the path exists for another method', () => {
    expect(matchRoute(routes, 'DELETE', '/users/abc')).to.deep.equal({ methodMismatch: true });
  });

  it("names the first unknown segment, as Graph's 400 does (the /v1.0/v1.0 batch trap)", () => {
    const e = (() => {
      try {
        matchRoute(routes, 'GET', '/v1.0/users/abc');
      } catch (err) {
        return err as GraphHttpError;
      }
    })();
    expect(e).to.be.instanceOf(GraphHttpError);
    expect(e!.status).to.equal(400);
    expect(e!.message).to.equal("Resource not found for the segment 'v1.0'.");
    expect(() => matchRoute(routes, 'GET', '/users/abc/teamwork/nope')).to.throw("Resource not found for the segment 'nope'.");
  });
});
