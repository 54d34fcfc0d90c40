import type { UserPatch, UserRow } from './rows.js';
import { FINAL_STATES, REEVALUATED_SKIPS, type Reason, type State } from './states.js';

/**
 * Every change to a ledger row, as pure functions: (row as read, what happened, now) → the change,
 * or null when it does not apply from the row's state. The store applies a change with a
 * compare-and-set on the row's version (apply.ts), so two processes deciding from the same row
 * cannot both win. Events can arrive in any order (the install event may beat the install's own
 * 201), so each function says what it does from every state.
 */
export interface Change {
  to: State;
  reason: string | null;
  patch: UserPatch;
  detail?: string | null;
}

/** A refusal, as classified from an HTTP answer. */
export interface Refusal {
  state: 'failed' | 'skipped';
  reason: Reason;
  statusCode: number | null;
  serviceCode: string | null;
  detail: string | null;
}

const move = (to: State, reason: string | null, patch: UserPatch = {}, detail?: string | null): Change => ({
  to,
  reason,
  patch: { state: to, reason, ...patch },
  detail: detail ?? null,
});
/**
 * A change of data only: the state stays. None when the data is what the row holds already: the rollout
 * that last touched the row is not a change of its own (rollout_targets records who each run targeted).
 */
const touch = (row: UserRow, patch: UserPatch): Change | null => {
  const differs = (Object.keys(patch) as (keyof UserPatch)[]).some((k) => k !== 'rolloutId' && (patch[k] ?? null) !== (row[k] ?? null));
  return differs ? { to: row.state, reason: row.reason, patch } : null;
};

const BEFORE_INSTALL_RESULT: ReadonlySet<State> = new Set(['pending', 'installing']);
const AWAITING_REFERENCE: ReadonlySet<State> = new Set(['pending', 'installing', 'installed', 'already_installed']);

export function startInstall(row: UserRow, rolloutId: string | null): Change | null {
  if (!BEFORE_INSTALL_RESULT.has(row.state)) return null;
  return move('installing', null, { installAttempts: row.installAttempts + 1, rolloutId, statusCode: null, serviceCode: null, detail: null }, `attempt ${row.installAttempts + 1}`);
}

export type InstallOutcome =
  | { kind: 'created' }
  /** `ownEarlierAttempt`: the 409 answered a retry whose earlier attempt may have landed (same process). */
  | { kind: 'conflict'; ownEarlierAttempt?: boolean }
  | { kind: 'refused'; refusal: Refusal };

export function installOutcome(row: UserRow, outcome: InstallOutcome, now: number): Change | null {
  if (!BEFORE_INSTALL_RESULT.has(row.state)) {
    // The install event (captured by the bot) got here first: keep its state, note when the install happened.
    return outcome.kind === 'refused' || row.installedAt ? null : touch(row, { installedAt: now });
  }
  switch (outcome.kind) {
    case 'created':
      return move('installed', null, { installedAt: now });
    case 'conflict':
      // After an interrupted or retried attempt, a 409 may mean that attempt installed it (and Teams sent the
      // event, which may or may not have reached the bot). Either way the chat is fetched through Graph, as for
      // anyone who already had the app, so the final state is the same as a run that was never interrupted.
      return move('already_installed', null, { installedAt: now }, row.installAttempts > 1 || outcome.ownEarlierAttempt ? '409 after an interrupted or retried attempt (that attempt may have installed it)' : null);
    case 'refused': {
      const r = outcome.refusal;
      return move(r.state, r.reason, { statusCode: r.statusCode, serviceCode: r.serviceCode, detail: r.detail }, r.detail);
    }
  }
}

/**
 * Failures of the install path, or of a send that may be tried again, that say nothing against
 * messaging the person: a team's roster gives their chat without any install (`welcome --team`), so
 * these do not bar its welcome (issue 11: people stayed `failed (missing_permission)` from an install
 * run). A refusal by the person, a policy or the tenant does bar it.
 */
export const ROSTER_OVERRIDES_FAILURE: ReadonlySet<string> = new Set(['missing_permission', 'app_not_in_catalog', 'app_not_manageable', 'user_not_found', 'reference_unavailable', 'conversation_not_found', 'throttled', 'service_error', 'network_error']);

