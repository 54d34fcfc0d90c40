import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXPECTED_INSTALL_STATE, groundTruth, INSTALLABLE, install, ledger, startRolloutEnv, stateOf, waitFor, type RolloutEnv } from '../helpers/rollout.js';

const posts = (e: RolloutEnv) => Object.values(e.tenant.state.requests['graph.installedApps.post'] ?? {}).reduce((a, b) => a + b, 0);
const ELIGIBLE = new Set(['member', 'already_installed', 'blocked_bot', 'deleted_chat', 'blocked_by_policy']);

describe('install against the simulated tenant', function () {
  this.timeout(60_000);

  describe('a full run, then a re-run', () => {
    let e: RolloutEnv;
    before(async () => {
      e = await startRolloutEnv({ users: 400, seed: 11, limits: 'x20' });
    });
    after(() => e.stop());

    it('puts every kind of person in the right state, and installs exactly the installable ones', async () => {
      const report = await install(e);
      expect(report.settled).to.equal(true);
      const rows = await ledger(e);
      const truth = groundTruth(e.tenant);
      const wrong = truth.filter((u) => stateOf(rows.get(u.id)) !== EXPECTED_INSTALL_STATE[u.kind]).map((u) => `${u.kind}→${stateOf(rows.get(u.id))}`);
      expect(wrong, wrong.slice(0, 5).join(', ')).to.deep.equal([]);
      for (const u of truth) expect(u.installed, `${u.kind} ${u.upn}`).to.equal(INSTALLABLE.has(u.kind));
      expect(rows.size).to.equal(truth.length);
    });

    it('spends no install call on people the directory already rules out', () => {
      const eligible = groundTruth(e.tenant).filter((u) => ELIGIBLE.has(u.kind)).length;
      expect(posts(e)).to.equal(eligible);
    });

    it('re-runs without touching Graph installs, and changes no state', async () => {
      const before = new Map([...(await ledger(e))].map(([id, r]) => [id, stateOf(r)]));
      const callsBefore = posts(e);
      const report = await install(e);
      expect(posts(e)).to.equal(callsBefore);
      expect(report.install.attempted).to.equal(0);
      const afterRows = await ledger(e);
      for (const [id, s] of before) expect(stateOf(afterRows.get(id)), id).to.equal(s);
    });

    it('--retry-failed tries the failed people again, and only them', async () => {
      const failed = [...(await ledger(e)).values()].filter((r) => r.state === 'failed').length;
      const callsBefore = posts(e);
      const report = await install(e, { retryFailed: true });
      expect(posts(e) - callsBefore).to.equal(failed);
      expect(report.install.refused).to.equal(failed); // policy still blocks them
    });
  });

  it('--dry-run counts what would happen and changes nothing, not even the ledger', async () => {
    const e = await startRolloutEnv({ users: 200, seed: 3, limits: 'x20' });
    try {
      const report = await install(e, { dryRun: true });
      expect(posts(e)).to.equal(0);
      expect((await ledger(e)).size).to.equal(0);
      expect(await e.core.store.getSetting(`catalog:${e.tenant.tenantId}:${e.config.teamsAppId}`), 'no catalogue id cached').to.equal(undefined);
      expect(await e.core.store.latestRollout(), 'no rollout recorded').to.equal(undefined);
      const kinds = groundTruth(e.tenant).map((u) => u.kind);
      const n = (k: string) => kinds.filter((x) => x === k).length;
      expect(report.discovered.targets).to.equal(200);
      expect(report.discovered.toInstall).to.equal(n('member') + n('already_installed') + n('blocked_bot') + n('deleted_chat') + n('blocked_by_policy'));
      expect(report.discovered.byReason).to.deep.equal({ 'skipped:guest': n('guest'), 'skipped:disabled': n('disabled'), 'skipped:no_teams_licence': n('unlicensed') });
    } finally {
      await e.stop();
    }
  });

  it('retries 429 storms (honouring Retry-After), 503/502 bursts and dropped connections, and still ends right', async () => {
    const e = await startRolloutEnv({ users: 300, seed: 21, limits: 'x20', faults: 'graph.429=5%,graph.503=4%,graph.502=4%,graph.reset=2%' }, { RETRY_MAX_ATTEMPTS: '10' });
    try {
      const report = await install(e);
      const rows = await ledger(e);
      // A 409 after a dropped connection is "already installed", whose chat is then fetched: reference_ready.
      const ok = (kind: string, s: string) => s === EXPECTED_INSTALL_STATE[kind] || (s === 'reference_ready' && EXPECTED_INSTALL_STATE[kind] === 'installed');
      const wrong = groundTruth(e.tenant).filter((u) => !ok(u.kind, stateOf(rows.get(u.id)))).map((u) => `${u.kind}→${stateOf(rows.get(u.id))}: ${rows.get(u.id)?.detail}`);
      expect(wrong, wrong.slice(0, 3).join('\n')).to.deep.equal([]);
      const seen = e.tenant.state.requests['graph.installedApps.post'] ?? {};
      expect(seen['429'] ?? 0, 'the tenant answered 429s').to.be.greaterThan(5);
      expect((seen['503'] ?? 0) + (seen['502'] ?? 0)).to.be.greaterThan(3);
      expect(report.graph.retries).to.be.greaterThan(15);
      for (const u of groundTruth(e.tenant)) expect(u.installed).to.equal(INSTALLABLE.has(u.kind));
    } finally {
      await e.stop();
    }
  });

  it('classifies 403 policy and 404 unknown user from a users file, and reports everyone named', async () => {
    const e = await startRolloutEnv({ users: 120, seed: 4, limits: 'x20' });
    try {
      const truth = groundTruth(e.tenant);
      const member = truth.find((u) => u.kind === 'member')!;
      const blocked = truth.find((u) => u.kind === 'blocked_by_policy')!;
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'users-')), 'pilot.csv');
      writeFileSync(file, `upn\n${member.upn}\n${blocked.id}\nnobody.here@contoso.onmicrosoft.com\n`);
      await install(e, { spec: { allUsers: false, groups: [], usersFile: file } });
      const rows = await ledger(e);
      expect(stateOf(rows.get(member.id))).to.equal('installed');
      expect(rows.get(blocked.id)).to.include({ state: 'failed', reason: 'blocked_by_policy', statusCode: 403 });
      expect(rows.get(blocked.id)!.detail).to.match(/permission policy/);
      const unknown = rows.get('unresolved:nobody.here@contoso.onmicrosoft.com');
      expect(unknown).to.include({ state: 'failed', reason: 'user_not_found' });
      expect(unknown!.detail).to.contain('line 4');
      expect(rows.size).to.equal(3);
    } finally {
      await e.stop();
    }
  });

  it('a person deleted between listing and install: the POST answers 404 and the row says user_not_found, with the service code', async () => {
    const e = await startRolloutEnv({ users: 60, seed: 5, limits: 'x20' });
    try {
      // Deleted from the directory as soon as the listing is complete: before any install call.
      const gone = e.tenant.state.users.filter((u) => u.kind === 'member').sort((a, b) => (a.id < b.id ? 1 : -1))[0]!;
      let removed = false;
      const report = await install(e, {}, {
        onProgress: (p) => {
          if (p.discovered.targets === 60 && !removed) {
            removed = true;
            e.tenant.state.removeUser(gone.id);
          }
        },
      });
      expect(removed).to.equal(true);
      expect(report.discovered.targets).to.equal(60);
      const row = (await ledger(e)).get(gone.id)!;
      expect(row).to.include({ state: 'failed', reason: 'user_not_found', statusCode: 404, serviceCode: 'NotFound' });
      expect(row.detail).to.contain(gone.id);
      expect(e.tenant.state.requests['graph.installedApps.post']?.['404']).to.equal(1);
    } finally {
      await e.stop();
    }
  });

  it('looks the app up again when an install answers 404 for it (re-uploaded app), and goes on', async () => {
    const e = await startRolloutEnv({ users: 200, seed: 8, limits: 'graph-post=100' });
    try {
      const run = install(e);
      await waitFor(() => posts(e) >= 40);
      const oldId = e.tenant.state.app.id;
      (e.tenant.state.app as { id: string }).id = '0d0e0f00-aaaa-4bbb-8ccc-000000000999'; // a re-upload gives a new catalogue id
      const report = await run;
      const rows = await ledger(e);
      const truth = groundTruth(e.tenant);
      const notInstalled = truth.filter((u) => u.kind === 'member' && !e.tenant.state.installationsOf(u.id).length);
      expect(notInstalled.length, 'members left without the app').to.equal(0);
      expect([...rows.values()].filter((r) => r.reason === 'app_not_in_catalog')).to.have.length(0);
      expect(e.tenant.state.requests['graph.installedApps.post']?.['404'] ?? 0).to.be.greaterThan(0);
      expect(e.tenant.state.requests['graph.appCatalogs.get']?.['200']).to.be.at.least(2);
      expect(report.app.id).to.equal(oldId); // the report names the app as found at the start
    } finally {
      await e.stop();
    }
  });

  it('--limit installs a pilot ring of the first N eligible people only', async () => {
    const e = await startRolloutEnv({ users: 200, seed: 5, limits: 'x20' });
    try {
      const report = await install(e, { limit: 25 });
      expect(report.discovered.toInstall).to.equal(25);
      expect(report.discovered.limitReached).to.equal(true);
      expect(posts(e)).to.equal(25);
    } finally {
      await e.stop();
    }
  });

  it('groups: nested members are reached, people in two groups are handled once; exclusions are skipped', async () => {
    const e = await startRolloutEnv({ users: 300, seed: 6, limits: 'x20' });
    try {
      const groups = e.tenant.state.groups;
      const eng = groups.find((g) => g.displayName === 'Engineering')!;
      const platform = groups.find((g) => g.displayName === 'Platform team')!;
      const sales = groups.find((g) => g.displayName === 'Sales')!;
      const expected = new Set([...eng.memberUserIds, ...platform.memberUserIds, ...sales.memberUserIds]);
      const excluded = new Set(sales.memberUserIds.filter((id) => !eng.memberUserIds.includes(id) && !platform.memberUserIds.includes(id)).slice(0, 5));
      const report = await install(e, { spec: { allUsers: false, groups: [eng.id, sales.id, platform.id] }, exclusions: excluded });
      expect(report.discovered.targets).to.equal(expected.size);
      const rows = await ledger(e);
      expect(new Set(rows.keys())).to.deep.equal(expected);
      for (const id of excluded) expect(stateOf(rows.get(id))).to.equal('skipped:excluded');
      const kinds = new Map(groundTruth(e.tenant).map((u) => [u.id, u.kind]));
      const eligible = [...expected].filter((id) => ELIGIBLE.has(kinds.get(id)!) && !excluded.has(id)).length;
      expect(posts(e)).to.equal(eligible);
    } finally {
      await e.stop();
    }
  });

  it('--since-last installs only the people added since the last full run (new hires)', async () => {
    const e = await startRolloutEnv({ users: 150, seed: 9, limits: 'x20' });
    try {
      await install(e);
      const before = posts(e);
      const hires = e.tenant.state.addUsers(12, Date.now());
      const report = await install(e, { sinceLast: true });
      expect(report.discovered.targets).to.equal(12);
      expect(posts(e) - before).to.equal(12);
      const rows = await ledger(e);
      for (const h of hires) expect(stateOf(rows.get(h.id))).to.equal('installed');
      const again = await install(e, { sinceLast: true });
      expect(again.discovered.targets).to.equal(0);
    } finally {
      await e.stop();
    }
  });

  it('--since-last without an earlier full run says what to do', async () => {
    const e = await startRolloutEnv({ users: 20, seed: 2, limits: 'x20' });
    try {
      await install(e, { sinceLast: true }).then(
        () => expect.fail('ran without a delta link'),
        (err: Error) => expect(err.message).to.contain('install --all-users'),
      );
    } finally {
      await e.stop();
    }
  });
});
