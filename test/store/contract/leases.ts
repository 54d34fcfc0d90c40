import { expect } from 'chai';
import type { ContractContext } from './harness.js';
import { T0 } from './fixtures.js';

const TTL = 30_000;

export function leaseContract(ctx: ContractContext): void {
  describe('leases', () => {
    it('is taken when free, renewed by its holder, refused to others until it expires', async () => {
      const s = ctx.store;
      expect(await s.leaseHolder('sender', T0)).to.equal(undefined);
      expect(await s.acquireLease('sender', 'a', TTL, T0)).to.equal(true);
      expect(await s.leaseHolder('sender', T0 + 1)).to.equal('a');
      expect(await s.acquireLease('sender', 'b', TTL, T0 + 1)).to.equal(false);
      // The holder renews before expiry: the lease now runs to T0 + 20s + TTL.
      expect(await s.acquireLease('sender', 'a', TTL, T0 + 20_000)).to.equal(true);
      expect(await s.acquireLease('sender', 'b', TTL, T0 + TTL)).to.equal(false);
      expect(await s.leaseHolder('sender', T0 + 20_000 + TTL - 1)).to.equal('a');
      expect(await s.leaseHolder('sender', T0 + 20_000 + TTL)).to.equal(undefined);
      expect(await s.acquireLease('sender', 'b', TTL, T0 + 20_000 + TTL)).to.equal(true);
      expect(await s.leaseHolder('sender', T0 + 20_000 + TTL)).to.equal('b');
      // Leases are independent by name.
      expect(await s.acquireLease('sweeper', 'a', TTL, T0 + 20_000 + TTL)).to.equal(true);
    });

    it('is released only by its holder', async () => {
      const s = ctx.store;
      await s.acquireLease('sender', 'a', TTL, T0);
      await s.releaseLease('sender', 'b');
      expect(await s.leaseHolder('sender', T0)).to.equal('a');
      await s.releaseLease('sender', 'a');
      expect(await s.leaseHolder('sender', T0)).to.equal(undefined);
      expect(await s.acquireLease('sender', 'b', TTL, T0)).to.equal(true);
    });

    it('goes to exactly one of many concurrent contenders', async () => {
      const other = await ctx.openAnother();
      const wins = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? other : ctx.store).acquireLease('sender', `replica-${i}`, TTL, T0)));
      expect(wins.filter(Boolean)).to.have.length(1);
      expect(await ctx.store.leaseHolder('sender', T0)).to.equal(`replica-${wins.indexOf(true)}`);
    });
  });
}
