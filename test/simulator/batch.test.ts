import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startTestTenant } from '../helpers/tenant.js';
import { bindFor, graph, graphToken } from './graph-helpers.js';

/** JSON batching (concepts/json-batching.md, wire-facts A7), built by hand as wire-facts recommends. */
describe('Graph $batch', () => {
  let t: RunningTenant;
  let token: string;
  beforeEach(async () => {
    t = await startTestTenant({ users: 200, seed: 'batch', clock: new FakeClock() });
    token = await graphToken(t);
  });
  afterEach(() => t.stop());
  const batch = (requests: unknown[]) => graph(t, token, 'POST', '/$batch', { requests });
  const members = () => t.state.users.filter((u) => u.kind === 'member');
  type Inner = { id: string; status: number; headers: Record<string, string>; body?: { error: { code: string; message: string } } };
  const byId = (responses: Inner[]) => Object.fromEntries(responses.map((r) => [r.id, r]));

  it('runs each inner request and answers 200 with one response per id', async () => {
    const [a, b] = members();
    const r = await batch([
      { id: '1', method: 'GET', url: `/users/${a!.id}/teamwork/installedApps` },
      { id: '2', method: 'POST', url: `/users/${b!.id}/teamwork/installedApps`, headers: { 'Content-Type': 'application/json' }, body: bindFor(t.catalogAppId) },
      { id: '3', method: 'GET', url: '/users/nobody@contoso.onmicrosoft.com/teamwork/installedApps' },
    ]);
    expect(r.status).to.equal(200);
    const res = byId(r.body.responses);
    expect(Object.keys(res).sort()).to.deep.equal(['1', '2', '3']);
    expect(res['1']).to.deep.include({ status: 200 });
    expect(res['2']).to.deep.include({ status: 201 });
    expect(res['2']).to.not.have.property('body');
    expect(res['3']!.body!.error.code).to.equal('NotFound');
    expect(t.state.installation(b!.id, t.catalogAppId)).to.not.equal(undefined);
    expect(t.state.requests['graph.installedApps.post']).to.deep.equal({ 201: 1 });
  });

  it("rejects a versioned inner url with Graph's own 400 (the graph-client 3.0.7 BatchRequestContent bug)", async () => {
    const r = await batch([{ id: '1', method: 'GET', url: `/v1.0/users/${members()[0]!.id}/teamwork/installedApps` }]);
    expect(r.status).to.equal(200);
    expect(r.body.responses[0].status).to.equal(400);
    expect(r.body.responses[0].body.error.message).to.equal("Resource not found for the segment 'v1.0'.");
  });

  it('throttles inner requests one by one, each 429 with its own Retry-After', async () => {
    const people = members().slice(0, 40);
    const calls = [];
    for (let i = 0; i < 2; i++) {
      const requests = people.slice(i * 20, i * 20 + 20).map((u, j) => ({ id: String(j), method: 'GET', url: `/users/${u.id}/teamwork/installedApps` }));
      calls.push(batch(requests));
    }
    const responses = (await Promise.all(calls)).flatMap((r) => r.body.responses as { status: number; headers: Record<string, string> }[]);
    const throttled = responses.filter((r) => r.status === 429);
    expect(throttled).to.have.length(10);
    for (const r of throttled) expect(Number(r.headers['Retry-After'])).to.be.greaterThan(0);
    expect(t.state.requests['graph.batch']).to.deep.equal({ 200: 2 });
  });

  it('fails the dependants of a failed request with 424, and refuses more than 20 requests', async () => {
    const r = await batch([
      { id: 'a', method: 'GET', url: '/users/nobody@contoso.onmicrosoft.com/teamwork/installedApps' },
      { id: 'b', method: 'GET', url: `/users/${members()[0]!.id}/teamwork/installedApps`, dependsOn: ['a'] },
    ]);
    expect(byId(r.body.responses).b).to.deep.include({ status: 424 });
    const tooMany = await batch(Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })));
    expect([tooMany.status, tooMany.body.error.code]).to.deep.equal([400, 'BadRequest']);
  });
});
