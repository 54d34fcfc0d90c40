import type { State } from '../../../src/ledger/states.js';
import type { ConversationReferenceRow, NewUser, Store, TransitionEvent, UserPatch, UserRow } from '../../../src/store/types.js';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_TENANT = 'c7f9a0e1-0000-4000-8000-000000000002';
export const T0 = 1_750_000_000_000;

/** A GUID-shaped object id that sorts like its number. */
export const oid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

export function newUser(i: number, over: Partial<NewUser> = {}): NewUser {
  return {
    tenantId: TENANT,
    aadObjectId: oid(i),
    userPrincipalName: `User${i}@Contoso.com`,
    displayName: `User ${i}`,
    locale: 'en-GB',
    state: 'pending',
    reason: null,
    rolloutId: null,
    ...over,
  };
}

export function reference(aadObjectId: string, capturedAt: number, over: Partial<ConversationReferenceRow> = {}): ConversationReferenceRow {
  return {
    tenantId: TENANT,
    aadObjectId,
    conversationId: `a:1${aadObjectId}`,
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    userId: `29:1${aadObjectId}`,
    botId: '28:bot',
    source: 'installationUpdate',
    capturedAt,
    ...over,
  };
}

export const event = (from: State | null, to: State, at: number, over: Partial<TransitionEvent> = {}): TransitionEvent => ({
  at,
  from,
  to,
  reason: null,
  actor: 'test',
  ...over,
});

/**
 * Users whose reference was captured at T0 + i (the lower the number, the older), moved from
 * installed to reference_ready as the capture does.
 */
export async function seedWelcomable(store: Store, ids: number[], tenantId = TENANT): Promise<void> {
  await store.insertUsers(
    ids.map((i) => newUser(i, { tenantId, state: 'installed' })),
    T0,
    'test',
  );
  for (const i of ids) {
    await store.putReference(reference(oid(i), T0 + i, { tenantId }));
    await store.updateUser(tenantId, oid(i), 1, { state: 'reference_ready', referenceAt: T0 + i }, event('installed', 'reference_ready', T0 + i, { actor: 'capture' }));
  }
}

export const keyOf = (row: { tenantId: string; aadObjectId: string }): string => `${row.tenantId}/${row.aadObjectId}`;

/** A change at whatever version the row has now (the tests' own writes never race). */
export async function patchUser(store: Store, i: number, patch: UserPatch, tenantId = TENANT): Promise<UserRow> {
  const row = await store.getUser(tenantId, oid(i));
  if (!row) throw new Error(`no user ${i}`);
  const updated = await store.updateUser(tenantId, row.aadObjectId, row.version, patch, event(row.state, patch.state ?? row.state, T0 + 1));
  if (!updated) throw new Error(`user ${i} changed under the test`);
  return updated;
}
