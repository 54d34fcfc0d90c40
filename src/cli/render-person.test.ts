import { expect } from 'chai';
import type { UserRow } from '../store/types.js';
import { personFix, renderPerson } from './render-person.js';

const T = Date.UTC(2026, 11, 7, 9, 0, 0);

function row(over: Partial<UserRow> = {}): UserRow {
  return {
    tenantId: 't', aadObjectId: '00000000-0000-4000-8000-000000000007', userPrincipalName: 'Ada@Contoso.com', displayName: 'Ada Lovelace', locale: 'en-GB',
    state: 'failed', reason: 'blocked_by_policy', statusCode: 403, serviceCode: 'Forbidden', detail: 'policy blocks the app',
    installAttempts: 1, welcomeAttempts: 0, rolloutId: 'r1', installedAt: null, referenceAt: null, welcomedAt: null, welcomeActivityId: null,
    optedOutAt: null, claimedBy: null, claimedAt: null, createdAt: T, updatedAt: T + 1000, version: 2, ...over,
  };
}

describe('renderPerson (report --person)', () => {
  const fixes: [string, Partial<UserRow>, RegExp | null][] = [
    ['failed: the reason\'s advice', { state: 'failed', reason: 'blocked_by_policy' }, /Permission policies/],
    ['skipped: the reason\'s advice', { state: 'skipped', reason: 'no_teams_licence' }, /Assign a licence/],
    ['unconfirmed: resend', { state: 'unconfirmed', reason: null }, /--resend-unconfirmed/],
    ['welcomed: nothing to do', { state: 'welcomed', reason: null }, null],
    ['on the way: nothing to do', { state: 'reference_ready', reason: null }, null],
  ];
  for (const [what, over, fix] of fixes) {
    it(`the fix, ${what}`, () => {
      const f = personFix(row(over));
      if (fix) expect(f).to.match(fix);
      else expect(f).to.equal(null);
    });
  }

  const events = [
    { at: T, from: null, to: 'pending' as const, reason: null, actor: 'install', rolloutId: 'r1' },
    { at: T + 1000, from: 'pending' as const, to: 'failed' as const, reason: 'blocked_by_policy', actor: 'install', detail: '403 policy', rolloutId: 'r1' },
  ];

  it('text: state, reason, fix, attempts and every transition with its time, oldest first', () => {
    const text = renderPerson({ row: row(), events, ledger: '/l.db' }, 'text');
    expect(text).to.contain('Ada Lovelace <Ada@Contoso.com>').and.contain('State:    failed (blocked_by_policy)').and.contain('Answer:   403 Forbidden');
    expect(text).to.contain('Fix:      An app permission policy').and.contain('Attempts: 1 install, 0 welcome').and.contain('Ledger: /l.db');
    const history = text.split('\n').filter((l) => l.startsWith('  2026-'));
    expect(history).to.have.length(2);
    expect(history[0]).to.match(/^ {2}2026-12-07T09:00:00\.000Z {2}\(new\)\s+→ pending\s+by install in r1$/);
    expect(history[1]).to.match(/pending\s+→ failed\s+by install in r1 — blocked_by_policy: 403 policy$/);
  });

  it('json: the same, with ISO times and the history as an array', () => {
    const j = JSON.parse(renderPerson({ row: row({ state: 'welcomed', reason: null, welcomedAt: T + 5000 }), events, ledger: '/l.db' }, 'json')) as Record<string, unknown>;
    expect(j).to.include({ state: 'welcomed', fix: null, welcomedAt: '2026-12-07T09:00:05.000Z', ledger: '/l.db', userPrincipalName: 'Ada@Contoso.com' });
    expect(j.history).to.deep.equal([
      { at: '2026-12-07T09:00:00.000Z', from: null, to: 'pending', reason: null, actor: 'install', detail: null, rolloutId: 'r1' },
      { at: '2026-12-07T09:00:01.000Z', from: 'pending', to: 'failed', reason: 'blocked_by_policy', actor: 'install', detail: '403 policy', rolloutId: 'r1' },
    ]);
  });
});
