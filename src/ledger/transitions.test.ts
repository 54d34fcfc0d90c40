import { expect } from 'chai';
import { row } from '../../test/helpers/rows.js';
import type { UserRow } from './rows.js';
import type { State } from './states.js';
import {
  confirmedOtherLedger,
  excluded,
  heldForOtherLedger,
  OTHER_LEDGER_HELD,
  installOutcome,
  mayHaveApp,
  optedIn,
  optedOut,
  rediscovered,
  referenceStored,
  referenceUnavailable,
  releasedFromOtherLedgerHold,
  resendUnconfirmed,
  startInstall,
  uninstalledByAdmin,
  uninstalledByUser,
  welcomeFailed,
  welcomeReleased,
  welcomeSent,
  type Change,
  type Refusal,
} from './transitions.js';

const NOW = 1000;
const policy: Refusal = { state: 'failed', reason: 'blocked_by_policy', statusCode: 403, serviceCode: 'Forbidden', detail: 'App is blocked by app permission policy.' };
const blocked: Refusal = { state: 'failed', reason: 'bot_blocked_by_user', statusCode: 403, serviceCode: 'ConversationBlockedByUser', detail: 'User blocked the conversation with the bot.' };

type Case = [string, UserRow, (r: UserRow) => Change | null, State | null, string | null];
const to = (c: Change | null) => (c ? [c.to, c.reason] : [null, null]);