/** A person `welcome --team` may still welcome: not final, or failed for a reason its roster overrides, and never welcomed. */
export function rosterMayWelcome(row: UserRow): boolean {
  if (row.welcomedAt) return false;
  if (row.state === 'failed') return ROSTER_OVERRIDES_FAILURE.has(row.reason ?? '');
  return !FINAL_STATES.has(row.state) && row.state !== 'reference_ready' && row.state !== 'welcoming';
}

/** A conversation reference was stored (install event, Graph chat, team roster…). */
export function referenceStored(row: UserRow, source: string, now: number): Change | null {
  const patch: UserPatch = { referenceAt: now };
  // Already waiting for its welcome (the second of the two install events, a duplicate): nothing to record.
  if (row.state === 'reference_ready') return null;
  if (AWAITING_REFERENCE.has(row.state)) {
    // Installed again after an uninstall (teams-rollout uninstall keeps welcomed_at): never a second welcome.
    if (row.welcomedAt) return move('welcomed', null, patch, `reference from ${source}; welcomed already, before an uninstall`);
    return move('reference_ready', null, patch, `reference from ${source}`);
  }
  if (row.state === 'failed' && (row.reason === 'reference_unavailable' || row.reason === 'conversation_not_found')) {
    return move('reference_ready', null, patch, `reference from ${source}`);
  }
  if (source === 'team-roster' && rosterMayWelcome(row)) {
    return move('reference_ready', null, { ...patch, statusCode: null, serviceCode: null, detail: null }, `reference from the team's roster; the earlier ${row.reason} does not bar it`);
  }
  if (row.state === 'skipped' && row.reason === 'uninstalled_by_user') {
    // They installed it again themselves. Never a second welcome: someone already welcomed stays welcomed.
    return row.welcomedAt ? move('welcomed', null, patch, 'reinstalled by the user') : move('reference_ready', null, patch, 'reinstalled by the user');
  }
  // Welcomed, being welcomed, or final for another reason: the stored reference is enough; the row stays as it is.
  return null;
}

export function referenceUnavailable(row: UserRow, detail: string): Change | null {
  if (row.state !== 'installed' && row.state !== 'already_installed') return null;
  return move('failed', 'reference_unavailable', { statusCode: null, serviceCode: null, detail }, detail);
}

export function welcomeSent(row: UserRow, claimer: string, activityId: string | null, now: number): Change | null {
  if (row.state === 'welcoming' && row.claimedBy === claimer) {
    return move('welcomed', null, { welcomedAt: now, welcomeActivityId: activityId, claimedBy: null, claimedAt: null, sendStartedAt: null, statusCode: null, serviceCode: null, detail: null });
  }
  // The row moved on while the message was in flight (e.g. the user uninstalled): keep the fact that it went.
  return row.welcomedAt ? null : touch(row, { welcomedAt: now, welcomeActivityId: activityId });
}

export function welcomeFailed(row: UserRow, claimer: string, refusal: Refusal): Change | null {
  if (row.state !== 'welcoming' || row.claimedBy !== claimer) return null;
  return move(refusal.state, refusal.reason, { claimedBy: null, claimedAt: null, sendStartedAt: null, statusCode: refusal.statusCode, serviceCode: refusal.serviceCode, detail: refusal.detail }, refusal.detail);
}

/**
 * A sender takes the welcome. The store does this in one statement for many rows at once (claimWelcomes,
 * which also requires a stored reference); test/store/contract/welcome-sql.ts holds its SQL to this.
 */
export function welcomeClaimed(row: UserRow, claimer: string, now: number): Change | null {
  if (row.state !== 'reference_ready' || row.optedOutAt || row.welcomedAt || row.welcomeHeldBy) return null;
  return move('welcoming', null, { claimedBy: claimer, claimedAt: now, sendStartedAt: null, welcomeAttempts: row.welcomeAttempts + 1 });
}

/** Just before an HTTP attempt: from now on a crash leaves the delivery unknown. */
export function sendAttemptStarted(row: UserRow, claimer: string, now: number): Change | null {
  if (row.state !== 'welcoming' || row.claimedBy !== claimer) return null;
  return touch(row, { sendStartedAt: now });
}

