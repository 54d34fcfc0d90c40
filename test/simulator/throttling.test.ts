import { RetryHandlerOptions, GraphError } from '@microsoft/microsoft-graph-client';
import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startTestTenant } from '../helpers/tenant.js';
import { bindFor, credentialFor, graph, graphClientFor, graphToken, sim, type Answer } from './graph-helpers.js';

/**
 * The published Teams limits (throttling-limits.md: installedApps POST 30 rps per app per tenant), with a
 * fake clock so that "in one second" means exactly that, however slow the machine.
 */
describe('Graph throttling (429 + Retry-After)', () => {
  let t: RunningTenant;
  let clock: FakeClock;
  let token: string;
  const members = () => t.state.users.filter((u) => u.kind === 'member');
  const install = (userId: string) => graph(t, token, 'POST', `/users/${userId}/teamwork/installedApps`, bindFor(t.catalogAppId));

  beforeEach(async () => {
    clock = new FakeClock();
    t = await startTestTenant({ users: 400, seed: 'throttle', clock });
    token = await graphToken(t);
  });
  afterEach(() => t.stop());

  it('answers 100 POSTs in the same second with 30 accepted and 70 × 429 carrying Retry-After', async () => {
    const answers = await Promise.all(members().slice(0, 100).map((u) => install(u.id)));
    const throttled = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 201)).to.have.length(30);
    expect(throttled).to.have.length(70);
    for (const a of throttled) {
      const seconds = Number(a.headers.get('retry-after'));
      expect(seconds).to.be.greaterThan(0).and.lessThan(5);
      expect(a.body.error).to.include({ code: 'TooManyRequests', message: 'Please retry again later.' });
      expect(a.body.error.innerError).to.include({ code: '429', status: '429', message: 'Please retry after' });
    }
    expect(t.state.requests['graph.installedApps.post']).to.deep.equal({ 201: 30, 429: 70 });
  });

  it('never throttles 30 POSTs per second kept up for 2 seconds', async () => {
    const answers: Answer[] = [];
    for (const u of members().slice(0, 60)) {
      answers.push(await install(u.id));
      await clock.advance(1000 / 30);
    }
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).to.deep.equal([]);
  });

  it('lets each refused request in when it comes back after its own Retry-After (a herd, as RetryHandler makes)', async () => {
    const people = members().slice(0, 60);
    const burst = await Promise.all(people.map((u) => install(u.id)));
    const refused = burst.map((a, i) => ({ user: people[i]!, at: Number(a.headers.get('retry-after')) * 1000 })).filter((_, i) => burst[i]!.status === 429);
    expect(refused).to.have.length(30);
    refused.sort((a, b) => a.at - b.at);
    let elapsed = 0;
    const retried: number[] = [];
    for (const r of refused) {
      await clock.advance(r.at - elapsed);
      elapsed = r.at;
      retried.push((await install(r.user.id)).status);
    }
    expect(retried.filter((s) => s !== 201)).to.deep.equal([]);
  });

  it('keeps refusing a client that retries at once, ignoring Retry-After', async () => {
    await Promise.all(members().slice(0, 30).map((u) => install(u.id)));
    const hammering: number[] = [];
    for (const u of members().slice(30, 90)) {
      hammering.push((await install(u.id)).status);
      await clock.advance(1000 / 60); // twice the limit
    }
    expect(hammering.filter((s) => s === 429).length).to.be.greaterThan(40);
  });

  it('limits the GETs of installedApps to 30 per second too, and lifts every limit with `off`', async () => {
    const list = (id: string) => graph(t, token, 'GET', `/users/${id}/teamwork/installedApps`);
    const first = await Promise.all(members().slice(0, 45).map((u) => list(u.id)));
    expect(first.filter((a) => a.status === 429)).to.have.length(15);
    await sim(t, 'POST', '/limits', { spec: 'off' });
    const after = await Promise.all(members().slice(0, 200).map((u) => list(u.id)));
    expect(after.filter((a) => a.status !== 200)).to.deep.equal([]);
  });
});

describe('Graph throttling seen by the real Graph client', () => {
  let t: RunningTenant;
  afterEach(() => t.stop());
  /** The client with a token already cached: MSAL would otherwise fetch one per concurrent request. */
  const warmClient = async () => {
    const credential = credentialFor(t);
    await credential.getToken('https://graph.microsoft.com/.default');
    return graphClientFor(t, credential);
  };
  const listFor = (client: ReturnType<typeof graphClientFor>, id: string, retry?: RetryHandlerOptions) => {
    const request = client.api(`/users/${id}/teamwork/installedApps`);
    return (retry ? request.middlewareOptions([retry]) : request).get().then(
      () => 200,
      (e: GraphError) => e.statusCode,
    );
  };

  it('surfaces 429 as a GraphError when its retries are off', async () => {
    t = await startTestTenant({ users: 300, seed: 'throttle-client', clock: new FakeClock() });
    const client = await warmClient();
    const statuses = await Promise.all(t.state.users.slice(0, 120).map((u) => listFor(client, u.id, new RetryHandlerOptions(0, 0))));
    expect(statuses.filter((s) => s === 429)).to.have.length(90);
    expect(statuses.filter((s) => s === 200)).to.have.length(30);
  });

  it('recovers by itself when its RetryHandler honours Retry-After', async function () {
    this.timeout(20_000);
    t = await startTestTenant({ users: 300, seed: 'throttle-client' }); // the real clock: the bucket refills while the client waits
    const client = await warmClient();
    const statuses = await Promise.all(t.state.users.slice(0, 50).map((u) => listFor(client, u.id)));
    expect(statuses.filter((s) => s !== 200)).to.deep.equal([]);
    expect(t.state.requests['graph.installedApps.get']?.['429'], 'some were throttled on the way').to.be.greaterThan(0);
  });
});
