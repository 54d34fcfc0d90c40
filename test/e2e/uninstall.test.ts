import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { groundTruth, ledger, startRolloutEnv, type RolloutEnv } from '../helpers/rollout.js';

/** The published DELETE row of the Teams limits: https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits (wire-facts A8). */
const DELETE_RPS = 15;

/**
 * Issue 11 "Undo a pilot": `uninstall --rollout ID` on the built CLI against the simulated tenant, at the
 * published limits: a pilot of 20 installed and welcomed, then removed, then installed again.
 */
describe('uninstall: undo a pilot (built CLI)', function () {
  this.timeout(240_000);
  let e: RolloutEnv;
  let file: string;
  let pilot: { id: string; upn: string }[];
  before(async () => {
    e = await startRolloutEnv({ users: 60, seed: 'uninstall' });
    pilot = groundTruth(e.tenant)
      .filter((u) => u.kind === 'member' && !u.installed)
      .slice(0, 20)
      .map((u) => ({ id: u.id, upn: u.upn }));
    expect(pilot).to.have.length(20);
    file = path.join(mkdtempSync(path.join(tmpdir(), 'uninstall-')), 'pilot.txt');
    writeFileSync(file, `${pilot.map((u) => u.upn).join('\n')}\n`);
  });
  after(async () => {
    await e?.stop();
  });

  it('removes the 20 at or below 15/s, records and reports them, and a re-install welcomes nobody twice', async () => {
    const first = await runCli(['install', '--users', file, '--reference-wait', '1'], e.env);
    expect(first.code, first.stderr.slice(-800)).to.equal(0);
    const ids = new Set(pilot.map((u) => u.id));
    const rows = [...(await ledger(e)).values()].filter((r) => ids.has(r.aadObjectId));
    expect(rows.map((r) => r.state)).to.deep.equal(Array(20).fill('welcomed'));
    const rolloutId = rows[0]!.rolloutId!;
    expect(e.tenant.state.messages.length).to.equal(20);

    const dry = await runCli(['uninstall', '--rollout', rolloutId, '--dry-run'], e.env);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/20 would be uninstalled/);
    expect(e.tenant.state.uninstalls, 'DELETEs after a dry run').to.have.length(0);

    const undo = await runCli(['uninstall', '--rollout', rolloutId], e.env);
    expect(undo.code, undo.stderr.slice(-800)).to.equal(0);
    expect(undo.stdout).to.match(/uninstalled\s+20\b/);
    expect(undo.stdout).to.match(/limit 15\/s/);
    // The tenant's own record: 20 DELETEs, one per pilot person, paced at or below the published limit.
    const deletes = e.tenant.state.uninstalls;
    expect(deletes.map((d) => d.userId).sort()).to.deep.equal([...ids].sort());
    const span = (deletes.at(-1)!.at - deletes[0]!.at) / 1000;
    // Arrival times carry the jitter of a shared machine (one late request squeezes the span), so the tenant's
    // view allows 20 %; unpaced DELETEs would follow the 30/s GETs (0.63 s for 20). The CLI's own figure is exact.
    expect((deletes.length - 1) / span, `${deletes.length} DELETEs in ${span} s`).to.be.at.most(DELETE_RPS / 0.8);
    expect(Number(/Deletes: 20 in [\d.]+ s = ([\d.]+)\/s/.exec(undo.stdout)?.[1]), undo.stdout).to.be.at.most(DELETE_RPS);
    expect(e.tenant.state.requests['graph.installedApps.delete']).to.deep.equal({ 204: 20 });
    expect(groundTruth(e.tenant).filter((u) => ids.has(u.id) && u.installed)).to.deep.equal([]);
    for (const r of [...(await ledger(e)).values()].filter((x) => ids.has(x.aadObjectId))) {
      expect(r, r.aadObjectId).to.include({ state: 'skipped', reason: 'uninstalled_by_admin' });
      expect(r.welcomedAt, 'welcomed_at is kept').to.be.a('number');
    }
    const report = await runCli(['report', '--rollout', rolloutId, '--format', 'csv'], e.env);
    expect(report.stdout.match(/uninstalled_by_admin/g)).to.have.length(20);

    // Run again: nothing left to remove, nothing changes.
    const again = await runCli(['uninstall', '--rollout', rolloutId, '--output', 'json'], e.env);
    expect(again.code, again.stderr).to.equal(0);
    expect(JSON.parse(again.stdout)).to.include({ toUninstall: 0, removed: 0 });

    // A later install of the same people asks for them again: installed, never welcomed twice.
    const back = await runCli(['install', '--users', file, '--reference-wait', '1'], e.env);
    expect(back.code, back.stderr.slice(-800)).to.equal(0);
    expect(groundTruth(e.tenant).filter((u) => ids.has(u.id) && !u.installed)).to.deep.equal([]);
    expect(e.tenant.state.messages.length, 'welcomes after the re-install').to.equal(20);
    for (const r of [...(await ledger(e)).values()].filter((x) => ids.has(x.aadObjectId))) expect(r.state, r.aadObjectId).to.equal('welcomed');
  });

  it('refuses no targets and an unknown rollout with exit 2, changing nothing', async () => {
    const none = await runCli(['uninstall'], e.env);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(/--rollout ID/);
    const unknown = await runCli(['uninstall', '--rollout', 'nope'], e.env);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/no such rollout/);
  });
});
