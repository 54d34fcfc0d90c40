import { expect } from 'chai';
import type { State } from '../../../src/ledger/states.js';
import type { ListUsersQuery, NewUser, StateCount, Store } from '../../../src/store/types.js';
import type { ContractContext } from './harness.js';
import { keyOf, newUser, OTHER_TENANT, T0, TENANT } from './fixtures.js';

const POPULATION = 2_500;
const CYCLE: State[] = ['pending', 'installed', 'reference_ready', 'welcomed', 'failed', 'skipped'];

/** A fixed population over two tenants and six states; rollout r1 targets every third person, r2 every fourth. */
function population(): NewUser[] {
  return Array.from({ length: POPULATION }, (_, i) => {
    const state = CYCLE[(i * 7) % CYCLE.length]!;
    const reason = state === 'failed' ? (i % 4 === 0 ? 'throttled' : 'blocked_by_policy') : state === 'skipped' ? 'guest' : null;
    return newUser(i, { tenantId: i % 5 === 0 ? OTHER_TENANT : TENANT, state, reason, rolloutId: i % 3 === 0 ? 'r1' : null });
  });
}
const inR1 = (i: number) => i % 3 === 0;
const inR2 = (i: number) => i % 4 === 0;

async function seed(store: Store): Promise<NewUser[]> {
  const rows = population();
  // Inserted out of key order (7919 is prime to 2,500), so an order that comes back is the key's, not the insert's.
  await store.insertUsers(rows.map((_, i) => rows[(i * 7919) % POPULATION]!), T0, 'test');
  for (const id of ['r1', 'r2']) {
    await store.createRollout({ id, tenantId: TENANT, startedAt: T0, finishedAt: null, targets: '--all-users', options: '{}', summary: null });
  }
  for (const tenantId of [TENANT, OTHER_TENANT]) {
    const ids = (pick: (i: number) => boolean) => rows.flatMap((r, i) => (r.tenantId === tenantId && pick(i) ? [r.aadObjectId] : []));
    await store.addRolloutTargets('r1', tenantId, ids(inR1));
    await store.addRolloutTargets('r2', tenantId, ids(inR2));
  }
  return rows;
}

async function pageAll(store: Store, query: Omit<ListUsersQuery, 'after'>): Promise<string[]> {
  const keys: string[] = [];
  let after: ListUsersQuery['after'];
  for (;;) {
    const page = await store.listUsers({ ...query, after });
    expect(page.length).to.be.at.most(query.limit);
    keys.push(...page.map(keyOf));
    const last = page.at(-1);
    if (!last || page.length < query.limit) return keys;
    after = { tenantId: last.tenantId, aadObjectId: last.aadObjectId };
  }
}

