import { GraphError, PageIterator, type Client } from '@microsoft/microsoft-graph-client';
import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import type { SimUser, UserKind } from '../../src/simulator/types.js';
import { startTestTenant } from '../helpers/tenant.js';
import { bindFor, graph, graphClientFor, graphToken, sim } from './graph-helpers.js';

/** The PROOF of PRODUCT.md §7: the real Graph client, unchanged, against the simulated tenant. */
describe('Graph face, driven by the real @microsoft/microsoft-graph-client', () => {
  let t: RunningTenant;
  let client: Client;
  const someone = (kind: UserKind, skip = 0): SimUser => t.state.users.filter((u) => u.kind === kind)[skip]!;
  const graphErrorOf = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('expected a GraphError'),
      (e: unknown) => {
        expect(e).to.be.instanceOf(GraphError);
        return e as GraphError;
      },
    );

  before(async () => {
    t = await startTestTenant({ users: 2500, seed: 'graph-client', limits: 'off' });
    client = graphClientFor(t);
  });
  after(() => t.stop());

  it('pages through all 2,500 users with PageIterator over https:// next links', async () => {
    const first = await client.api('/users').select('id,userPrincipalName,userType,accountEnabled,assignedPlans').top(999).get();
    expect(first['@odata.nextLink']).to.match(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?\$select=.*&\$top=999&\$skiptoken=/);
    const seen: Record<string, unknown>[] = [];
    await new PageIterator(client, first, (u) => (seen.push(u), true)).iterate();
    expect(seen).to.have.length(2500);
    expect(new Set(seen.map((u) => u.id)).size).to.equal(2500);
    expect(Object.keys(seen[0]!).sort()).to.deep.equal(['accountEnabled', 'assignedPlans', 'id', 'userPrincipalName', 'userType']);
    expect(seen.filter((u) => u.userType === 'Guest')).to.have.length(t.state.users.filter((u) => u.kind === 'guest').length);
  });

  it('pages 100 at a time by default and refuses $top=1000', async () => {
    const page = await client.api('/users').get();
    expect(page.value).to.have.length(100);
    expect(page.value[0]).to.have.keys(['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id']);
    const e = await graphErrorOf(client.api('/users').top(1000).get());
    expect(e.statusCode).to.equal(400);
  });

  it('filters users (the filter travels in the next link) and counts them with ConsistencyLevel: eventual', async () => {
    const guests: unknown[] = [];
    const first = await client.api('/users').filter("userType eq 'Guest' and accountEnabled eq true").select('id').top(50).get();
    await new PageIterator(client, first, (u) => (guests.push(u), true)).iterate();
    expect(guests).to.have.length(t.state.users.filter((u) => u.kind === 'guest').length);
    const counted = await client.api('/users').header('ConsistencyLevel', 'eventual').count(true).top(1).get();
    expect(counted['@odata.count']).to.equal(2500);
    expect((await graphErrorOf(client.api('/users').count(true).get())).statusCode).to.equal(400);
  });

  it('finds a user by id and by UPN (a guest UPN with #EXT# too), and 404s nobody', async () => {
    const guest = someone('guest');
    expect((await client.api(`/users/${guest.id}`).select('userPrincipalName').get()).userPrincipalName).to.equal(guest.userPrincipalName);
    expect((await client.api(`/users/${encodeURIComponent(guest.userPrincipalName)}`).get()).id).to.equal(guest.id);
    const e = await graphErrorOf(client.api('/users/nobody@contoso.onmicrosoft.com').get());
    expect([e.statusCode, e.code]).to.deep.equal([404, 'Request_ResourceNotFound']);
  });

  it('finds the app in the catalogue by externalId, with its bot when expanded', async () => {
    const apps = await client.api('/appCatalogs/teamsApps').filter(`externalId eq '${t.teamsAppId}'`).expand('appDefinitions($expand=bot)').get();
    expect(apps.value).to.have.length(1);
    expect(apps.value[0]).to.include({ id: t.catalogAppId, externalId: t.teamsAppId, distributionMethod: 'organization' });
    expect(apps.value[0].appDefinitions[0].bot).to.deep.equal({ id: t.botAppId });
    const org = await client.api('/appCatalogs/teamsApps').filter("distributionMethod eq 'organization'").get();
    expect(org.value).to.have.length(2);
    expect(org.value[0]).to.not.have.property('appDefinitions');
    expect((await graphErrorOf(client.api('/appCatalogs/teamsApps').filter("startswith(displayName,'C')").get())).statusCode).to.equal(400);
  });

  it('installs: 201 with no body, then 409 Conflict for the same person', async () => {
    const member = someone('member');
    const path = `/users/${member.id}/teamwork/installedApps`;
    expect(await client.api(path).post(bindFor(t.catalogAppId))).to.satisfy((r: unknown) => r === undefined || r === null || Object.keys(r as object).length === 0);
    const e = await graphErrorOf(client.api(path).post(bindFor(t.catalogAppId)));
    expect([e.statusCode, e.code]).to.deep.equal([409, 'Conflict']);
    expect(e.requestId).to.be.a('string').and.not.equal('');
    expect(t.state.requests['graph.installedApps.post']).to.deep.include({ 201: 1, 409: 1 });
  });

  it('lists the installation with $filter and $expand, gets its chat, and deletes it', async () => {
    const member = someone('member', 1);
    await client.api(`/users/${member.userPrincipalName}/teamwork/installedApps`).post(bindFor(t.catalogAppId));
    const list = await client
      .api(`/users/${member.id}/teamwork/installedApps`)
      .expand('teamsApp,teamsAppDefinition')
      .filter(`teamsApp/externalId eq '${t.teamsAppId}'`)
      .get();
    expect(list.value).to.have.length(1);
    expect(list.value[0].teamsApp).to.include({ id: t.catalogAppId, externalId: t.teamsAppId });
    expect(list.value[0].teamsAppDefinition).to.include({ teamsAppId: t.catalogAppId, version: '1.0.0' });
    const installationId = list.value[0].id as string;
    expect(Buffer.from(installationId, 'base64').toString()).to.equal(`${member.id}##${t.catalogAppId}`);
    const chat = await client.api(`/users/${member.id}/teamwork/installedApps/${installationId}/chat`).get();
    expect(chat.id).to.match(/^19:[0-9a-f-]{36}_[0-9a-f-]{36}@unq\.gbl\.spaces$/);
    expect(chat['@odata.context']).to.match(/\$metadata#chats\/\$entity$/);
    const none = await client.api(`/users/${member.id}/teamwork/installedApps`).filter(`teamsApp/id eq '${t.state.otherApp.id}'`).get();
    expect(none.value).to.deep.equal([]);
    await client.api(`/users/${member.id}/teamwork/installedApps/${installationId}`).delete();
    expect((await client.api(`/users/${member.id}/teamwork/installedApps`).get()).value).to.deep.equal([]);
  });

  it('403s the people the Teams backend refuses, with the documented texts', async () => {
    const token = await graphToken(t);
    const post = (u: SimUser) => graph(t, token, 'POST', `/users/${u.id}/teamwork/installedApps`, bindFor(t.catalogAppId));
    const policy = await post(someone('blocked_by_policy'));
    expect(policy.status).to.equal(403);
    expect(policy.body.error.code).to.equal('Forbidden');
    expect(policy.body.error.message).to.match(/^App is blocked by app permission policy\. TenantId: .+, UserObjectId: .+, AppId: .+, AppType: Private$/);
    expect(policy.body.error.innerError).to.include({ code: 'AccessDenied' });
    expect(policy.body.error.innerError).to.have.keys(['code', 'message', 'date', 'request-id', 'client-request-id']);
    expect(policy.headers.get('request-id')).to.equal(policy.body.error.innerError['request-id']);
    const licence = await post(someone('unlicensed'));
    expect([licence.status, licence.body.error.message]).to.deep.equal([403, 'Failed to get license information for the user. Ensure user has a valid Office365 license assigned to them.']);
    for (const kind of ['guest', 'disabled'] as const) expect((await post(someone(kind))).status, kind).to.equal(403);
  });

  it('404s an unknown user and an app that is not in the catalogue, 400s a malformed body', async () => {
    const e = await graphErrorOf(client.api('/users/00000000-0000-4000-8000-00000000dead/teamwork/installedApps').post(bindFor(t.catalogAppId)));
    expect([e.statusCode, e.code, e.message]).to.deep.equal([404, 'NotFound', "User Id '00000000-0000-4000-8000-00000000dead' not found."]);
    const member = someone('member', 2);
    const noApp = await graphErrorOf(client.api(`/users/${member.id}/teamwork/installedApps`).post(bindFor('no-such-app')));
    expect(noApp.statusCode).to.equal(404);
    const token = await graphToken(t);
    const malformed = await graph(t, token, 'POST', `/users/${member.id}/teamwork/installedApps`, '{"teamsApp@odata.bind": ');
    expect([malformed.status, malformed.body.error.code]).to.deep.equal([400, 'BadRequest']);
    expect(malformed.body.error.message).to.match(/Unable to read JSON request payload/);
    const wrongShape = await graph(t, token, 'POST', `/users/${member.id}/teamwork/installedApps`, { teamsAppId: t.catalogAppId });
    expect(wrongShape.status).to.equal(400);
  });

  it('answers a missing role with the real texts: "Missing role permissions" for Teams, Authorization_RequestDenied for /users', async () => {
    const original = [...t.state.roles];
    await sim(t, 'POST', '/roles', { roles: ['AppCatalog.Read.All'] });
    try {
      const token = await graphToken(t);
      const member = someone('member', 3);
      const r = await graph(t, token, 'POST', `/users/${member.id}/teamwork/installedApps`, bindFor(t.catalogAppId));
      expect(r.status).to.equal(403);
      expect(r.body.error.message).to.match(/^Missing role permissions on the request\. API requires one of '.*TeamsAppInstallation\.ReadWriteSelfForUser\.All.*'\. Roles on the request 'AppCatalog\.Read\.All'\.$/);
      const users = await graph(t, token, 'GET', '/users');
      expect([users.status, users.body.error.code, users.body.error.message]).to.deep.equal([403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']);
    } finally {
      await sim(t, 'POST', '/roles', { roles: original });
    }
  });

  it('with only the Self role, manages just its own app (webApplicationInfo.id = the caller)', async () => {
    const token = await graphToken(t); // default roles: TeamsAppInstallation.ReadWriteSelfForUser.All
    const member = someone('member', 4);
    const other = await graph(t, token, 'POST', `/users/${member.id}/teamwork/installedApps`, bindFor(t.state.otherApp.id));
    expect(other.status).to.equal(403);
    expect(other.body.error.message).to.equal(`AAD App Id '${t.clientId}' is not allowed to manage the Teams App '${t.state.otherApp.id}'.`);
    // Installed by someone else (an admin), the other app is invisible to a Self token.
    t.state.install(member.id, t.state.otherApp.id, Date.now());
    const list = await graph(t, token, 'GET', `/users/${member.id}/teamwork/installedApps?$expand=teamsApp`);
    expect(list.body.value).to.deep.equal([]);
  });

  it('401s a missing or forged bearer token in the Graph envelope', async () => {
    const none = await fetch(`${t.urls.graph}v1.0/users`);
    expect(none.status).to.equal(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).to.equal('InvalidAuthenticationToken');
    const token = await graphToken(t);
    const forged = `${token.slice(0, -6)}AAAAAA`;
    expect((await graph(t, forged, 'GET', '/users')).status).to.equal(401);
    const botToken = await graphToken(t, 'https://api.botframework.com/.default');
    expect((await graph(t, botToken, 'GET', '/users')).status).to.equal(401);
  });
});
