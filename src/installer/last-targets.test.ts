import { expect } from 'chai';
import { recordedTargets, targetsOf } from './last-targets.js';

describe('targetsOf (the last rollout\'s targets, for --retry-failed / --resend-unconfirmed alone)', () => {
  const rollout = (options: unknown) => ({ id: 'r1', options: typeof options === 'string' ? options : JSON.stringify(options) });
  const table: [string, Parameters<typeof targetsOf>[0], unknown][] = [
    ['all users', rollout({ targets: { allUsers: true, groups: [] } }), { spec: { allUsers: true, groups: [], usersFile: undefined } }],
    ['groups and a file', rollout({ targets: { allUsers: false, groups: ['g1', 'g2'], usersFile: '/srv/pilot.csv' } }), { spec: { allUsers: false, groups: ['g1', 'g2'], usersFile: '/srv/pilot.csv' } }],
    ['no rollout at all', undefined, { problem: 'this ledger has no rollout yet' }],
    ['a rollout from before targets were recorded', rollout({ limit: 20, welcome: true }), { problem: 'rollout r1 did not record its targets (it ran on an older teams-rollout)' }],
    ['recorded targets that name nobody', rollout({ targets: { allUsers: false, groups: [] } }), { problem: 'rollout r1 did not record its targets (it ran on an older teams-rollout)' }],
    ['options that are not JSON', rollout('{nope'), { problem: 'rollout r1 has unreadable options' }],
    ['JSON null', rollout('null'), { problem: 'rollout r1 did not record its targets (it ran on an older teams-rollout)' }],
  ];
  for (const [what, r, want] of table) it(what, () => expect(targetsOf(r)).to.deep.equal(want));

  it('round-trips what a run records, without its delta link', () => {
    const recorded = recordedTargets({ allUsers: true, groups: ['g'], usersFile: 'a.csv', deltaLink: 'https://graph/delta?token=x' });
    expect(recorded).to.deep.equal({ allUsers: true, groups: ['g'], usersFile: 'a.csv' });
    expect(targetsOf(rollout({ targets: recorded }))).to.deep.equal({ spec: { allUsers: true, groups: ['g'], usersFile: 'a.csv' } });
  });
});