/** The connector answered (a refusal to retry): nothing was delivered by that attempt. */
export function sendAttemptAnswered(row: UserRow, claimer: string): Change | null {
  if (row.state !== 'welcoming' || row.claimedBy !== claimer || !row.sendStartedAt) return null;
  return touch(row, { sendStartedAt: null });
}

/** The send may or may not have reached the person: reported, never resent on our own (PRODUCT.md §4). */
export function welcomeUnconfirmed(row: UserRow, claimer: string, detail: string): Change | null {
  if (row.state !== 'welcoming' || row.claimedBy !== claimer) return null;
  return move('unconfirmed', null, { claimedBy: null, claimedAt: null, sendStartedAt: null, detail }, detail);
}

/** Gives a claimed row back unsent (shutdown before the call, or a fresh reference to try). */
export function welcomeReleased(row: UserRow, claimer: string): Change | null {
  if (row.state !== 'welcoming' || row.claimedBy !== claimer) return null;
  return move('reference_ready', null, { claimedBy: null, claimedAt: null, sendStartedAt: null, welcomeAttempts: Math.max(0, row.welcomeAttempts - 1) }, 'released unsent');
}

export function uninstalledByUser(row: UserRow): Change | null {
  if (row.state === 'skipped' && row.reason === 'uninstalled_by_user') return null;
  // The removal event that our own DELETE causes (teams-rollout uninstall): the admin's reason stands.
  if (row.state === 'skipped' && row.reason === 'uninstalled_by_admin') return null;
  return move('skipped', 'uninstalled_by_user', { claimedBy: null, claimedAt: null }, 'installationUpdate remove');
}

/** Rows whose app may still be installed: an uninstall asks Graph for their installation. */
const MAY_HAVE_APP: ReadonlySet<State> = new Set(['installing', 'installed', 'already_installed', 'reference_ready', 'welcoming', 'welcomed', 'unconfirmed']);
const GONE_ALREADY: ReadonlySet<string> = new Set(['uninstalled_by_user', 'uninstalled_by_admin']);

/** Whether `teams-rollout uninstall` has anything to remove for this person (pure; the DELETE decides the rest). */
export function mayHaveApp(row: UserRow): boolean {
  if (row.state === 'skipped' && GONE_ALREADY.has(row.reason ?? '')) return false;
  return MAY_HAVE_APP.has(row.state) || row.installedAt !== null;
}

/**
 * `teams-rollout uninstall` removed the app (204), or found it gone (404 or no installation): the person
 * is `skipped(uninstalled_by_admin)`, so no process welcomes them; welcomed_at is kept, so a later install
 * that asks for them again never welcomes them twice. A claim in flight is dropped (its send still notes
 * welcomed_at through welcomeSent).
 */
export function uninstalledByAdmin(row: UserRow, detail: string): Change | null {
  if (row.state === 'skipped' && row.reason === 'uninstalled_by_admin') return null;
  return move('skipped', 'uninstalled_by_admin', { claimedBy: null, claimedAt: null, sendStartedAt: null, statusCode: null, serviceCode: null, detail }, detail);
}

const OPT_OUT_CANCELS: ReadonlySet<State> = new Set(['pending', 'installing', 'installed', 'already_installed', 'reference_ready']);

export function optedOut(row: UserRow, now: number): Change | null {
  if (row.optedOutAt) return null;
  return OPT_OUT_CANCELS.has(row.state) ? move('skipped', 'opted_out', { optedOutAt: now }, 'replied stop') : touch(row, { optedOutAt: now });
}

export function optedIn(row: UserRow, hasReference: boolean): Change | null {
  if (!row.optedOutAt && !(row.state === 'skipped' && row.reason === 'opted_out')) return null;
  if (row.state === 'skipped' && row.reason === 'opted_out') {
    if (row.welcomedAt) return move('welcomed', null, { optedOutAt: null }, 'replied start');
    return hasReference ? move('reference_ready', null, { optedOutAt: null }, 'replied start') : move('pending', null, { optedOutAt: null }, 'replied start');
  }
  return touch(row, { optedOutAt: null });
}

export function resendUnconfirmed(row: UserRow): Change | null {
  return row.state === 'unconfirmed' ? move('reference_ready', null, {}, '--resend-unconfirmed') : null;
}

