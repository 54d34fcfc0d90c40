import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import { USER_KINDS } from '../../src/simulator/types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startTestTenant } from '../helpers/tenant.js';
import { bindFor, graph, graphToken, sim } from './graph-helpers.js';

describe('the tenant: composition, inspection and control (/_sim)', () => {
  let t: RunningTenant;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock();
    t = await startTestTenant({ users: 120, seed: 'control', clock, limits: 'off' });
  });
  afterEach(() => t.stop());

  it('hands out every setting the other commands need', () => {
    expect(t.env).to.include({
      AZURE_TENANT_ID: t.tenantId,
      AZURE_CLIENT_ID: t.clientId,
      AZURE_CLIENT_SECRET: t.clientSecret,
      AZURE_AUTHORITY_HOST: t.urls.issuer,
      GRAPH_BASE_URL: t.urls.graph,
      TEAMS_APP_ID: t.teamsAppId,
      MicrosoftAppId: t.botAppId,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: t.tenantId,
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: `${t.urls.issuer}/${t.tenantId}`,
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      TEAMS_PROACTIVE_SERVICE_URL: t.urls.proactiveServiceUrl,
      ToBotFromChannelOpenIdMetadataUrl: t.urls.botOpenIdMetadata,
    });
    expect(t.env.NODE_EXTRA_CA_CERTS).to.equal(process.env.NODE_EXTRA_CA_CERTS);
    expect(t.urls.graph).to.match(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    // Tenant-scoped by default, as Teams sends it today (wire-facts B1; test/fixtures/microsoft/teams-net-personal-invoke.json).
    expect(t.urls.serviceUrl).to.match(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/amer/${t.tenantId}/$`));
    expect(t.teamsAppId).to.equal(t.state.app.externalId);
  });

  it('inspects users of every kind, messages and requests, and trims on request', async () => {
    const token = await graphToken(t);
    await graph(t, token, 'GET', '/users');
    const full = (await sim(t, 'GET', '/inspect')).body;
    expect(full).to.include.keys('users', 'messages', 'requests');
    expect(new Set(full.users.map((u: { kind: string }) => u.kind))).to.deep.equal(new Set(USER_KINDS));
    expect(full.users[0]).to.include.keys('id', 'userPrincipalName', 'kind', 'installedApps');
    expect(full.requests['graph.users.get']).to.deep.equal({ 200: 1 });
    const installed = full.users.find((u: { kind: string }) => u.kind === 'already_installed');
    expect(installed.installedApps).to.deep.equal([t.catalogAppId]);
    const trimmed = (await sim(t, 'GET', '/inspect?users=false&messages=false')).body;
    expect(trimmed).to.not.have.property('users');
    expect(trimmed).to.not.have.property('messages');
  });

  it('adds new hires, uninstalls, blocks the bot and deletes chats on request', async () => {
    const hires = (await sim(t, 'POST', '/users', { count: 2 })).body.users;
    expect(hires).to.have.length(2);
    expect(t.state.findUser(hires[0].id)?.kind).to.equal('member');
    const token = await graphToken(t);
    const member = t.state.users.find((u) => u.kind === 'member')!;
    expect((await graph(t, token, 'POST', `/users/${member.id}/teamwork/installedApps`, bindFor(t.catalogAppId))).status).to.equal(201);
    t.state.personalConversationFor(member.id, clock.now());
    expect((await sim(t, 'POST', `/users/${member.userPrincipalName}/delete-chat`)).body.deletedConversations.length).to.be.greaterThan(0);
    expect([...t.state.conversations.values()].filter((c) => c.userId === member.id).every((c) => c.deleted)).to.equal(true);
    expect((await sim(t, 'POST', `/users/${member.id}/uninstall`)).status).to.equal(200);
    expect(t.state.installation(member.id, t.catalogAppId)).to.equal(undefined);
    expect((await sim(t, 'POST', `/users/${member.id}/uninstall`)).status).to.equal(404);
    expect((await sim(t, 'POST', `/users/${member.id}/block-bot`)).body.user).to.include({ kind: 'blocked_bot', blockedBody: 'message-writes-blocked' });
    expect((await sim(t, 'POST', `/users/${member.id}/block-bot`, { body: 'conversation-blocked' })).body.user).to.include({ blockedBody: 'conversation-blocked' });
    expect((await sim(t, 'POST', `/users/${member.id}/block-bot`, { body: 'teapot' })).status).to.equal(400);
    expect((await sim(t, 'POST', '/users/nobody/block-bot')).status).to.equal(404);
  });

  it('changes faults, limits and the bot endpoint at run time, and refuses a bad spec with 400', async () => {
    const token = await graphToken(t);
    expect((await sim(t, 'POST', '/faults', { spec: 'graph.503=100%' })).status).to.equal(200);
    const faulted = await graph(t, token, 'GET', '/users');
    expect([faulted.status, faulted.headers.get('retry-after')]).to.deep.equal([503, '1']);
    await sim(t, 'POST', '/faults', { spec: 'none' });
    expect((await graph(t, token, 'GET', '/users')).status).to.equal(200);
    expect((await sim(t, 'POST', '/faults', { spec: '503=lots' })).status).to.equal(400);
    expect((await sim(t, 'POST', '/limits', { spec: 'graph-directory=1' })).body.limits.graphDirectory).to.equal(1);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await graph(t, token, 'GET', '/users?$top=1')).status);
    expect(statuses).to.deep.equal([200, 429, 429]);
    expect((await sim(t, 'POST', '/limits', { spec: 'slow' })).status).to.equal(400);
    expect((await sim(t, 'POST', '/bot-endpoint', { url: 'http://127.0.0.1:3978/api/messages' })).status).to.equal(200);
    expect(t.state.botEndpoint).to.equal('http://127.0.0.1:3978/api/messages');
    t.setBotEndpoint(null);
    expect(t.state.botEndpoint).to.equal(null);
    expect((await sim(t, 'POST', '/bot-endpoint', { url: 'not a url' })).status).to.equal(400);
    expect((await sim(t, 'POST', '/bot-disabled', { disabled: true })).body).to.deep.equal({ botDisabledByAdmin: true });
    expect(t.state.botDisabledByAdmin).to.equal(true);
    expect((await sim(t, 'POST', '/bot-disabled', { disabled: 'yes' })).status).to.equal(400);
    expect(t.state.botDisabledByAdmin, 'a bad body changes nothing').to.equal(true);
    expect((await sim(t, 'POST', '/bot-disabled', { disabled: false })).body).to.deep.equal({ botDisabledByAdmin: false });
  });

  it('serves a users.csv with every kind and two people who do not exist', async () => {
    const csv = (await sim(t, 'GET', '/users.csv')).body as string;
    const [header, ...upns] = csv.trim().split('\n');
    expect(header).to.equal('userPrincipalName');
    expect(upns.filter((u) => !t.state.findUser(u))).to.have.length(2);
    expect(new Set(upns.map((u) => t.state.findUser(u)?.kind).filter(Boolean))).to.deep.equal(new Set(USER_KINDS));
  });

  it('drops the connection on a reset fault and delays a slow one until the clock moves', async () => {
    const token = await graphToken(t);
    await sim(t, 'POST', '/faults', { spec: 'graph.reset=100%' });
    const reset = await graph(t, token, 'GET', '/users').then(
      () => 'answered',
      (e: Error) => (e.cause as { code?: string })?.code ?? e.message,
    );
    expect(reset).to.not.equal('answered');
    expect(t.state.requests['graph.users.get']).to.deep.equal({ 0: 1 });
    await sim(t, 'POST', '/faults', { spec: 'graph.slow=100%,slow-ms=5000' });
    let done = false;
    const slow = graph(t, token, 'GET', '/users?$top=1').then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 100));
    expect(done).to.equal(false);
    await clock.advance(5000);
    expect((await slow).status).to.equal(200);
  });

  it('answers malformed JSON and unknown paths in the Graph envelope', async () => {
    const token = await graphToken(t);
    const member = t.state.users.find((u) => u.kind === 'member')!;
    const bad = await graph(t, token, 'POST', `/users/${member.id}/teamwork/installedApps`, '{nope');
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.include.keys('code', 'message', 'innerError');
    const unknown = await graph(t, token, 'GET', '/teams/x/channels');
    expect([unknown.status, unknown.body.error.message]).to.deep.equal([400, "Resource not found for the segment 'teams'."]);
    const tooBig = await graph(t, token, 'POST', '/$batch', { requests: [], pad: 'x'.repeat(1_100_000) });
    expect(tooBig.status).to.equal(413);
  });

  it('stops promptly with keep-alive connections open', async function () {
    this.timeout(3000); // a server waiting for idle keep-alive sockets would hang here until they time out (30 s)
    const token = await graphToken(t);
    await graph(t, token, 'GET', '/users?$top=1'); // leaves a kept-alive socket in fetch's pool
    await t.stop();
    await t.stop(); // idempotent
  });
});
