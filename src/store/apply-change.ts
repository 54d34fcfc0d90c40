import type { Store, UserRow } from './types.js';
import type { Change } from '../ledger/transitions.js';

/**
 * Reads a row, decides with a pure transition, writes with compare-and-set, and tries again if
 * another process changed the row in between. Returns the row as it stands afterwards (unchanged
 * when the transition did not apply), or undefined when there is no such row.
 */
export async function applyChange(
  store: Store,
  tenantId: string,
  aadObjectId: string,
  decide: (row: UserRow) => Change | null,
  meta: { at: number; actor: string; rolloutId?: string | null },
  attempts = 8,
): Promise<{ row: UserRow | undefined; changed: boolean }> {
  for (let i = 0; i < attempts; i++) {
    const row = await store.getUser(tenantId, aadObjectId);
    if (!row) return { row: undefined, changed: false };
    const change = decide(row);
    if (!change) return { row, changed: false };
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
  throw new Error(`The ledger row of ${aadObjectId} kept changing under us (${attempts} tries); is something looping on it?`);
}
