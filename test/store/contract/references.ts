import { expect } from 'chai';
import type { ConversationInstallRow, RolloutRow } from '../../../src/store/types.js';
import type { ContractContext } from './harness.js';
import { newUser, oid, OTHER_TENANT, reference, T0, TENANT } from './fixtures.js';

const install = (conversationId: string, installedAt: number, over: Partial<ConversationInstallRow> = {}): ConversationInstallRow => ({
  tenantId: TENANT,
  conversationId,
  scope: 'team',
  teamId: `19:${conversationId}@thread.tacv2`,
  name: 'Finance',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  installedAt,
  removedAt: null,
  ...over,
});

const rollout = (id: string, startedAt: number, tenantId = TENANT): RolloutRow => ({
  id,
  tenantId,
  startedAt,
  finishedAt: null,
  targets: '--all-users',
  options: '{"limit":null}',
  summary: null,
});

export function referenceContract(ctx: ContractContext): void {
  describe('references, installs, settings and rollouts', () => {
    it('puts, overwrites and deletes a conversation reference, keeping the serviceUrl as received', async () => {
      expect(await ctx.store.getReference(TENANT, oid(1))).to.equal(undefined);
      await ctx.store.putReference(reference(oid(1), T0));
      expect(await ctx.store.getReference(TENANT, oid(1))).to.deep.equal(reference(oid(1), T0));
      const fresher = reference(oid(1), T0 + 5, { conversationId: '19:abc@unq.gbl.spaces', serviceUrl: 'https://smba.trafficmanager.net/amer/', userId: null, botId: null, source: 'graph' });
      await ctx.store.putReference(fresher);
      expect(await ctx.store.getReference(TENANT, oid(1))).to.deep.equal(fresher);
      expect(await ctx.store.getReference(OTHER_TENANT, oid(1))).to.equal(undefined);
      await ctx.store.deleteReference(TENANT, oid(1));
      expect(await ctx.store.getReference(TENANT, oid(1))).to.equal(undefined);
      await ctx.store.deleteReference(TENANT, oid(1));
    });

    it('records team and group-chat installs per conversation, listed per tenant', async () => {
      await ctx.store.putConversationInstall(install('b', T0 + 2));
      await ctx.store.putConversationInstall(install('a', T0 + 1, { scope: 'groupChat', teamId: null, name: null }));
      await ctx.store.putConversationInstall(install('c', T0, { tenantId: OTHER_TENANT }));
      await ctx.store.putConversationInstall(install('b', T0 + 2, { removedAt: T0 + 9 }));
      expect(await ctx.store.listConversationInstalls(TENANT)).to.deep.equal([
        install('a', T0 + 1, { scope: 'groupChat', teamId: null, name: null }),
        install('b', T0 + 2, { removedAt: T0 + 9 }),
      ]);
    });

    it('keeps directory look-ups by tenant and key, newest answer wins, older than `since` left out', async () => {
      await ctx.store.putLookups(TENANT, [{ key: 'upn:ada@contoso.com', value: '{"id":"1"}' }, { key: 'id:2', value: '{"id":"2"}' }], T0);
      await ctx.store.putLookups(TENANT, [{ key: 'upn:ada@contoso.com', value: '{"id":"1b"}' }], T0 + 5);
      await ctx.store.putLookups(OTHER_TENANT, [{ key: 'id:2', value: '{"other":true}' }], T0 + 5);
      await ctx.store.putLookups(TENANT, [], T0);
      const keys = ['upn:ada@contoso.com', 'id:2', 'id:nobody', 'id:2'];
      expect(Object.fromEntries(await ctx.store.getLookups(TENANT, keys, T0))).to.deep.equal({ 'upn:ada@contoso.com': '{"id":"1b"}', 'id:2': '{"id":"2"}' });
      expect(Object.fromEntries(await ctx.store.getLookups(TENANT, keys, T0 + 1))).to.deep.equal({ 'upn:ada@contoso.com': '{"id":"1b"}' });
      expect(Object.fromEntries(await ctx.store.getLookups(OTHER_TENANT, keys, 0))).to.deep.equal({ 'id:2': '{"other":true}' });
      expect((await ctx.store.getLookups(TENANT, [], 0)).size).to.equal(0);
    });

    it('keeps settings by key', async () => {
      expect(await ctx.store.getSetting('graph.deltaLink')).to.equal(undefined);
      await ctx.store.setSetting('graph.deltaLink', 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=1');
      await ctx.store.setSetting('graph.deltaLink', 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=2');
      await ctx.store.setSetting('empty', '');
      expect(await ctx.store.getSetting('graph.deltaLink')).to.equal('https://graph.microsoft.com/v1.0/users/delta?$deltatoken=2');
      expect(await ctx.store.getSetting('empty')).to.equal('');
    });

    it('creates, finds and finishes rollouts; the latest is the last started', async () => {
      await ctx.store.createRollout(rollout('r1', T0));
      await ctx.store.createRollout(rollout('r2', T0 + 10));
      await ctx.store.createRollout(rollout('r3', T0 + 5, OTHER_TENANT));
      expect(await ctx.store.getRollout('r1')).to.deep.equal(rollout('r1', T0));
      expect(await ctx.store.getRollout('nope')).to.equal(undefined);
      expect((await ctx.store.latestRollout())?.id).to.equal('r2');
      expect((await ctx.store.latestRollout(OTHER_TENANT))?.id).to.equal('r3');
      expect(await ctx.store.latestRollout('no-such-tenant')).to.equal(undefined);
      await ctx.store.finishRollout('r2', T0 + 99, '{"welcomed":3}');
      expect(await ctx.store.getRollout('r2')).to.deep.equal({ ...rollout('r2', T0 + 10), finishedAt: T0 + 99, summary: '{"welcomed":3}' });
    });

    it('lists every rollout, oldest first, of one tenant or all (status --all)', async () => {
      expect(await ctx.store.listRollouts()).to.deep.equal([]);
      await ctx.store.createRollout(rollout('r2', T0 + 10));
      await ctx.store.createRollout(rollout('r1', T0));
      await ctx.store.createRollout(rollout('r3', T0 + 5, OTHER_TENANT));
      await ctx.store.finishRollout('r1', T0 + 7, '{}');
      expect((await ctx.store.listRollouts()).map((r) => r.id)).to.deep.equal(['r1', 'r3', 'r2']);
      expect(await ctx.store.listRollouts(TENANT)).to.deep.equal([{ ...rollout('r1', T0), finishedAt: T0 + 7, summary: '{}' }, rollout('r2', T0 + 10)]);
      expect(await ctx.store.listRollouts('no-such-tenant')).to.deep.equal([]);
    });

    it('names the fix when a rollout is used before it is created', async () => {
      const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
      for (const error of [await failure(ctx.store.addRolloutTargets('ghost', TENANT, [oid(1)])), await failure(ctx.store.finishRollout('ghost', T0, '{}'))]) {
        expect(error).to.have.property('code', 'STORE_UNKNOWN_ROLLOUT');
        expect((error as Error).message).to.contain('ghost').and.contain('createRollout');
      }
    });

    it('survives close and reopen, and migrate() again changes nothing', async () => {
      await ctx.store.insertUsers([newUser(1)], T0, 'install');
      await ctx.store.putReference(reference(oid(1), T0));
      await ctx.store.setSetting('k', 'v');
      await ctx.store.migrate();
      await ctx.store.close();
      const reopened = await ctx.openAnother();
      expect((await reopened.getUser(TENANT, oid(1)))?.version).to.equal(1);
      expect(await reopened.getReference(TENANT, oid(1))).to.deep.equal(reference(oid(1), T0));
      expect(await reopened.getSetting('k')).to.equal('v');
    });
  });
}
