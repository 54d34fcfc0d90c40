import { expect } from 'chai';
import type { Store, UserRow } from '../../../src/store/types.js';
import type { ContractContext } from './harness.js';
import { keyOf, newUser, oid, OTHER_TENANT, patchUser, reference, seedWelcomable, T0, TENANT } from './fixtures.js';

/** Claims until nothing is left, as a sender loop does; returns what this claimer got. */
async function drain(store: Store, claimer: string, limit: number, at: number): Promise<UserRow[]> {
  const got: UserRow[] = [];
  for (;;) {
    const batch = await store.claimWelcomes(claimer, limit, at);
    if (batch.length === 0) return got;
    got.push(...batch);
  }
}

export function welcomeContract(ctx: ContractContext): void {
  describe('claimWelcomes and orphaned welcomes', () => {
    it('takes only reference_ready rows with a reference, not opted out and never welcomed', async () => {
      await seedWelcomable(ctx.store, [1, 2]);
      await seedWelcomable(ctx.store, [3, 4, 5]);
      // 3: opted out; 4: welcomed before (a re-run); 5: its reference was dropped as stale.
      await patchUser(ctx.store, 3, { optedOutAt: T0 + 1 });
      await patchUser(ctx.store, 4, { welcomedAt: T0 + 1 });
      await ctx.store.deleteReference(TENANT, oid(5));
      // 6 and 7 have a reference but are not ready.
      await ctx.store.insertUsers([newUser(6, { state: 'installed' }), newUser(7, { state: 'welcomed' })], T0, 'test');
      await ctx.store.putReference(reference(oid(6), T0));
      await ctx.store.putReference(reference(oid(7), T0));

      const claimed = await ctx.store.claimWelcomes('sender-a', 100, T0 + 50);
      expect(claimed.map((r) => r.aadObjectId)).to.deep.equal([oid(1), oid(2)]);
      for (const row of claimed) {
        expect(row).to.include({ state: 'welcoming', claimedBy: 'sender-a', claimedAt: T0 + 50, updatedAt: T0 + 50, welcomeAttempts: 1, version: 3 });
        expect(await ctx.store.getUser(TENANT, row.aadObjectId)).to.deep.equal(row);
        expect((await ctx.store.history(TENANT, row.aadObjectId)).at(-1)).to.include({ from: 'reference_ready', to: 'welcoming', at: T0 + 50 });
      }
      expect(await ctx.store.claimWelcomes('sender-a', 100, T0 + 60)).to.deep.equal([]);
    });

    it('passes over welcomes held by an install --no-welcome run until the hold is lifted', async () => {
      await seedWelcomable(ctx.store, [1, 2, 3]);
      await patchUser(ctx.store, 1, { welcomeHeldBy: 'r-no-welcome' });
      // 3 is held too, and is the oldest reference: the queue must not stop at it.
      await patchUser(ctx.store, 3, { welcomeHeldBy: 'r-no-welcome', referenceAt: T0 - 100 });
      expect((await ctx.store.claimWelcomes('s', 1, T0 + 10)).map((r) => r.aadObjectId)).to.deep.equal([oid(2)]);
      expect(await ctx.store.claimWelcomes('s', 10, T0 + 10)).to.deep.equal([]);
      expect(await ctx.store.getUser(TENANT, oid(1))).to.include({ state: 'reference_ready', welcomeHeldBy: 'r-no-welcome' });
      await patchUser(ctx.store, 1, { welcomeHeldBy: null });
      expect((await ctx.store.claimWelcomes('s', 10, T0 + 20)).map((r) => r.aadObjectId)).to.deep.equal([oid(1)]);
    });

    it('takes the oldest references first, at most the limit, from the tenant asked for', async () => {
      await seedWelcomable(ctx.store, [1, 2, 3, 4]);
      await seedWelcomable(ctx.store, [5], OTHER_TENANT);
      // 4's reference is the oldest of all.
      await patchUser(ctx.store, 4, { referenceAt: T0 - 100 });
      expect((await ctx.store.claimWelcomes('s', 2, T0 + 10, TENANT)).map((r) => r.aadObjectId)).to.deep.equal([oid(4), oid(1)]);
      expect((await ctx.store.claimWelcomes('s', 10, T0 + 10, TENANT)).map((r) => r.aadObjectId)).to.deep.equal([oid(2), oid(3)]);
      expect((await ctx.store.claimWelcomes('s', 10, T0 + 10)).map(keyOf)).to.deep.equal([`${OTHER_TENANT}/${oid(5)}`]);
    });

    it('never gives the same person to two of many concurrent claimers', async () => {
      const ids = Array.from({ length: 300 }, (_, i) => i + 1);
      await seedWelcomable(ctx.store, ids);
      const other = await ctx.openAnother();
      const claimers = Array.from({ length: 12 }, (_, i) => drain(i % 2 ? other : ctx.store, `sender-${i}`, 7, T0 + 100));
      const results = await Promise.all(claimers);
      const all = results.flat();
      expect(all.map(keyOf)).to.have.members(ids.map((i) => `${TENANT}/${oid(i)}`));
      results.forEach((rows, i) => rows.forEach((r) => expect(r.claimedBy).to.equal(`sender-${i}`)));
      expect(new Set((await ctx.store.listUsers({ limit: 1000, states: ['welcoming'] })).map((r) => r.claimedBy)).size).to.be.greaterThan(1);
    });

    it('recovers welcomes left by other claimers: unconfirmed if a send was under way, released if not; spares its own', async () => {
      await seedWelcomable(ctx.store, [1, 2, 3, 4]);
      const old = await ctx.store.claimWelcomes('old-sender', 3, T0 + 10);
      // The old sender had begun an HTTP attempt for one of them when it died.
      await patchUser(ctx.store, 1, { sendStartedAt: T0 + 11 });
      expect(old.map((r) => r.aadObjectId)).to.deep.equal([oid(1), oid(2), oid(3)]);
      const [mine] = await ctx.store.claimWelcomes('me', 1, T0 + 20);
      expect(await ctx.store.recoverOrphanedWelcomes('me', T0 + 30)).to.deep.equal({ unconfirmed: 1, released: 2 });
      expect(await ctx.store.getUser(TENANT, oid(1))).to.include({ state: 'unconfirmed', reason: null, claimedBy: null, claimedAt: null, sendStartedAt: null, updatedAt: T0 + 30 });
      expect((await ctx.store.getUser(TENANT, oid(1)))?.detail).to.match(/may or may not have been sent/);
      expect((await ctx.store.history(TENANT, oid(1))).at(-1)).to.include({ from: 'welcoming', to: 'unconfirmed', reason: null, at: T0 + 30 });
      for (const i of [2, 3]) {
        expect(await ctx.store.getUser(TENANT, oid(i))).to.include({ state: 'reference_ready', claimedBy: null, claimedAt: null, sendStartedAt: null, updatedAt: T0 + 30 });
        expect((await ctx.store.history(TENANT, oid(i))).at(-1)).to.include({ from: 'welcoming', to: 'reference_ready', at: T0 + 30 });
      }
      expect(await ctx.store.getUser(TENANT, oid(4))).to.deep.equal(mine);
      expect(await ctx.store.recoverOrphanedWelcomes('me', T0 + 40)).to.deep.equal({ unconfirmed: 0, released: 0 });
      // Unconfirmed is never claimed again on its own (PRODUCT.md §4: resent only when asked); released ones are.
      expect((await ctx.store.claimWelcomes('me', 10, T0 + 50)).map((r) => r.aadObjectId).sort()).to.deep.equal([oid(2), oid(3)].sort());
    });
  });
}
