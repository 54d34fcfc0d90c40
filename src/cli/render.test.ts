import { expect } from 'chai';
import type { InstallReport } from '../installer/run.js';
import { renderInstall, renderOtherLedgerStop, renderRollouts, renderStatus, renderTeamWelcome, rolloutOutcome } from './render.js';

const LIMITS = { graphPostRps: 30 };

function report(over: Partial<InstallReport> = {}): InstallReport {
  return {
    rolloutId: '20261126T2000-abc123',
    dryRun: false,
    targets: 'all users',
    discovered: { targets: 23, toInstall: 20, alreadyDone: 0, byReason: { 'skipped:guest': 3 }, limitReached: true },
    install: { attempted: 20, created: 19, conflict: 0, refused: 1, referencesFromGraph: 0, ruledOut: 0 },
    counts: [
      { state: 'welcomed', reason: null, count: 19 },
      { state: 'failed', reason: 'blocked_by_policy', count: 1 },
      { state: 'skipped', reason: 'guest', count: 3 },
    ],
    settled: true,
    welcomesHeld: false,
    chatsAfterWait: 0,
    interrupted: false,
    startedAt: 0,
    finishedAt: 4_000,
    installSeconds: 0.65,
    app: { id: 'cat-1', displayName: 'Contoso Helper' },
    graph: { requests: 24, throttled: 0, retries: 0, transientRetries: 0, byClass: {} as InstallReport['graph']['byClass'] },
    ...over,
  };
}

describe('renderInstall (the install summary)', () => {
  it('an interrupted run says so in --output json', () => {
    expect(JSON.parse(renderInstall(report({ interrupted: true }), 'json', LIMITS)).interrupted).to.equal(true);
    expect(JSON.parse(renderInstall(report(), 'json', LIMITS)).interrupted).to.equal(false);
  });

  it('a paced run never reads as faster than the limit: 20 calls in 0.65 s at 30 rps span 19 intervals', () => {
    const text = renderInstall(report(), 'text', LIMITS);
    const [, perSecond] = /calls in 0\.7 s = ([\d.]+)\/s \(limit 30\/s\)/.exec(text) ?? [];
    expect(Number(perSecond)).to.be.within(29, 30);
  });

  it('one call gets no rate at all', () => {
    const text = renderInstall(report({ install: { attempted: 1, created: 1, conflict: 0, refused: 0, referencesFromGraph: 0, ruledOut: 0 }, installSeconds: 0.01 }), 'text', LIMITS);
    expect(text).to.contain('Installs: 1 calls in 0.0 s (limit 30/s)');
  });

  it('names the ledger, and the advice for each failure reason', () => {
    const text = renderInstall(report(), 'text', LIMITS, '/srv/rollout/teams-rollout.db');
    expect(text).to.contain('Ledger: /srv/rollout/teams-rollout.db');
    expect(text).to.match(/What to do:\n {2}blocked_by_policy: An app permission policy/);
  });

  it('a --no-welcome run says its welcomes are held and how to release them; a welcoming run does not', () => {
    expect(renderInstall(report({ welcomesHeld: true }), 'text', LIMITS)).to.match(/Welcomes held \(--no-welcome\): nobody of this run is welcomed.*until an install without --no-welcome/);
    expect(renderInstall(report(), 'text', LIMITS)).to.not.contain('held');
    expect(JSON.parse(renderInstall(report({ welcomesHeld: true }), 'json', LIMITS))).to.include({ welcomesHeld: true });
  });

  it('people whose install event never came are counted, with the question to ask (is serve running?)', () => {
    const text = renderInstall(report({ chatsAfterWait: 7 }), 'text', LIMITS);
    expect(text).to.contain('No install event arrived for 7 people: their chat came from Graph after --reference-wait').and.contain('`teams-rollout serve`');
    expect(renderInstall(report({ chatsAfterWait: 1 }), 'text', LIMITS)).to.contain('for 1 person:');
    expect(renderInstall(report(), 'text', LIMITS)).to.not.contain('No install event');
    expect(JSON.parse(renderInstall(report({ chatsAfterWait: 7 }), 'json', LIMITS))).to.include({ chatsAfterWait: 7 });
  });

  it('unconfirmed people get their next step, --resend-unconfirmed', () => {
    const text = renderInstall(report({ counts: [{ state: 'welcomed', reason: null, count: 9 }, { state: 'unconfirmed', reason: null, count: 2 }] }), 'text', LIMITS);
    expect(text).to.match(/What to do:\n {2}unconfirmed: .*install --resend-unconfirmed/);
    expect(renderInstall(report(), 'text', LIMITS)).to.not.contain('resend-unconfirmed');
  });

  it('a dry run says what would happen and that nothing changed', () => {
    const text = renderInstall(report({ dryRun: true, rolloutId: null }), 'text', LIMITS, '/srv/x.db');
    expect(text.split('\n')).to.deep.equal(['Dry run for all users — nothing was changed.', '  23 people targeted', '  20 would be installed (stopped at --limit)', '  0 already done by an earlier run', '  3 skipped (guest)', 'Ledger: /srv/x.db']);
  });

  it('JSON for machines: the same figures, as data', () => {
    const json = JSON.parse(renderInstall(report(), 'json', LIMITS, '/srv/x.db')) as { counts: Record<string, number>; reasons: Record<string, number>; settled: boolean; install: { perSecond: number }; ledger: string };
    expect(json.ledger).to.equal('/srv/x.db');
    expect(json.install.perSecond, 'the rate demo and benchmarks read').to.be.within(29, 30);
    expect(json.counts).to.deep.equal({ welcomed: 19, failed: 1, skipped: 3 });
    expect(json.reasons).to.deep.equal({ 'failed:blocked_by_policy': 1, 'skipped:guest': 3 });
    expect(json.settled).to.equal(true);
  });
});

