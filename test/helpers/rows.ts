import { newUserRow } from '../../src/store/user-rows.js';
import type { UserRow } from '../../src/store/types.js';

/** A ledger row as the store creates it (pending, version 1), with `over` on top, for pure-function tests. */
export function row(over: Partial<UserRow> = {}): UserRow {
  const base = newUserRow({ tenantId: 't1', aadObjectId: 'u1', userPrincipalName: 'ada@contoso.com', displayName: 'Ada', locale: 'en-US', state: 'pending', reason: null, rolloutId: 'r1' }, 1);
  return { ...base, ...over };
}
