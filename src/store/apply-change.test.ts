import { expect } from 'chai';
import { startInstall, excluded } from '../ledger/transitions.js';
import { newUser, oid, T0, TENANT } from '../../test/store/contract/fixtures.js';
import { applyChange } from './apply-change.js';
import { openStore } from './open.js';
import type { Store } from './types.js';

/** A real SQLite store in memory, with its reads counted. */
async function storeWithReads(): Promise<{ store: Store; reads: () => number }> {
  const store = await openStore(':memory:');
  let reads = 0;
  const getUser = store.getUser.bind(store);
  store.getUser = async (...args) => (reads++, getUser(...args));
  await store.insertUsers([newUser(1)], T0, 'test');
  return { store, reads: () => reads };
}
const meta = { at: T0 + 1, actor: 'test' };

describe('applyChange with the row in hand (issue 12: store round trips)', () => {
  it('a current row in hand: the change is written with no read', async () => {
    const { store, reads } = await storeWithReads();
    const row = (await store.getUser(TENANT, oid(1)))!;
    const before = reads();
    const r = await applyChange(store, TENANT, oid(1), (x) => startInstall(x, 'r1'), meta, row);
    expect(r.changed).to.equal(true);
    expect(r.row!.state).to.equal('installing');
    expect(reads() - before).to.equal(0);
  });

  it('a stale row in hand: the compare-and-set fails, the row is read, and the change is decided on it', async () => {
    const { store, reads } = await storeWithReads();
    const stale = (await store.getUser(TENANT, oid(1)))!;
    await applyChange(store, TENANT, oid(1), (x) => excluded(x), meta); // another process moved it on
    const before = reads();
    const r = await applyChange(store, TENANT, oid(1), (x) => startInstall(x, 'r1'), meta, stale);
    expect(reads() - before).to.equal(1);
    expect(r.changed, 'an excluded person is not installed').to.equal(false);
    expect(r.row!.state).to.equal('skipped');
  });

  it('a kept row the change does not apply to is decided again on the stored row (it may be old)', async () => {
    const { store, reads } = await storeWithReads();
    const kept = { ...(await store.getUser(TENANT, oid(1)))!, state: 'skipped' as const, reason: 'excluded' };
    const before = reads();
    const r = await applyChange(store, TENANT, oid(1), (x) => startInstall(x, 'r1'), meta, kept);
    expect(reads() - before).to.equal(1);
    expect(r.changed).to.equal(true);
  });

  it('a row read just now that the change does not apply to: no second read', async () => {
    const { store, reads } = await storeWithReads();
    await applyChange(store, TENANT, oid(1), (x) => excluded(x), meta);
    const fresh = (await store.getUser(TENANT, oid(1)))!;
    const before = reads();
    const r = await applyChange(store, TENANT, oid(1), (x) => startInstall(x, 'r1'), meta, fresh, true);
    expect(reads() - before).to.equal(0);
    expect(r.changed).to.equal(false);
  });

  it('no row: nothing changes, whatever is in hand', async () => {
    const { store } = await storeWithReads();
    expect(await applyChange(store, TENANT, oid(9), (x) => startInstall(x, 'r1'), meta)).to.deep.equal({ row: undefined, changed: false });
  });
});
