import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open.js';
import { runCli } from '../helpers/cli.js';
import { T0, TENANT, event, newUser, oid } from '../store/contract/fixtures.js';

/**
 * Issue 11, "what an administrator would look for and not find", on the built CLI: a ledger written
 * through the store as a run writes it, then read back by `report`.
 */
describe('report: one person whole, and the ledger read in the ways an administrator asks', function () {
  this.timeout(60_000);
  let db: string;

  before(async () => {
    db = path.join(mkdtempSync(path.join(tmpdir(), 'tr-report-')), 'ledger.db');
    const store = await openStore(db);
    await store.createRollout({ id: 'r1', tenantId: TENANT, startedAt: T0, finishedAt: T0 + 60_000, targets: '--all-users', options: '{}', summary: '{}' });
    await store.insertUsers([newUser(1, { rolloutId: 'r1' }), newUser(2, { rolloutId: 'r1' }), newUser(3, { rolloutId: 'r1' })], T0, 'install');
    await store.addRolloutTargets('r1', TENANT, [oid(1), oid(2), oid(3)]);
    const u1 = (await store.getUser(TENANT, oid(1)))!;
    await store.updateUser(TENANT, oid(1), u1.version, { state: 'failed', reason: 'blocked_by_policy', statusCode: 403, serviceCode: 'Forbidden', detail: 'blocked by an app permission policy', installAttempts: 1 }, event('pending', 'failed', T0 + 1000, { reason: 'blocked_by_policy', actor: 'install', rolloutId: 'r1', detail: '403 Forbidden' }));
    const u2 = (await store.getUser(TENANT, oid(2)))!;
    await store.updateUser(TENANT, oid(2), u2.version, { state: 'skipped', reason: 'no_teams_licence' }, event('pending', 'skipped', T0 + 2000, { reason: 'no_teams_licence', actor: 'install', rolloutId: 'r1' }));
    const u3 = (await store.getUser(TENANT, oid(3)))!;
    await store.updateUser(TENANT, oid(3), u3.version, { state: 'welcomed', welcomedAt: T0 + 3000, welcomeAttempts: 1 }, event('pending', 'welcomed', T0 + 3000, { actor: 'sender', rolloutId: 'r1' }));
    await store.close();
  });

  describe('report --person UPN|id', () => {
    it('by UPN in any case: state, reason, the fix and every change with its time', async () => {
      const r = await runCli(['report', '--person', 'user1@contoso.COM'], { DATABASE_URL: db });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('User1@Contoso.com').and.contain('State:    failed (blocked_by_policy)').and.contain('Fix:      An app permission policy blocks the app');
      expect(r.stdout).to.contain(`${new Date(T0).toISOString()}  (new)`).and.match(/pending\s+→ failed\s+by install in r1 — blocked_by_policy: 403 Forbidden/);
    });

    it('by object id, as JSON (--format json or --output json)', async () => {
      for (const flag of [['--format', 'json'], ['--output', 'json']]) {
        const r = await runCli(['report', '--person', oid(2), ...flag], { DATABASE_URL: db });
        expect(r.code, r.stderr).to.equal(0);
        const p = JSON.parse(r.stdout) as { state: string; reason: string; fix: string; history: { to: string; at: string }[] };
        expect(p).to.include({ state: 'skipped', reason: 'no_teams_licence' });
        expect(p.fix).to.match(/Assign a licence/);
        expect(p.history.map((e) => e.to)).to.deep.equal(['pending', 'skipped']);
        expect(p.history[1]!.at).to.equal(new Date(T0 + 2000).toISOString());
      }
    });

    it('somebody not in the ledger: exit 2, saying how to find them', async () => {
      for (const who of ['nobody@contoso.com', oid(99)]) {
        const r = await runCli(['report', '--person', who], { DATABASE_URL: db });
        expect(r.code, r.stdout).to.equal(2);
        expect(r.stderr).to.contain(`--person ${who}: nobody with that UPN or object id in ${db}`);
      }
    });
  });

  describe('report --reason R and --out FILE', () => {
    it('--reason keeps only the people with that reason, like --state', async () => {
      const r = await runCli(['report', '--format', 'json', '--reason', 'no_teams_licence,blocked_by_policy'], { DATABASE_URL: db });
      expect(r.code, r.stderr).to.equal(0);
      expect((JSON.parse(r.stdout) as { aadObjectId: string }[]).map((x) => x.aadObjectId)).to.deep.equal([oid(1), oid(2)]);
      const one = await runCli(['report', '--format', 'csv', '--reason', 'no_teams_licence'], { DATABASE_URL: db });
      expect(one.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[1])).to.deep.equal([oid(2)]);
    });

    it('an unknown --reason: exit 2, listing the known ones', async () => {
      const r = await runCli(['report', '--reason', 'licence'], { DATABASE_URL: db });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('--reason licence: unknown reason. Use one of: guest, disabled').and.contain('blocked_by_policy');
    });

    it('--out FILE writes the report there in the --format given, says where on stderr, and nothing on stdout', async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'tr-out-')), 'failed.csv');
      const r = await runCli(['report', '--format', 'csv', '--state', 'failed', '--out', file], { DATABASE_URL: db });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.contain(`Wrote 1 person (csv) to ${file}`);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines[0]).to.match(/^userPrincipalName,aadObjectId,/);
      expect(lines.slice(1).map((l) => l.split(',')[1])).to.deep.equal([oid(1)]);
    });

    it('--out in a folder that does not exist: exit 2 with the fix; a wrong question leaves an existing file as it was', async () => {
      const missing = path.join(tmpdir(), 'tr-no-such-folder-i11', 'r.json');
      const r = await runCli(['report', '--out', missing], { DATABASE_URL: db });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain('its folder does not exist');
      expect(existsSync(missing)).to.equal(false);
      const kept = path.join(mkdtempSync(path.join(tmpdir(), 'tr-out-')), 'kept.json');
      writeFileSync(kept, 'yesterday');
      const bad = await runCli(['report', '--rollout', 'nope', '--out', kept], { DATABASE_URL: db });
      expect(bad.code).to.equal(2);
      expect(readFileSync(kept, 'utf8')).to.equal('yesterday');
    });
  });

  describe('report --format table fits the terminal (issue 11: 207-character rows wrapped to 3 lines at 80 columns)', () => {
    it('COLUMNS=80: no line wider than 80, UPN, state and reason whole, the detail when there is room', async () => {
      const r = await runCli(['report', '--format', 'table'], { DATABASE_URL: db, COLUMNS: '80' });
      expect(r.code, r.stderr).to.equal(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).to.have.length(4);
      for (const l of lines) expect(l.length, l).to.be.at.most(80);
      expect(lines[0]).to.match(/^UPN +STATE +REASON +TRIES +DETAIL$/);
      // 51 characters before the detail leave it 29: cut, with the mark that says so.
      expect(lines[1]).to.equal('User1@Contoso.com failed   blocked_by_policy 1/0   blocked by an app permission…');
      expect(lines[2]).to.equal('User2@Contoso.com skipped  no_teams_licence  0/0');
    });

    it('piped without COLUMNS: every column, the detail last and whole', async () => {
      const r = await runCli(['report', '--format', 'table'], { DATABASE_URL: db, COLUMNS: '' });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout.split('\n')[0]).to.match(/^UPN +OBJECT ID +STATE +REASON +SERVICE CODE +TRIES +INSTALLED AT +WELCOMED AT +DETAIL$/);
      expect(r.stdout).to.match(/Forbidden .* blocked by an app permission policy$/m);
    });
  });

  it('status --all: every rollout with its targets, times, outcome and counts (text and json)', async () => {
    const store = await openStore(db);
    await store.createRollout({ id: 'r0', tenantId: TENANT, startedAt: T0 - 10_000, finishedAt: null, targets: '--group pilot', options: '{}', summary: null });
    await store.close();
    const r = await runCli(['status', '--all', '--output', 'json'], { DATABASE_URL: db });
    expect(r.code, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as { rollouts: { id: string; targets: string; outcome: string; total: number; startedAt: string; finishedAt: string | null }[] };
    expect(j.rollouts.map((x) => [x.id, x.targets, x.outcome, x.finishedAt])).to.deep.equal([['r0', '--group pilot', 'interrupted', null], ['r1', '--all-users', 'finished', new Date(T0 + 60_000).toISOString()]]);
    expect(j.rollouts[1]!.total).to.equal(3);
    const text = await runCli(['status', '--all'], { DATABASE_URL: db });
    expect(text.stdout).to.contain('2 rollouts, oldest first').and.contain(`r1  finished  ${new Date(T0).toISOString()}`).and.contain('3 people: 1 welcomed, 1 skipped, 1 failed');
  });
});
