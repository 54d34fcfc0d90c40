import type { DirectoryUser } from '../graph/users.js';
import { rediscovered, excluded as excludedChange, type Change, type Eligibility } from '../ledger/transitions.js';
import type { State } from '../ledger/states.js';
import type { NewUser, UserRow } from '../store/types.js';
import { eligibility } from './eligibility.js';
import { unresolvedKey, type Unresolved } from './sources.js';

/**
 * The install plan for one page of targets, as a pure function of the page and the ledger rows
 * already there: resumability lives here (style.md "resumability is data"). A re-run finds the
 * same people, sees what the ledger says, and plans only what is left.
 */
export interface PlanOptions {
  tenantId: string;
  rolloutId: string;
  retryFailed: boolean;
  /** Lower-cased object ids and UPNs to leave out. */
  exclusions: ReadonlySet<string>;
  /** `install --no-welcome`: every target's welcome is held until a later run without it (UserRow.welcomeHeldBy). */
  holdWelcomes: boolean;
  /** `install --welcome-already-installed`: people held for another ledger (skipped other_ledger) are installed and welcomed. */
  welcomeAlreadyInstalled?: boolean | undefined;
  now: number;
}

export type Decision =
  | { key: string; kind: 'insert'; row: NewUser; outcome: State }
  /** `existing`: the row as this page read it; `changes`: whether `decide` changes it (nothing to write when not). */
  | { key: string; kind: 'change'; decide: (row: UserRow) => Change | null; outcome: State; reason: string | null; existing: UserRow; changes: boolean };

function dataOf(u: DirectoryUser) {
  return { userPrincipalName: u.userPrincipalName, displayName: u.displayName, locale: u.preferredLanguage || null };
}

function isExcluded(u: { id: string; userPrincipalName: string | null }, exclusions: ReadonlySet<string>): boolean {
  return exclusions.has(u.id.toLowerCase()) || (!!u.userPrincipalName && exclusions.has(u.userPrincipalName.toLowerCase()));
}

const heldBy = (o: PlanOptions) => (o.holdWelcomes ? o.rolloutId : null);

export function planUser(u: DirectoryUser, existing: UserRow | undefined, o: PlanOptions): Decision {
  const excluded = isExcluded(u, o.exclusions);
  const elig: Eligibility = eligibility(u);
  if (!existing) {
    const state: State = excluded || !elig.eligible ? 'skipped' : 'pending';
    const reason = excluded ? 'excluded' : elig.eligible ? null : elig.reason;
    return {
      key: u.id,
      kind: 'insert',
      outcome: state,
      row: { tenantId: o.tenantId, aadObjectId: u.id, ...dataOf(u), state, reason, rolloutId: o.rolloutId, welcomeHeldBy: heldBy(o), detail: excluded ? 'excluded by the run' : elig.eligible ? null : elig.detail },
    };
  }
  const decide = (row: UserRow): Change | null => {
    const change = rediscovered(row, dataOf(u), elig, { retryFailed: o.retryFailed, rolloutId: o.rolloutId, welcomeHeldBy: heldBy(o), welcomeAlreadyInstalled: !!o.welcomeAlreadyInstalled });
    if (excluded && (change?.to ?? row.state) === 'pending') {
      const ex = excludedChange({ ...row, state: 'pending' });
      return ex ? { ...ex, patch: { ...change?.patch, ...ex.patch } } : change;
    }
    return change;
  };
  const c = decide(existing);
  return { key: u.id, kind: 'change', decide, outcome: c?.to ?? existing.state, reason: c ? c.reason : existing.reason, existing, changes: c !== null };
}

export function planUnresolved(u: Unresolved, existing: UserRow | undefined, o: PlanOptions, source: string): Decision {
  const key = unresolvedKey(u);
  const detail = `${source} line ${u.ref.line}: "${u.ref.value}" is not in the directory`;
  if (!existing) {
    return {
      key,
      kind: 'insert',
      outcome: 'failed',
      row: { tenantId: o.tenantId, aadObjectId: key, userPrincipalName: u.ref.kind === 'upn' ? u.ref.value : null, displayName: null, locale: null, state: 'failed', reason: 'user_not_found', rolloutId: o.rolloutId, detail, statusCode: 404, serviceCode: 'Request_ResourceNotFound' },
    };
  }
  return { key, kind: 'change', decide: () => null, outcome: existing.state, reason: existing.reason, existing, changes: false };
}
