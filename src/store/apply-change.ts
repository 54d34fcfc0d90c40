import type { Store, UserRow } from './types.js';
import type { Change } from '../ledger/transitions.js';

const ATTEMPTS = 8;

/**
 * Decides with a pure transition and writes with compare-and-set, trying again if another process
 * changed the row in between. `current`, the row as the caller last saw it (a claim, the previous change),
 * saves the read: the compare-and-set on its version fails if it is stale, and only then is the row read
 * (issue 12 "store round trips"). A transition that does not apply to the row in hand is decided again on
 * the stored row, since the row in hand may be old. Returns the row as it stands afterwards (unchanged
 * when the transition did not apply), or undefined when there is no such row.
 */
export async function applyChange(
  store: Store,
  tenantId: string,
  aadObjectId: string,
  decide: (row: UserRow) => Change | null,
  meta: { at: number; actor: string; rolloutId?: string | null },
  current?: UserRow,
  /** `current` was read just now (not kept from earlier): a transition that does not apply to it is not decided again. */
  currentIsFresh = false,
): Promise<{ row: UserRow | undefined; changed: boolean }> {
  let inHand = current;
  for (let i = 0; i < ATTEMPTS; i++) {
    const fromHand = inHand !== undefined && !(i === 0 && currentIsFresh);
    const row = inHand ?? (await store.getUser(tenantId, aadObjectId));
    inHand = undefined;
    if (!row) return { row: undefined, changed: false };
    const change = decide(row);
    if (!change) {
      if (fromHand) continue;
      return { row, changed: false };
    }
    const updated = await store.updateUser(tenantId, aadObjectId, row.version, { ...change.patch, updatedAt: meta.at }, {
      at: meta.at,
      from: row.state,
      to: change.to,
      reason: change.reason,
      actor: meta.actor,
      detail: change.detail ?? null,
      rolloutId: meta.rolloutId ?? row.rolloutId,
    });
    if (updated) return { row: updated, changed: true };
  }
  throw new Error(`The ledger row of ${aadObjectId} kept changing under us (${ATTEMPTS} tries); is something looping on it?`);
}