describe('every command names its ledger (issue 11 major 6)', () => {
  const ledger = '/home/ana/.local/share/teams-rollout/contoso-1b2c.db';
  it('status: a line in text, a field in JSON', () => {
    const v = { counts: [{ state: 'welcomed' as const, reason: null, count: 2 }], rollout: undefined, rolloutFilter: undefined, sender: null, ledger };
    expect(renderStatus(v, 'text').split('\n')).to.include(`Ledger: ${ledger}`);
    expect(JSON.parse(renderStatus(v, 'json'))).to.have.property('ledger', ledger);
  });
  it('welcome --team: a line in text, a field in JSON', () => {
    const v = { rolloutId: 'team-1', team: '19:x@thread.tacv2', members: 2, created: 2, alreadyReady: 0, failedToCreate: 0, settled: true, counts: [], ledger };
    expect(renderTeamWelcome(v, 'text').split('\n')).to.include(`Ledger: ${ledger}`);
    expect(JSON.parse(renderTeamWelcome(v, 'json'))).to.have.property('ledger', ledger);
  });
});

describe('rolloutOutcome (status: running, interrupted or finished)', () => {
  const table: [string, { finishedAt: number | null; summary: string | null }, boolean, string][] = [
    ['no finish time while an install holds the lease: running', { finishedAt: null, summary: null }, true, 'running'],
    ['no finish time and nobody holds the lease: killed, interrupted', { finishedAt: null, summary: null }, false, 'interrupted'],
    ['finished after Ctrl-C: interrupted', { finishedAt: 5, summary: '{"interrupted":true}' }, false, 'interrupted'],
    ['finished to the end', { finishedAt: 5, summary: '{"interrupted":false,"counts":[]}' }, false, 'finished'],
    ['finished by an older version (no flag)', { finishedAt: 5, summary: '{"counts":[]}' }, false, 'finished'],
    ['a summary that is not JSON is still finished', { finishedAt: 5, summary: 'nope' }, false, 'finished'],
  ];
  for (const [what, r, running, want] of table) it(what, () => expect(rolloutOutcome(r, running)).to.equal(want));
});

describe('renderOtherLedgerStop (install stopped: another ledger, issue 11 major 6)', () => {
  const ledger = '/srv/two/b.db';
  it('names the likely other ledger first, and both ways on', () => {
    const text = renderOtherLedgerStop({ unknownConflicts: 20, answers: 31, ledger, others: ['/home/ana/.local/share/teams-rollout/t-a.db', '/srv/one/teams-rollout.db'] });
    expect(text).to.contain('Stopped: 20 of the 31 people answered so far already had the app');
    expect(text).to.contain(`This ledger: ${ledger}`);
    expect(text).to.contain('The likely other ledger: /home/ana/.local/share/teams-rollout/t-a.db (also found: /srv/one/teams-rollout.db)');
    expect(text).to.contain('DATABASE_URL=/home/ana/.local/share/teams-rollout/t-a.db').and.contain('--welcome-already-installed');
  });
  it('with none found, says so and how to find it', () => {
    const text = renderOtherLedgerStop({ unknownConflicts: 1, answers: 1, heldBefore: 40, ledger, others: [] });
    expect(text).to.contain('Stopped: 41 of the 41 people answered so far (with the 40 held by an earlier run of this ledger)');
    expect(text).to.contain('No other ledger was found').and.contain('set DATABASE_URL to the ledger of the earlier rollout');
  });
});

describe('renderRollouts (status --all)', () => {
  const T = Date.UTC(2026, 11, 7, 9, 0, 0);
  const r = (id: string, finishedAt: number | null, summary: string | null = '{}') => ({ id, tenantId: 't', startedAt: T, finishedAt, targets: `--group ${id}`, options: '{}', summary });
  const items = [
    { rollout: r('r1', T + 60_000), installRunning: false, counts: [{ state: 'welcomed' as const, reason: null, count: 3 }, { state: 'failed' as const, reason: 'throttled', count: 1 }] },
    { rollout: r('r2', T + 1000, '{"interrupted":true}'), installRunning: false, counts: [] },
    { rollout: r('r3', null, null), installRunning: true, counts: [{ state: 'installing' as const, reason: null, count: 2 }] },
  ];

  it('text: one block per rollout with its outcome, times, targets and counts', () => {
    const lines = renderRollouts(items, '/l.db', 'text').split('\n');
    expect(lines.slice(0, 2)).to.deep.equal(['3 rollouts, oldest first', 'Ledger: /l.db']);
    expect(lines[2]).to.equal('r1  finished  2026-12-07T09:00:00.000Z → 2026-12-07T09:01:00.000Z  --group r1');
    expect(lines[3]).to.equal('  4 people: 3 welcomed, 1 failed');
    expect(lines[4]).to.match(/^r2 {2}interrupted /);
    expect(lines[6]).to.match(/^r3 {2}running .* → … {2}--group r3$/);
  });

  it('json: the same rows; no rollout at all says so', () => {
    const j = JSON.parse(renderRollouts(items, '/l.db', 'json')) as { rollouts: { id: string; outcome: string; total: number; finishedAt: string | null }[] };
    expect(j.rollouts.map((x) => [x.id, x.outcome, x.total, x.finishedAt])).to.deep.equal([['r1', 'finished', 4, '2026-12-07T09:01:00.000Z'], ['r2', 'interrupted', 0, '2026-12-07T09:00:01.000Z'], ['r3', 'running', 2, null]]);
    expect(renderRollouts([], '/l.db', 'text')).to.contain('No rollout yet');
  });
});
