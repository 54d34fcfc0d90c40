import { expect } from 'chai';
import { sendAttemptStarted, welcomeClaimed, welcomeReleased, welcomeUnconfirmed, type Change } from '../../../src/ledger/transitions.js';
import { applyChange } from '../../../src/store/apply-change.js';
import type { UserRow } from '../../../src/store/types.js';
import type { ContractContext } from './harness.js';
import { oid, seedWelcomable, T0, TENANT } from './fixtures.js';

/** The row a pure transition makes of `before`, as applyChange would write it (the version aside). */
function expected(before: UserRow, change: Change | null, at: number): Omit<UserRow, 'version'> {
  expect(change, 'the transition applies').to.not.equal(null);
  const { version: _v, ...rest } = { ...before, ...change!.patch, updatedAt: at };
  return rest;
}
const withoutVersion = ({ version: _v, ...rest }: UserRow) => rest;

/**
 * The welcome statements written in SQL (claimWelcomes, recoverOrphanedWelcomes) against the pure
 * transitions they stand for (issue 12 "the welcome state machine in SQL"): on each store, the row the
 * statement leaves is the row the transition computes from the same row, field for field.
 */
export function welcomeSqlContract(ctx: ContractContext): void {
  describe('the welcome statements in SQL do what the pure transitions say', () => {
    it('claimWelcomes = welcomeClaimed', async () => {
      await seedWelcomable(ctx.store, [1]);
      const before = (await ctx.store.getUser(TENANT, oid(1)))!;
      const [claimed] = await ctx.store.claimWelcomes('sender-a', 1, T0 + 50);
      expect(withoutVersion(claimed!)).to.deep.equal(expected(before, welcomeClaimed(before, 'sender-a', T0 + 50), T0 + 50));
    });

    it('recoverOrphanedWelcomes, a send under way = welcomeUnconfirmed, with the detail the store gives', async () => {
      await seedWelcomable(ctx.store, [1]);
      await ctx.store.claimWelcomes('dead', 1, T0 + 50);
      await applyChange(ctx.store, TENANT, oid(1), (r) => sendAttemptStarted(r, 'dead', T0 + 51), { at: T0 + 51, actor: 'sender' });
      const before = (await ctx.store.getUser(TENANT, oid(1)))!;
      expect(await ctx.store.recoverOrphanedWelcomes('alive', T0 + 90)).to.deep.equal({ unconfirmed: 1, released: 0 });
      const after = (await ctx.store.getUser(TENANT, oid(1)))!;
      expect(withoutVersion(after)).to.deep.equal(expected(before, welcomeUnconfirmed(before, 'dead', after.detail ?? ''), T0 + 90));
      expect(after.detail).to.match(/may or may not have been sent/);
    });

    it('recoverOrphanedWelcomes, nothing sent yet = welcomeReleased (the attempt that never was is not counted)', async () => {
      await seedWelcomable(ctx.store, [1]);
      await ctx.store.claimWelcomes('dead', 1, T0 + 50);
      const before = (await ctx.store.getUser(TENANT, oid(1)))!;
      expect(await ctx.store.recoverOrphanedWelcomes('alive', T0 + 90)).to.deep.equal({ unconfirmed: 0, released: 1 });
      const after = (await ctx.store.getUser(TENANT, oid(1)))!;
      expect(withoutVersion(after)).to.deep.equal(expected(before, welcomeReleased(before, 'dead'), T0 + 90));
      expect((await ctx.store.history(TENANT, oid(1))).at(-1)).to.include({ from: 'welcoming', to: 'reference_ready' });
    });
  });
}
