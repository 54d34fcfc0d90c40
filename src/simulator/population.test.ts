import { expect } from 'chai';
import { KIND_SHARES, generatePopulation, kindCounts } from './population.js';
import { TenantState } from './state.js';
import { USER_KINDS, type UserKind } from './types.js';

const count = (kinds: UserKind[]) => kinds.reduce((m, k) => ((m[k] = (m[k] ?? 0) + 1), m), {} as Record<string, number>);

describe('kindCounts', () => {
  const table: [number, Partial<Record<UserKind, number>>][] = [
    [1, { member: 1, guest: 0, blocked_bot: 0 }],
    [7, { member: 7, guest: 0 }],
    [8, { member: 1, guest: 1, disabled: 1, unlicensed: 1, blocked_by_policy: 1, already_installed: 1, blocked_bot: 1, deleted_chat: 1 }],
    [250, { guest: 15, disabled: 8, unlicensed: 8, blocked_by_policy: 5, already_installed: 13, blocked_bot: 3, deleted_chat: 3, member: 195 }],
    [1000, { guest: 60, disabled: 30, unlicensed: 30, blocked_by_policy: 20, already_installed: 50, blocked_bot: 10, deleted_chat: 10, member: 790 }],
  ];
  for (const [n, expected] of table) {
    it(`splits ${n} people`, () => {
      const c = kindCounts(n);
      expect(c).to.include(expected);
      expect(Object.values(c).reduce((a, b) => a + b, 0)).to.equal(n);
    });
  }

  it('has every kind once there are 8 people, whatever the size', () => {
    for (const n of [8, 9, 50, 333, 100_000]) for (const k of USER_KINDS) expect(kindCounts(n)[k], `${k} at ${n}`).to.be.greaterThan(0);
  });

  it('follows the published shares at scale', () => {
    const c = kindCounts(100_000);
    for (const [k, share] of Object.entries(KIND_SHARES)) expect(c[k as UserKind] / 100_000).to.be.closeTo(share, 0.001);
  });
});

describe('generatePopulation', () => {
  it('is deterministic for a seed and different for another', () => {
    const a = generatePopulation({ users: 300, seed: 7 }, 0);
    const b = generatePopulation({ users: 300, seed: 7 }, 0);
    const c = generatePopulation({ users: 300, seed: 8 }, 0);
    expect(a.users.map((u) => [u.id, u.userPrincipalName, u.kind])).to.deep.equal(b.users.map((u) => [u.id, u.userPrincipalName, u.kind]));
    expect(a.users.map((u) => u.id)).to.not.deep.equal(c.users.map((u) => u.id));
  });

  it('reads a seed typed as digits ("7", as demo and simulate get it) as that number', () => {
    const typed = generatePopulation({ users: 50, seed: '7' }, 0);
    const number = generatePopulation({ users: 50, seed: 7 }, 0);
    const word = generatePopulation({ users: 50, seed: 'seven' }, 0);
    expect(typed.users.map((u) => u.id)).to.deep.equal(number.users.map((u) => u.id));
    expect(word.users.map((u) => u.id)).to.not.deep.equal(number.users.map((u) => u.id));
  });

  it('gives each kind its directory traits', () => {
    const { users } = generatePopulation({ users: 400, seed: 1 }, 0);
    expect(count(users.map((u) => u.kind))).to.deep.equal(kindCounts(400));
    for (const u of users) {
      expect(u.userType === 'Guest', u.userPrincipalName).to.equal(u.kind === 'guest');
      expect(u.accountEnabled).to.equal(u.kind !== 'disabled');
      expect(u.assignedPlans.length === 0).to.equal(u.kind === 'unlicensed' || u.kind === 'guest');
      if (u.kind === 'guest') expect(u.userPrincipalName).to.include('#EXT#');
    }
    expect(new Set(users.map((u) => u.id)).size).to.equal(400);
    expect(new Set(users.map((u) => u.userPrincipalName.toLowerCase())).size).to.equal(400);
  });

  it('spreads the kinds through the list (not all guests on the last page)', () => {
    const { users } = generatePopulation({ users: 1000, seed: 1 }, 0);
    const firstPage = new Set(users.slice(0, 300).map((u) => u.kind));
    expect(firstPage.size).to.be.greaterThan(5);
  });

  it('nests one group inside two others, so transitive members overlap', () => {
    const { groups } = generatePopulation({ users: 500, seed: 1 }, 0);
    const platform = groups.find((g) => g.displayName === 'Platform team')!;
    expect(groups.filter((g) => g.memberGroupIds.includes(platform.id)).map((g) => g.displayName).sort()).to.deep.equal(['Engineering', 'Pilot ring']);
  });
});

describe('TenantState', () => {
  it('installs the app already for the already_installed people, and nobody else', () => {
    const s = new TenantState({ users: 200, seed: 2, now: 0 });
    for (const u of s.users) expect(s.installation(u.id, s.app.id) !== undefined, u.kind).to.equal(u.kind === 'already_installed');
  });

  it('finds people by their bot-specific id and keeps one personal conversation each', () => {
    const s = new TenantState({ users: 50, seed: 2, now: 0 });
    const u = s.users[7]!;
    expect(s.findUserByBotUserId(u.botUserId)).to.equal(u);
    expect(s.findUserByBotUserId('29:1nobody')).to.equal(undefined);
    const c = s.personalConversationFor(u.id, 0);
    expect(c.id).to.match(/^a:1/);
    expect(s.personalConversationFor(u.id, 99)).to.equal(c);
    const gone = s.users.find((x) => x.kind === 'deleted_chat')!;
    expect(s.personalConversationFor(gone.id, 0).deleted).to.equal(true);
  });

  it('counts creations and changes on one sequence (what users/delta reads)', () => {
    const s = new TenantState({ users: 10, seed: 2, now: 0 });
    expect(s.latestSeq).to.equal(10);
    const [hire] = s.addUsers(1, 0);
    expect(hire!.seq).to.equal(11);
    const gone = s.removeUser(s.users[0]!.id)!;
    expect(gone.deleted).to.equal(true);
    expect(gone.changedSeq).to.equal(12);
    expect(s.latestSeq).to.equal(12);
    expect(s.findUser(gone.id)).to.equal(undefined);
  });
});