const cases: Case[] = [
  ['install starts from pending', row(), (r) => startInstall(r, 'r2'), 'installing', null],
  ['install resumes from installing', row({ state: 'installing', installAttempts: 1 }), (r) => startInstall(r, 'r2'), 'installing', null],
  ['install does not restart an installed user', row({ state: 'installed' }), (r) => startInstall(r, 'r2'), null, null],
  ['201 → installed', row({ state: 'installing', installAttempts: 1 }), (r) => installOutcome(r, { kind: 'created' }, NOW), 'installed', null],
  ['409 on a first attempt → already_installed', row({ state: 'installing', installAttempts: 1 }), (r) => installOutcome(r, { kind: 'conflict' }, NOW), 'already_installed', null],
  ['409 on a resumed attempt → already_installed (the chat comes from Graph either way)', row({ state: 'installing', installAttempts: 2 }), (r) => installOutcome(r, { kind: 'conflict' }, NOW), 'already_installed', null],
  ['409 after a dropped connection → already_installed', row({ state: 'installing', installAttempts: 1 }), (r) => installOutcome(r, { kind: 'conflict', ownEarlierAttempt: true }, NOW), 'already_installed', null],
  ['403 policy → failed(blocked_by_policy)', row({ state: 'installing', installAttempts: 1 }), (r) => installOutcome(r, { kind: 'refused', refusal: policy }, NOW), 'failed', 'blocked_by_policy'],
  ['a 201 after the event arrived keeps reference_ready', row({ state: 'reference_ready' }), (r) => installOutcome(r, { kind: 'created' }, NOW), 'reference_ready', null],
  ['a refusal after the event arrived changes nothing', row({ state: 'reference_ready' }), (r) => installOutcome(r, { kind: 'refused', refusal: policy }, NOW), null, null],
  ['reference while installing → reference_ready', row({ state: 'installing' }), (r) => referenceStored(r, 'installationUpdate', NOW), 'reference_ready', null],
  ['reference after 201 → reference_ready', row({ state: 'installed' }), (r) => referenceStored(r, 'conversationUpdate', NOW), 'reference_ready', null],
  ['a duplicate reference changes nothing', row({ state: 'reference_ready' }), (r) => referenceStored(r, 'conversationUpdate', NOW), null, null],
  ['a late reference revives reference_unavailable', row({ state: 'failed', reason: 'reference_unavailable' }), (r) => referenceStored(r, 'installationUpdate', NOW), 'reference_ready', null],
  ['a reference for a welcomed user does not reopen it', row({ state: 'welcomed', welcomedAt: 5 }), (r) => referenceStored(r, 'installationUpdate', NOW), null, null],
  ['a reference for a blocked user keeps the failure', row({ state: 'failed', reason: 'bot_blocked_by_user' }), (r) => referenceStored(r, 'installationUpdate', NOW), null, null],
  ['welcome --team: an install run\'s missing_permission does not bar the roster reference', row({ state: 'failed', reason: 'missing_permission', statusCode: 403 }), (r) => referenceStored(r, 'team-roster', NOW), 'reference_ready', null],
  ['welcome --team: a network_error of an earlier send is tried again', row({ state: 'failed', reason: 'network_error' }), (r) => referenceStored(r, 'team-roster', NOW), 'reference_ready', null],
  ['welcome --team: someone who blocked the bot stays failed', row({ state: 'failed', reason: 'bot_blocked_by_user' }), (r) => referenceStored(r, 'team-roster', NOW), null, null],
  ['welcome --team: a policy block stays failed', row({ state: 'failed', reason: 'blocked_by_policy' }), (r) => referenceStored(r, 'team-roster', NOW), null, null],
  ['an install event does not lift missing_permission (only a roster, which needs no install)', row({ state: 'failed', reason: 'missing_permission' }), (r) => referenceStored(r, 'installationUpdate', NOW), null, null],
  ['welcome --team: never a second welcome for a failed person welcomed before', row({ state: 'failed', reason: 'network_error', welcomedAt: 5 }), (r) => referenceStored(r, 'team-roster', NOW), null, null],
  ['a reinstall after uninstall, never welcomed → reference_ready', row({ state: 'skipped', reason: 'uninstalled_by_user' }), (r) => referenceStored(r, 'installationUpdate', NOW), 'reference_ready', null],
  ['a reinstall after uninstall, once welcomed → welcomed (no second welcome)', row({ state: 'skipped', reason: 'uninstalled_by_user', welcomedAt: 5 }), (r) => referenceStored(r, 'installationUpdate', NOW), 'welcomed', null],
  ['no reference in time → failed(reference_unavailable)', row({ state: 'installed' }), (r) => referenceUnavailable(r, 'no event'), 'failed', 'reference_unavailable'],
  ['reference_unavailable does not hit a ready row', row({ state: 'reference_ready' }), (r) => referenceUnavailable(r, 'no event'), null, null],
  ['sent by the claimer → welcomed', row({ state: 'welcoming', claimedBy: 'A' }), (r) => welcomeSent(r, 'A', '1', NOW), 'welcomed', null],
  ['sent while another held the claim → only the fact is noted', row({ state: 'skipped', reason: 'uninstalled_by_user' }), (r) => welcomeSent(r, 'A', '1', NOW), 'skipped', 'uninstalled_by_user'],
  ['blocked by the user → failed(bot_blocked_by_user)', row({ state: 'welcoming', claimedBy: 'A' }), (r) => welcomeFailed(r, 'A', blocked), 'failed', 'bot_blocked_by_user'],
  ['a failure from a stale claimer changes nothing', row({ state: 'welcoming', claimedBy: 'B' }), (r) => welcomeFailed(r, 'A', blocked), null, null],
  ['released unsent → reference_ready', row({ state: 'welcoming', claimedBy: 'A', welcomeAttempts: 1 }), (r) => welcomeReleased(r, 'A'), 'reference_ready', null],
  ['uninstall cancels a pending welcome', row({ state: 'reference_ready' }), (r) => uninstalledByUser(r), 'skipped', 'uninstalled_by_user'],
  ['uninstall twice is one change', row({ state: 'skipped', reason: 'uninstalled_by_user' }), (r) => uninstalledByUser(r), null, null],
  ['admin uninstall of a welcomed person → skipped(uninstalled_by_admin)', row({ state: 'welcomed', welcomedAt: 5 }), (r) => uninstalledByAdmin(r, 'DELETE 204'), 'skipped', 'uninstalled_by_admin'],
  ['admin uninstall before the welcome cancels it', row({ state: 'reference_ready' }), (r) => uninstalledByAdmin(r, 'DELETE 204'), 'skipped', 'uninstalled_by_admin'],
  ['admin uninstall drops a claim in flight', row({ state: 'welcoming', claimedBy: 'A' }), (r) => uninstalledByAdmin(r, 'DELETE 204'), 'skipped', 'uninstalled_by_admin'],
  ['admin uninstall twice is one change', row({ state: 'skipped', reason: 'uninstalled_by_admin' }), (r) => uninstalledByAdmin(r, 'DELETE 404'), null, null],
  ["the removal event of the admin's own DELETE keeps the admin's reason", row({ state: 'skipped', reason: 'uninstalled_by_admin' }), (r) => uninstalledByUser(r), null, null],
  ['a reference after a reinstall of someone welcomed before the uninstall → welcomed, not reference_ready', row({ state: 'installed', welcomedAt: 5 }), (r) => referenceStored(r, 'installationUpdate', NOW), 'welcomed', null],
  ['a reference for someone uninstalled by the admin keeps them skipped (nobody welcomed unless asked)', row({ state: 'skipped', reason: 'uninstalled_by_admin' }), (r) => referenceStored(r, 'installationUpdate', NOW), null, null],
  ['stop before the welcome → skipped(opted_out)', row({ state: 'reference_ready' }), (r) => optedOut(r, NOW), 'skipped', 'opted_out'],
  ['stop after the welcome keeps welcomed', row({ state: 'welcomed', welcomedAt: 5 }), (r) => optedOut(r, NOW), 'welcomed', null],
  ['start after a stop before the welcome → reference_ready', row({ state: 'skipped', reason: 'opted_out', optedOutAt: 5 }), (r) => optedIn(r, true), 'reference_ready', null],
  ['start for a welcomed person → welcomed', row({ state: 'skipped', reason: 'opted_out', optedOutAt: 5, welcomedAt: 4 }), (r) => optedIn(r, true), 'welcomed', null],
  ['start without a prior stop does nothing', row({ state: 'welcomed' }), (r) => optedIn(r, true), null, null],
  ['--resend-unconfirmed reopens unconfirmed', row({ state: 'unconfirmed' }), (r) => resendUnconfirmed(r), 'reference_ready', null],
  ['--resend-unconfirmed leaves others', row({ state: 'welcomed' }), (r) => resendUnconfirmed(r), null, null],
  ['exclusion skips a pending person', row(), (r) => excluded(r), 'skipped', 'excluded'],
  ['exclusion leaves a welcomed person', row({ state: 'welcomed' }), (r) => excluded(r), null, null],
  ['an unknown 409 is held out of the welcome queue → skipped(other_ledger)', row({ state: 'already_installed' }), (r) => heldForOtherLedger(r), 'skipped', 'other_ledger'],
  ['only an already_installed person is held', row({ state: 'reference_ready' }), (r) => heldForOtherLedger(r), null, null],
  ['the run went on: the hold is released → already_installed', row({ state: 'skipped', reason: 'other_ledger' }), (r) => releasedFromOtherLedgerHold(r), 'already_installed', null],
  ['a stop confirms a hold (same state, the detail says the run stopped)', row({ state: 'skipped', reason: 'other_ledger', detail: OTHER_LEDGER_HELD }), (r) => confirmedOtherLedger(r), 'skipped', 'other_ledger'],
  ['a confirmed hold is not confirmed twice', row({ state: 'skipped', reason: 'other_ledger', detail: 'stopped' }), (r) => confirmedOtherLedger(r), null, null],
  ['a release leaves other skips alone', row({ state: 'skipped', reason: 'opted_out' }), (r) => releasedFromOtherLedgerHold(r), null, null],
];

