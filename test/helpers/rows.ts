import type { UserRow } from '../../src/store/types.js';

/** A ledger row with sensible defaults, for pure-function tests. */
export function row(over: Partial<UserRow> = {}): UserRow {
  return {
    tenantId: 't1',
    aadObjectId: 'u1',
    userPrincipalName: 'ada@contoso.com',
    displayName: 'Ada',
    locale: 'en-US',
    state: 'pending',
    reason: null,
    statusCode: null,
    serviceCode: null,
    detail: null,
    installAttempts: 0,
    welcomeAttempts: 0,
    rolloutId: 'r1',
    installedAt: null,
    referenceAt: null,
    welcomedAt: null,
    welcomeActivityId: null,
    optedOutAt: null,
    claimedBy: null,
    claimedAt: null,
    createdAt: 1,
    updatedAt: 1,
    version: 1,
    ...over,
  };
}
