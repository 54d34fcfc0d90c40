import { contextOf, type MakeHarness, type StoreHarness } from './harness.js';
import { leaseContract } from './leases.js';
import { ledgerContract } from './ledger.js';
import { pagingContract } from './paging.js';
import { referenceContract } from './references.js';
import { welcomeContract } from './welcomes.js';
import { welcomeSqlContract } from './welcome-sql.js';

export type { MakeHarness, StoreHarness } from './harness.js';

/**
 * The Store contract (src/store/types.ts): the same suite for every implementation, each test on a
 * fresh empty database from `make`.
 */
export function describeStoreContract(name: string, make: MakeHarness): void {
  describe(`${name} satisfies the Store contract`, () => {
    let harness: StoreHarness | undefined;
    beforeEach(async () => {
      harness = await make();
    });
    afterEach(async () => {
      await harness?.dispose();
      harness = undefined;
    });
    const ctx = contextOf(() => harness);
    ledgerContract(ctx);
    pagingContract(ctx);
    welcomeContract(ctx);
    welcomeSqlContract(ctx);
    referenceContract(ctx);
    leaseContract(ctx);
  });
}
