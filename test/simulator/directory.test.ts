import { PageIterator, type Client } from '@microsoft/microsoft-graph-client';
import { expect } from 'chai';
import type { RunningTenant } from '../../src/simulator/server.js';
import { transitiveMembers } from '../../src/simulator/graph/groups.js';
import { startTestTenant } from '../helpers/tenant.js';
import { graph, graphClientFor, graphToken, sim } from './graph-helpers.js';

/** users/delta and group transitive members (wire-facts A6), through the real Graph client where it pages. */
describe('Graph directory: users/delta and transitive group members', () => {
  let t: RunningTenant;
  let client: Client;
  let token: string;
  before(async () => {
    t = await startTestTenant({ users: 1200, seed: 'directory', limits: 'off' });
    client = graphClientFor(t);
    token = await graphToken(t);
  });
  after(() => t.stop());

  /** Follows a delta round to its end: every item, and the delta link. */
  async function deltaRound(first: Record<string, unknown>): Promise<{ items: Record<string, unknown>[]; deltaLink: string }> {
    const items: Record<string, unknown>[] = [];
    const it = new PageIterator(client, first as never, (x) => (items.push(x as Record<string, unknown>), true));
    await it.iterate();
    return { items, deltaLink: it.getDeltaLink()! };
  }

  it('hands out everyone in the first round, then only the new hires and the removed', async () => {
    const first = await client.api('/users/delta').select('id,userPrincipalName,accountEnabled').get();
    expect(first['@odata.nextLink']).to.match(/^https:\/\/.*\/v1\.0\/users\/delta\?\$skiptoken=/);
    const round1 = await deltaRound(first);
    expect(round1.items).to.have.length(1200);
    expect(Object.keys(round1.items[0]!).sort()).to.deep.equal(['accountEnabled', 'id', 'userPrincipalName']);
    expect(round1.deltaLink).to.match(/^https:\/\/.*\/v1\.0\/users\/delta\?\$deltatoken=/);

    const quiet = await client.api(round1.deltaLink).get();
    expect(quiet.value).to.deep.equal([]);
    expect(quiet['@odata.deltaLink']).to.be.a('string');

    const hires = (await sim(t, 'POST', '/users', { count: 3 })).body.users as { id: string }[];
    const leaver = t.state.users.find((u) => u.kind === 'member')!;
    expect((await sim(t, 'POST', `/users/${leaver.id}/delete`)).status).to.equal(200);
    const round2 = await deltaRound(await client.api(quiet['@odata.deltaLink']).get());
    expect(round2.items.filter((x) => !x['@removed']).map((x) => x.id)).to.deep.equal(hires.map((h) => h.id));
    expect(round2.items.filter((x) => x['@removed'])).to.deep.equal([{ id: leaver.id, '@removed': { reason: 'changed' } }]);
    expect(Object.keys(round2.items.find((x) => !x['@removed'])!).sort()).to.deep.equal(['accountEnabled', 'id', 'userPrincipalName']); // $select kept in the token

    expect((await client.api(round2.deltaLink).get()).value).to.deep.equal([]);
    expect((await graph(t, token, 'GET', `/users/${leaver.id}`)).status).to.equal(404);
  });

  it('pages delta at Prefer: odata.maxpagesize and 400s a mangled token', async () => {
    const page = await graph(t, token, 'GET', '/users/delta', undefined, { Prefer: 'odata.maxpagesize=500' });
    expect(page.body.value).to.have.length(500);
    const bad = await graph(t, token, 'GET', '/users/delta?$deltatoken=not-a-token');
    expect(bad.status).to.equal(400);
  });

  describe('transitive members', () => {
    const engineering = () => t.state.groups.find((g) => g.displayName === 'Engineering')!;
    const platform = () => t.state.groups.find((g) => g.displayName === 'Platform team')!;

    it('resolves the nested group and lists each person once', () => {
      const g = engineering();
      const expected = new Set([...g.memberUserIds, ...platform().memberUserIds].filter((id) => t.state.findUser(id)));
      const members = transitiveMembers(t.state, g);
      const users = members.filter((m) => m.type === 'user');
      expect(users).to.have.length(expected.size);
      expect(users.length).to.be.lessThan(g.memberUserIds.length + platform().memberUserIds.length); // the overlap was removed
      expect(members.filter((m) => m.type === 'group').map((m) => m.type === 'group' && m.group.id)).to.deep.equal([platform().id]);
    });

    it('pages the users-only cast with ConsistencyLevel: eventual and $count=true, as documented', async () => {
      const first = await client
        .api(`/groups/${engineering().id}/transitiveMembers/microsoft.graph.user`)
        .header('ConsistencyLevel', 'eventual')
        .query({ $count: 'true' })
        .select('id,userPrincipalName')
        .top(50)
        .get();
      const ids: string[] = [];
      await new PageIterator(client, first, (u) => (ids.push((u as { id: string }).id), true), { headers: { ConsistencyLevel: 'eventual' } }).iterate();
      const expected = transitiveMembers(t.state, engineering()).filter((m) => m.type === 'user');
      expect(first['@odata.count']).to.equal(expected.length);
      expect(ids).to.have.length(expected.length);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(first.value[0]).to.not.have.property('@odata.type');
    });

    it('refuses the cast without the advanced-query header', async () => {
      const r = await graph(t, token, 'GET', `/groups/${engineering().id}/transitiveMembers/microsoft.graph.user?$count=true`);
      expect([r.status, r.body.error.code]).to.deep.equal([400, 'Request_UnsupportedQuery']);
      const noCount = await graph(t, token, 'GET', `/groups/${engineering().id}/transitiveMembers/microsoft.graph.user`, undefined, { ConsistencyLevel: 'eventual' });
      expect(noCount.status).to.equal(400);
    });

    it('types each item without the cast, the nested group included', async () => {
      const r = await graph(t, token, 'GET', `/groups/${engineering().id}/transitiveMembers?$select=id,displayName&$top=999`);
      const types = new Set(r.body.value.map((x: Record<string, string>) => x['@odata.type']));
      expect([...types].sort()).to.deep.equal(['#microsoft.graph.group', '#microsoft.graph.user']);
      expect(r.body.value.find((x: Record<string, string>) => x['@odata.type'] === '#microsoft.graph.group')).to.deep.equal({ '@odata.type': '#microsoft.graph.group', id: platform().id, displayName: 'Platform team' });
      expect((await graph(t, token, 'GET', '/groups/00000000-0000-4000-8000-000000000000/transitiveMembers')).status).to.equal(404);
    });
  });
});
