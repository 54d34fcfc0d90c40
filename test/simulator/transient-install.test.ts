import { expect } from 'chai';
import { createSystemClock } from '../../src/clock.js';
import { createGraphClient } from '../../src/graph/client.js';
import { installAppForUser } from '../../src/graph/installed-apps.js';
import { createGraphStats } from '../../src/graph/stats.js';
import type { RunningTenant } from '../../src/simulator/server.js';
import { startTestTenant } from '../helpers/tenant.js';
import { bindFor, credentialFor, graph, graphToken, sim } from './graph-helpers.js';

/** The `entitlement-400` fault: Teams' transient install 400 (microsoftgraph/microsoft-graph-docs#20972). */
describe('simulated Graph: the transient entitlement 400 on installs', () => {
  let t: RunningTenant;
  const members = () => t.state.users.filter((u) => u.kind === 'member');
  before(async () => {
    t = await startTestTenant({ users: 40, seed: 'entitlement', limits: 'off', faults: 'entitlement-400=100%' });
  });
  after(() => t.stop());

  it("answers a person's first install with the reported 400 (Graph envelope), installs nothing, and lets the retry through", async () => {
    const token = await graphToken(t);
    const user = members()[0]!;
    const first = await graph(t, token, 'POST', `/users/${user.id}/teamwork/installedApps`, bindFor(t.catalogAppId));
    expect(first.status).to.equal(400);
    expect(first.body.error.code).to.equal('BadRequest');
    expect(first.body.error.message).to.match(/^Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync\. UserId: /);
    expect(first.body.error.innerError).to.include.keys('request-id', 'date');
    expect(t.state.installation(user.id, t.catalogAppId)).to.equal(undefined);
    const again = await graph(t, token, 'POST', `/users/${user.id}/teamwork/installedApps`, bindFor(t.catalogAppId));
    expect(again.status).to.equal(201);
    expect(t.state.installation(user.id, t.catalogAppId)).to.not.equal(undefined);
  });

  it('the product installs through it: one retry, counted as transient, and the person is installed', async () => {
    const stats = createGraphStats();
    const client = createGraphClient({ credential: credentialFor(t), baseUrl: t.urls.graph, buckets: {}, clock: createSystemClock(), policy: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50 }, onAttempt: (a) => stats.onAttempt(a) });
    const user = members()[1]!;
    expect(await installAppForUser(client, user.id, t.catalogAppId, 'https://graph.microsoft.com/')).to.deep.equal({ kind: 'created' });
    expect(stats.attempts.teamsPost).to.deep.equal({ 400: 1, 201: 1 });
    expect([stats.retries, stats.transientRetries]).to.deep.equal([1, 1]);
  });

  it('can be turned on and off mid-run through /_sim/faults', async () => {
    expect((await sim(t, 'POST', '/faults', { spec: 'entitlement-400=0' })).status).to.equal(200);
    const token = await graphToken(t);
    const answer = await graph(t, token, 'POST', `/users/${members()[2]!.id}/teamwork/installedApps`, bindFor(t.catalogAppId));
    expect(answer.status).to.equal(201);
  });
});
