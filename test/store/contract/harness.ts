import type { Store } from '../../../src/store/types.js';

/** One fresh, empty, migrated database per test, and the means to reach it again. */
export interface StoreHarness {
  readonly store: Store;
  /** Another connection to the same database, as a second process would open it (migrated too). */
  openAnother(): Promise<Store>;
  /** Closes every store opened here and removes the database. */
  dispose(): Promise<void>;
}

export type MakeHarness = () => Promise<StoreHarness>;

/** What each contract file receives: the current test's harness, set by describeStoreContract's beforeEach. */
export interface ContractContext {
  readonly store: Store;
  openAnother(): Promise<Store>;
}

export function contextOf(get: () => StoreHarness | undefined): ContractContext {
  const harness = () => {
    const h = get();
    if (!h) throw new Error('the store harness is not set up: contract tests run only inside describeStoreContract');
    return h;
  };
  return {
    get store() {
      return harness().store;
    },
    openAnother: () => harness().openAnother(),
  };
}