describe('ledger transitions', () => {
  for (const [what, r, fn, state, reason] of cases) {
    it(what, () => expect(to(fn(r))).to.deep.equal([state, reason]));
  }
});

describe('rediscovered', () => {
  const data = { userPrincipalName: 'ada@contoso.com', displayName: 'Ada L.', locale: 'en-GB' };
  const opts = { retryFailed: false, rolloutId: 'r2' };
  const table: [string, UserRow, Parameters<typeof rediscovered>[2], boolean, State, string | null][] = [
    ['a pending person stays pending with fresh data', row(), { eligible: true }, false, 'pending', null],
    ['an interrupted install resumes as pending', row({ state: 'installing' }), { eligible: true }, false, 'pending', null],
    ['a re-enabled account becomes eligible', row({ state: 'skipped', reason: 'disabled' }), { eligible: true }, false, 'pending', null],
    ['a disabled account is skipped', row(), { eligible: false, reason: 'disabled', detail: 'accountEnabled false' }, false, 'skipped', 'disabled'],
    ['an opted-out person stays skipped', row({ state: 'skipped', reason: 'opted_out' }), { eligible: true }, false, 'skipped', 'opted_out'],
    ['an uninstaller stays skipped', row({ state: 'skipped', reason: 'uninstalled_by_user' }), { eligible: true }, false, 'skipped', 'uninstalled_by_user'],
    ['an admin uninstall is undone by an install that targets the person again', row({ state: 'skipped', reason: 'uninstalled_by_admin', welcomedAt: 5 }), { eligible: true }, false, 'pending', null],
  ['an admin-uninstalled person now disabled is skipped as disabled', row({ state: 'skipped', reason: 'uninstalled_by_admin' }), { eligible: false, reason: 'disabled', detail: 'accountEnabled false' }, false, 'skipped', 'disabled'],
  ['a failure stays without --retry-failed', row({ state: 'failed', reason: 'throttled' }), { eligible: true }, false, 'failed', 'throttled'],
    ['a failure is retried with --retry-failed', row({ state: 'failed', reason: 'throttled' }), { eligible: true }, true, 'pending', null],
    ['a block by the user is never retried', row({ state: 'failed', reason: 'bot_blocked_by_user' }), { eligible: true }, true, 'failed', 'bot_blocked_by_user'],
    ['a welcomed person is left alone', row({ state: 'welcomed' }), { eligible: true }, true, 'welcomed', null],
  ];
  for (const [what, r, elig, retryFailed, state, reason] of table) {
    it(what, () => {
      const c = rediscovered(r, data, elig, { ...opts, retryFailed });
      expect(c && [c.to, c.reason]).to.deep.equal([state, reason]);
      expect(c?.patch).to.include({ rolloutId: 'r2', displayName: 'Ada L.' });
    });
  }
  it('a person held for another ledger stays skipped, unless the run says --welcome-already-installed', () => {
    const held = row({ state: 'skipped', reason: 'other_ledger' });
    expect(rediscovered(held, data, { eligible: true }, opts)).to.include({ to: 'skipped', reason: 'other_ledger' });
    expect(rediscovered(held, data, { eligible: true }, { ...opts, welcomeAlreadyInstalled: true })).to.include({ to: 'pending', reason: null });
  });
  it("carries the run's --no-welcome hold, and lifts it for a run that welcomes", () => {
    const held = row({ state: 'reference_ready', welcomeHeldBy: 'r1' });
    expect(rediscovered(held, data, { eligible: true }, { ...opts, retryFailed: false, welcomeHeldBy: 'r2' })?.patch).to.include({ welcomeHeldBy: 'r2' });
    expect(rediscovered(held, data, { eligible: true }, { ...opts, retryFailed: false, welcomeHeldBy: null })?.patch).to.include({ welcomeHeldBy: null });
    expect(rediscovered(held, data, { eligible: true }, { ...opts, retryFailed: false })?.patch).to.not.have.property('welcomeHeldBy');
  });
});

describe('mayHaveApp (what uninstall asks Graph about)', () => {
  const table: [string, UserRow, boolean][] = [
    ['welcomed', row({ state: 'welcomed', installedAt: 3, welcomedAt: 5 }), true],
    ['reference_ready', row({ state: 'reference_ready' }), true],
    ['installing (the POST may have landed)', row({ state: 'installing' }), true],
    ['unconfirmed', row({ state: 'unconfirmed' }), true],
    ['failed after an install (no chat)', row({ state: 'failed', reason: 'reference_unavailable', installedAt: 3 }), true],
    ['failed before any install', row({ state: 'failed', reason: 'blocked_by_policy' }), false],
    ['pending', row(), false],
    ['skipped as a guest', row({ state: 'skipped', reason: 'guest' }), false],
    ['removed by the person already', row({ state: 'skipped', reason: 'uninstalled_by_user', installedAt: 3 }), false],
    ['removed by the admin already', row({ state: 'skipped', reason: 'uninstalled_by_admin', installedAt: 3 }), false],
  ];
  for (const [what, r, expected] of table) it(`${what} → ${expected}`, () => expect(mayHaveApp(r)).to.equal(expected));
});