export function excluded(row: UserRow): Change | null {
  return row.state === 'pending' ? move('skipped', 'excluded', {}, 'excluded by the run') : null;
}

/**
 * A 409 for someone this ledger never reached (installer/other-ledger.ts): held out of the welcome queue
 * while the run decides whether this is another ledger's rollout. Written to the ledger, so a run killed
 * before it decides leaves them unwelcomed, not welcomed twice.
 */
export function heldForOtherLedger(row: UserRow): Change | null {
  if (row.state !== 'already_installed') return null;
  return move('skipped', 'other_ledger', { statusCode: 409, serviceCode: 'Conflict', detail: OTHER_LEDGER_HELD }, OTHER_LEDGER_HELD);
}

/** While the run decides (a run killed now leaves this detail: the next run decides again). */
export const OTHER_LEDGER_HELD = 'already installed, though never installed nor welcomed by this ledger: held while the run decides';
/** The run stopped for another ledger: this person stays skipped until --welcome-already-installed. */
export const OTHER_LEDGER_STOPPED = 'already installed, though never installed nor welcomed by this ledger: the run stopped (another ledger?)';

/** A hold the run that made it did not decide (it was killed): the next run takes it over. */
export const isUndecidedHold = (row: UserRow) => row.state === 'skipped' && row.reason === 'other_ledger' && row.detail === OTHER_LEDGER_HELD;

/** The run stopped: the hold stands. */
export function confirmedOtherLedger(row: UserRow): Change | null {
  return isUndecidedHold(row) ? touch(row, { detail: OTHER_LEDGER_STOPPED }) : null;
}

/** The run went on: a person held by heldForOtherLedger is welcomed like anyone who already had the app. */
export function releasedFromOtherLedgerHold(row: UserRow): Change | null {
  if (row.state !== 'skipped' || row.reason !== 'other_ledger') return null;
  return move('already_installed', null, { statusCode: null, serviceCode: null, detail: null }, 'few enough "already installed" answers: not another ledger');
}

/** What the directory says about a person now. */
export type Eligibility = { eligible: true } | { eligible: false; reason: 'guest' | 'disabled' | 'no_teams_licence'; detail: string };

/**
 * A person found again by a later run: refresh their data; re-evaluate skips that depend on the
 * directory (a disabled account may be enabled again); retry failures only when asked.
 */
export function rediscovered(
  row: UserRow,
  data: Pick<UserRow, 'userPrincipalName' | 'displayName' | 'locale'>,
  eligibility: Eligibility,
  options: { retryFailed: boolean; rolloutId: string; welcomeHeldBy?: string | null; welcomeAlreadyInstalled?: boolean },
): Change | null {
  // The run's --no-welcome choice is the person's from now on: it holds the welcome, or lifts an earlier hold.
  const patch: UserPatch = { ...data, rolloutId: options.rolloutId, ...(options.welcomeHeldBy !== undefined && { welcomeHeldBy: options.welcomeHeldBy }) };
  if (row.state === 'installing') return move('pending', null, patch, 'resumed after an interrupted attempt');
  // An admin's uninstall is undone by an install that targets the person again (that run asks for it).
  if (row.state === 'pending' || (row.state === 'skipped' && (REEVALUATED_SKIPS.has(row.reason ?? '') || row.reason === 'uninstalled_by_admin'))) {
    if (!eligibility.eligible) {
      return row.state === 'skipped' && row.reason === eligibility.reason ? touch(row, patch) : move('skipped', eligibility.reason, patch, eligibility.detail);
    }
    return row.state === 'pending' ? touch(row, patch) : move('pending', null, patch, 'eligible again');
  }
  // The administrator says the earlier ledger is gone (or never welcomed them): install and welcome.
  if (row.state === 'skipped' && row.reason === 'other_ledger' && options.welcomeAlreadyInstalled) {
    return move('pending', null, { ...patch, statusCode: null, serviceCode: null, detail: null }, '--welcome-already-installed');
  }
  if (row.state === 'failed' && options.retryFailed && row.reason !== 'bot_blocked_by_user') {
    return move('pending', null, { ...patch, statusCode: null, serviceCode: null, detail: null }, '--retry-failed');
  }
  return touch(row, patch);
}
