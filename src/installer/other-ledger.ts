import { FatalRunError } from '../errors.js';
import type { InstallOutcome } from '../ledger/transitions.js';
import type { UserRow } from '../store/types.js';

/**
 * Another ledger (issue 11 major 6): a run whose ledger is not the one of the earlier rollout knows
 * nobody, and would welcome everyone a second time. What gives it away is Graph's answer to the
 * install: 409 Conflict means the app is already installed for the person
 * (https://learn.microsoft.com/en-us/graph/api/userteamwork-post-installedapps, wire-facts A "Already
 * installed: 409 Conflict"). A few such people are normal (they added the app themselves); many, for
 * people this ledger never installed nor welcomed, mean the rollout was done with another ledger.
 */

/** Fewer than this many is the handful who added the app themselves: no question asked. */
export const OTHER_LEDGER_MIN_CONFLICTS = 20;

export interface ConflictTally {
  /** 409s for people this ledger never installed, captured nor welcomed, in this run. */
  unknownConflicts: number;
  /** Every install answer of the run so far (201, 409 and refusals). */
  answers: number;
  /**
   * People an earlier run of this ledger held as skipped (other_ledger): that run's 409s, still
   * standing, so a re-run that meets only the few people left is not taken for a fresh start.
   */
  heldBefore?: number;
}

/**
 * Pure: stop when at least 20 answers were such 409s and they are more than half of the answers so far,
 * counting the people an earlier run of this ledger held for the same reason as answers of that kind.
 */
export function otherLedgerVerdict(t: ConflictTally): 'stop' | 'go' {
  if (t.unknownConflicts === 0) return 'go';
  const unknown = t.unknownConflicts + (t.heldBefore ?? 0);
  const answers = t.answers + (t.heldBefore ?? 0);
  return unknown >= OTHER_LEDGER_MIN_CONFLICTS && unknown * 2 > answers ? 'stop' : 'go';
}

/**
 * Pure: a 409 for someone this ledger has never installed, captured a chat for, nor welcomed (`before`
 * is the row as the run read it, before its install attempt). A 409 after our own earlier attempt
 * (a retry, an interrupted run) is ours, not another ledger's.
 */
export function isUnknownConflict(before: UserRow, outcome: InstallOutcome): boolean {
  return (
    outcome.kind === 'conflict' &&
    !outcome.ownEarlierAttempt &&
    before.installAttempts === 0 &&
    before.installedAt === null &&
    before.referenceAt === null &&
    before.welcomedAt === null &&
    before.welcomeAttempts === 0
  );
}

/** The run stopped for another ledger: install.ts names the likely one (render.ts) and exits 2. */
export class OtherLedgerStop extends FatalRunError {
  readonly tally: ConflictTally;
  constructor(tally: ConflictTally) {
    super('OTHER_LEDGER', `${tally.unknownConflicts + (tally.heldBefore ?? 0)} of ${tally.answers + (tally.heldBefore ?? 0)} install answers were "already installed" for people this ledger never installed or welcomed: another ledger was probably used for this tenant.`);
    this.name = 'OtherLedgerStop';
    this.tally = tally;
  }
}