/** Every matching row exactly once, in (tenant, object id) order. */
function expectedKeys(rows: NewUser[], keep: (row: NewUser, i: number) => boolean): string[] {
  return rows
    .filter(keep)
    .map(keyOf)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function tally(rows: NewUser[], keep: (row: NewUser, i: number) => boolean): StateCount[] {
  const counts = new Map<string, StateCount>();
  rows.filter(keep).forEach((r) => {
    const k = `${r.state}/${r.reason}`;
    const c = counts.get(k) ?? { state: r.state, reason: r.reason, count: 0 };
    c.count++;
    counts.set(k, c);
  });
  return [...counts.values()];
}

export function pagingContract(ctx: ContractContext): void {
  describe(`listUsers keyset paging over ${POPULATION} rows, and countByState`, () => {
    it('pages through every row exactly once, in key order', async () => {
      const rows = await seed(ctx.store);
      expect(await pageAll(ctx.store, { limit: 97 })).to.deep.equal(expectedKeys(rows, () => true));
      expect(await pageAll(ctx.store, { limit: 1000, tenantId: OTHER_TENANT })).to.deep.equal(expectedKeys(rows, (r) => r.tenantId === OTHER_TENANT));
    });

    it('filters by tenant and states without duplicates or gaps', async () => {
      const rows = await seed(ctx.store);
      const states: State[] = ['reference_ready', 'failed'];
      expect(await pageAll(ctx.store, { limit: 50, tenantId: TENANT, states })).to.deep.equal(
        expectedKeys(rows, (r) => r.tenantId === TENANT && states.includes(r.state)),
      );
      expect(await ctx.store.listUsers({ limit: 10, states: [] })).to.deep.equal([]);
    });

    it('filters by rollout through its targets, alone and with tenant and states', async () => {
      const rows = await seed(ctx.store);
      expect(await pageAll(ctx.store, { limit: 64, rolloutId: 'r2' })).to.deep.equal(expectedKeys(rows, (_, i) => inR2(i)));
      expect(await pageAll(ctx.store, { limit: 33, rolloutId: 'r1', tenantId: TENANT, states: ['pending', 'welcomed'] })).to.deep.equal(
        expectedKeys(rows, (r, i) => inR1(i) && r.tenantId === TENANT && (r.state === 'pending' || r.state === 'welcomed')),
      );
      expect(await ctx.store.listUsers({ limit: 10, rolloutId: 'no-such-rollout' })).to.deep.equal([]);
    });

    it('rejects a limit that is not a positive integer', async () => {
      const error = await ctx.store.listUsers({ limit: 0 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.have.property('code', 'STORE_BAD_QUERY');
    });

    it('counts by state and reason, for a tenant, a rollout, or everyone', async () => {
      const rows = await seed(ctx.store);
      expect(await ctx.store.countByState({})).to.have.deep.members(tally(rows, () => true));
      expect(await ctx.store.countByState({ tenantId: OTHER_TENANT })).to.have.deep.members(tally(rows, (r) => r.tenantId === OTHER_TENANT));
      expect(await ctx.store.countByState({ rolloutId: 'r1', tenantId: TENANT })).to.have.deep.members(tally(rows, (r, i) => inR1(i) && r.tenantId === TENANT));
      // Lifecycle order (ledger/states.ts), then reason: the same from every store.
      expect((await ctx.store.countByState({})).map((c) => `${c.state}/${c.reason}`)).to.deep.equal([
        'pending/null',
        'installed/null',
        'reference_ready/null',
        'welcomed/null',
        'skipped/guest',
        'failed/blocked_by_policy',
        'failed/throttled',
      ]);
    });

    it('counts the people in some states, for a tenant, a rollout, or everyone, as countByState does', async () => {
      const rows = await seed(ctx.store);
      const open = ['pending', 'installed', 'reference_ready'] as const;
      const expected = (keep: Parameters<typeof tally>[1]) => tally(rows, keep).filter((c) => (open as readonly string[]).includes(c.state)).reduce((n, c) => n + c.count, 0);
      expect(await ctx.store.countInStates({}, open)).to.equal(expected(() => true));
      expect(await ctx.store.countInStates({ tenantId: OTHER_TENANT }, open)).to.equal(expected((r) => r.tenantId === OTHER_TENANT));
      expect(await ctx.store.countInStates({ rolloutId: 'r1', tenantId: TENANT }, open)).to.equal(expected((r, i) => inR1(i) && r.tenantId === TENANT));
      expect(await ctx.store.countInStates({}, [])).to.equal(0);
      expect(await ctx.store.countInStates({}, ['welcomed'])).to.be.greaterThan(0);
    });

    it('counts a person added twice to a rollout once', async () => {
      await ctx.store.insertUsers([newUser(1), newUser(2), newUser(3)], T0, 'test');
      await ctx.store.createRollout({ id: 'r1', tenantId: TENANT, startedAt: T0, finishedAt: null, targets: '--group g1 --group g2', options: '{}', summary: null });
      const [a, b, c] = [1, 2, 3].map((i) => newUser(i).aadObjectId) as [string, string, string];
      expect(await ctx.store.addRolloutTargets('r1', TENANT, [a, b, b])).to.equal(2);
      expect(await ctx.store.addRolloutTargets('r1', TENANT, [b, c])).to.equal(1);
      expect(await ctx.store.countByState({ rolloutId: 'r1' })).to.deep.equal([{ state: 'pending', reason: null, count: 3 }]);
      expect(await pageAll(ctx.store, { limit: 2, rolloutId: 'r1' })).to.have.length(3);
    });
  });
}
