import { expect } from 'chai';
import { RolloutError } from '../../../src/errors.js';
import type { ContractContext } from './harness.js';
import { event, newUser, oid, OTHER_TENANT, T0, TENANT } from './fixtures.js';

export function ledgerContract(ctx: ContractContext): void {
  describe('ledger rows', () => {
    it('inserts a new row with version 1, no attempts and the creation time', async () => {
      expect(await ctx.store.insertUsers([newUser(1, { rolloutId: 'r1', detail: 'from the directory' })], T0, 'install')).to.equal(1);
      expect(await ctx.store.getUser(TENANT, oid(1))).to.deep.equal({
        tenantId: TENANT,
        aadObjectId: oid(1),
        userPrincipalName: 'User1@Contoso.com',
        displayName: 'User 1',
        locale: 'en-GB',
        state: 'pending',
        reason: null,
        statusCode: null,
        serviceCode: null,
        detail: 'from the directory',
        installAttempts: 0,
        welcomeAttempts: 0,
        rolloutId: 'r1',
        installedAt: null,
        referenceAt: null,
        welcomedAt: null,
        welcomeActivityId: null,
        optedOutAt: null,
        claimedBy: null,
        claimedAt: null,
        sendStartedAt: null,
        welcomeHeldBy: null,
        createdAt: T0,
        updatedAt: T0,
        version: 1,
      });
      expect(await ctx.store.history(TENANT, oid(1))).to.deep.equal([
        { at: T0, from: null, to: 'pending', reason: null, actor: 'install', detail: 'from the directory', rolloutId: 'r1' },
      ]);
    });

    it('returns undefined for a user it does not have', async () => {
      expect(await ctx.store.getUser(TENANT, oid(404))).to.equal(undefined);
    });

    it('getUsers returns the rows that exist, once each, from that tenant only', async () => {
      await ctx.store.insertUsers([newUser(1), newUser(2), newUser(3), newUser(2, { tenantId: OTHER_TENANT })], T0, 'install');
      const rows = await ctx.store.getUsers(TENANT, [oid(3), oid(2), oid(2), oid(99)]);
      expect(rows.map((r) => [r.tenantId, r.aadObjectId])).to.have.deep.members([
        [TENANT, oid(2)],
        [TENANT, oid(3)],
      ]);
      expect(await ctx.store.getUsers(TENANT, [])).to.deep.equal([]);
    });

    it('getUsersByUpn matches without regard to case, in that tenant only', async () => {
      await ctx.store.insertUsers(
        [newUser(1), newUser(2), newUser(3, { userPrincipalName: null }), newUser(4, { tenantId: OTHER_TENANT, userPrincipalName: 'user1@contoso.com' })],
        T0,
        'install',
      );
      const rows = await ctx.store.getUsersByUpn(TENANT, ['USER1@contoso.COM', 'user2@contoso.com', 'nobody@contoso.com']);
      expect(rows.map((r) => r.aadObjectId)).to.have.members([oid(1), oid(2)]);
    });

    it('insertUsers leaves existing rows alone and counts only the new ones', async () => {
      await ctx.store.insertUsers([newUser(1, { displayName: 'First' })], T0, 'install');
      const before = await ctx.store.getUser(TENANT, oid(1));
      const inserted = await ctx.store.insertUsers([newUser(1, { displayName: 'Second', state: 'skipped', reason: 'guest' }), newUser(2), newUser(2)], T0 + 5, 'install');
      expect(inserted).to.equal(1);
      expect(await ctx.store.getUser(TENANT, oid(1))).to.deep.equal(before);
      expect(await ctx.store.history(TENANT, oid(1))).to.have.length(1);
      expect(await ctx.store.history(TENANT, oid(2))).to.have.length(1);
    });

    it('updateUser applies the patch when the version matches, bumps it and stamps updatedAt with the event time', async () => {
      await ctx.store.insertUsers([newUser(1, { detail: 'old' })], T0, 'install');
      const row = await ctx.store.updateUser(
        TENANT,
        oid(1),
        1,
        { state: 'installed', installAttempts: 1, installedAt: T0 + 10, detail: null },
        event('pending', 'installed', T0 + 10, { actor: 'install' }),
      );
      expect(row).to.include({ state: 'installed', installAttempts: 1, installedAt: T0 + 10, detail: null, version: 2, updatedAt: T0 + 10, createdAt: T0 });
      expect(row?.displayName).to.equal('User 1');
      expect(await ctx.store.getUser(TENANT, oid(1))).to.deep.equal(row);
    });

    it('sets and clears sendStartedAt, as a sender does around each attempt', async () => {
      await ctx.store.insertUsers([newUser(1, { state: 'welcoming' })], T0, 'test');
      const started = await ctx.store.updateUser(TENANT, oid(1), 1, { sendStartedAt: T0 + 1 }, event('welcoming', 'welcoming', T0 + 1));
      expect(started?.sendStartedAt).to.equal(T0 + 1);
      const answered = await ctx.store.updateUser(TENANT, oid(1), 2, { sendStartedAt: null }, event('welcoming', 'welcoming', T0 + 2));
      expect(answered?.sendStartedAt).to.equal(null);
    });

    it('updateUser with a stale version returns undefined and changes nothing, history included', async () => {
      await ctx.store.insertUsers([newUser(1)], T0, 'install');
      await ctx.store.updateUser(TENANT, oid(1), 1, { state: 'installing' }, event('pending', 'installing', T0 + 1));
      const before = await ctx.store.getUser(TENANT, oid(1));
      expect(await ctx.store.updateUser(TENANT, oid(1), 1, { state: 'failed', reason: 'unknown' }, event('pending', 'failed', T0 + 2))).to.equal(undefined);
      expect(await ctx.store.getUser(TENANT, oid(1))).to.deep.equal(before);
      expect((await ctx.store.history(TENANT, oid(1))).map((e) => e.to)).to.deep.equal(['pending', 'installing']);
      expect(await ctx.store.updateUser(TENANT, oid(404), 1, { state: 'failed' }, event('pending', 'failed', T0 + 2))).to.equal(undefined);
    });

    it('records every transition in order, with the row rollout unless the event names one', async () => {
      await ctx.store.insertUsers([newUser(1, { rolloutId: 'r1' })], T0, 'install');
      await ctx.store.updateUser(TENANT, oid(1), 1, { state: 'installing' }, event('pending', 'installing', T0 + 1, { actor: 'install' }));
      await ctx.store.updateUser(TENANT, oid(1), 2, { state: 'failed', reason: 'throttled', statusCode: 429 }, event('installing', 'failed', T0 + 2, { reason: 'throttled', detail: '429 after 4 tries', rolloutId: 'r2' }));
      await ctx.store.updateUser(TENANT, oid(1), 3, { state: 'pending', reason: null }, event('failed', 'pending', T0 + 3, { actor: 'cli' }));
      expect(await ctx.store.history(TENANT, oid(1))).to.deep.equal([
        { at: T0, from: null, to: 'pending', reason: null, actor: 'install', detail: null, rolloutId: 'r1' },
        { at: T0 + 1, from: 'pending', to: 'installing', reason: null, actor: 'install', detail: null, rolloutId: 'r1' },
        { at: T0 + 2, from: 'installing', to: 'failed', reason: 'throttled', actor: 'test', detail: '429 after 4 tries', rolloutId: 'r2' },
        { at: T0 + 3, from: 'failed', to: 'pending', reason: null, actor: 'cli', detail: null, rolloutId: 'r1' },
      ]);
    });

    it('refuses a patch that would change the identity or the version, and changes nothing', async () => {
      await ctx.store.insertUsers([newUser(1)], T0, 'install');
      const patch = { state: 'installed', version: 9 } as unknown as Parameters<typeof ctx.store.updateUser>[3];
      const error = await ctx.store.updateUser(TENANT, oid(1), 1, patch, event('pending', 'installed', T0 + 1)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(RolloutError).with.property('code', 'STORE_BAD_PATCH');
      expect((await ctx.store.getUser(TENANT, oid(1)))?.version).to.equal(1);
    });

    it('lets exactly one of many concurrent writers of the same version win', async () => {
      await ctx.store.insertUsers([newUser(1)], T0, 'install');
      const other = await ctx.openAnother();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? other : ctx.store).updateUser(TENANT, oid(1), 1, { state: 'installing', detail: `writer ${i}` }, event('pending', 'installing', T0 + i)),
        ),
      );
      const winners = results.filter((r) => r !== undefined);
      expect(winners).to.have.length(1);
      expect(await ctx.store.history(TENANT, oid(1))).to.have.length(2);
      expect((await ctx.store.getUser(TENANT, oid(1)))?.detail).to.equal(winners[0]?.detail);
    });
  });
}
