import { expect } from 'chai';
import type { InstallOutcome } from '../ledger/transitions.js';
import type { UserRow } from '../store/types.js';
import { row } from '../../test/helpers/rows.js';
import { isUnknownConflict, otherLedgerVerdict } from './other-ledger.js';

describe('otherLedgerVerdict (stop when the ledger looks like another one)', () => {
  const table: [number, number, 'stop' | 'go', string][] = [
    [0, 0, 'go', 'nothing answered yet'],
    [19, 19, 'go', 'fewer than 20, even if all'],
    [20, 20, 'stop', '20 of 20'],
    [20, 39, 'stop', '20 of 39: more than half'],
    [20, 40, 'go', '20 of 40: exactly half is not more than half'],
    [30, 1000, 'go', 'a handful who added the app themselves in a big run'],
    [501, 1000, 'stop', 'more than half of a big run'],
    [5, 6, 'go', 'a small pilot, mostly self-installed'],
  ];
  for (const [unknownConflicts, answers, verdict, why] of table) {
    it(`${unknownConflicts} unknown 409s of ${answers} answers → ${verdict} (${why})`, () => {
      expect(otherLedgerVerdict({ unknownConflicts, answers })).to.equal(verdict);
    });
  }
  const again: [number, number, number, 'stop' | 'go', string][] = [
    [1, 1, 40, 'stop', 'a re-run meeting the one person left, after a stop that held 40'],
    [0, 5, 40, 'go', 'no unknown 409 in this run: nothing to hold'],
    [1, 3, 5, 'go', 'a crash left 5 held: 6 is fewer than 20'],
    [5, 100, 20, 'go', '25 of 120: not more than half'],
  ];
  for (const [unknownConflicts, answers, heldBefore, verdict, why] of again) {
    it(`${unknownConflicts} of ${answers} with ${heldBefore} held before → ${verdict} (${why})`, () => {
      expect(otherLedgerVerdict({ unknownConflicts, answers, heldBefore })).to.equal(verdict);
    });
  }
});

describe('isUnknownConflict (a 409 for someone this ledger never reached)', () => {
  const conflict: InstallOutcome = { kind: 'conflict' };
  const table: [string, Partial<UserRow>, InstallOutcome, boolean][] = [
    ['a person first met by this run', {}, conflict, true],
    ['a 201', {}, { kind: 'created' }, false],
    ['a refusal', {}, { kind: 'refused', refusal: { state: 'failed', reason: 'blocked_by_policy', statusCode: 403, serviceCode: null, detail: null } }, false],
    ['a 409 answering our own retried POST', {}, { kind: 'conflict', ownEarlierAttempt: true }, false],
    ['an earlier attempt by this ledger', { installAttempts: 1 }, conflict, false],
    ['installed by this ledger before', { installedAt: 5 }, conflict, false],
    ['a chat this ledger captured', { referenceAt: 5 }, conflict, false],
    ['welcomed by this ledger', { welcomedAt: 5 }, conflict, false],
    ['a welcome this ledger tried', { welcomeAttempts: 1 }, conflict, false],
  ];
  for (const [what, over, outcome, expected] of table) {
    it(`${what} → ${expected}`, () => {
      expect(isUnknownConflict(row({ state: 'pending', ...over }), outcome)).to.equal(expected);
    });
  }
});
