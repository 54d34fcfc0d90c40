/**
 * Scenarios 1–3 (and each size of 4): a whole rollout on a fresh tenant, and optionally the new-hire
 * re-run on the same tenant afterwards (scenario 3's set-up IS a full rollout: 3,000 done people,
 * then 100 new ones added through the tenant). Each strategy gets its own tenant, same seed.
 */
import path from 'node:path';
import type { RunningTenant } from '../src/simulator/server.js';
import { rateSampler, snapshot, tenantFigures } from './figures.js';
import { runBaseline, unaccountedInStatuses } from './runners/baseline.js';
import { readReport, runInstallCli, scaledRateEnv, startServe, type OursSetup } from './runners/ours.js';
import { usageSince, type MeasuredChild, type ProcessUsage } from './measure.js';
import { failedRow, type Row, type Strategy } from './row.js';
import { addUsers, benchTenant, type BenchContext } from './scenarios.js';

export interface RolloutPlan {
  scenario: string;
  title: string;
  users: number;
  limits: string;
  limitsFactor: number;
  faults?: string;
  /** Report the first run as a row (scenario 3 alone runs it only as set-up). */
  reportRollout: boolean;
  /** Then add this many people and re-run (scenario 3). */
  newHires?: { count: number; scenario: string; title: string };
}

type RunOutcome = Pick<Row, 'wallSeconds' | 'processes' | 'own' | 'unaccounted' | 'unaccountedNote' | 'notes'>;

/**
 * Our `serve` runs through a whole scenario, as it would in production: the new-hire re-run only runs
 * `install --since-last` against it. Its usage is split between the runs with a /proc snapshot.
 */
interface OursRig {
  setup: OursSetup;
  serve?: MeasuredChild;
  mark?: ProcessUsage;
}

async function runOursOnce(ctx: BenchContext, rig: OursRig, tenant: RunningTenant, rerun: boolean, last: boolean): Promise<RunOutcome> {
  rig.serve ??= await startServe(rig.setup);
  const wait = ctx.scale.referenceWait ? ['--reference-wait', ctx.scale.referenceWait] : [];
  const r = await runInstallCli(rig.setup, [rerun ? '--since-last' : '--all-users', ...wait]);
  const now = last ? await rig.serve.stop() : rig.serve.snapshot();
  const serveUsage = rig.mark ? usageSince(now, rig.mark) : now;
  rig.mark = now;
  const report = await readReport(rig.setup, tenant.state.users.map((u) => u.id));
  const notes = r.usage.exitCode === 0 ? [] : [`install exited ${r.usage.exitCode}: some people failed (reported, as designed)`];
  return { wallSeconds: r.wallSeconds, processes: [r.usage, serveUsage], own: { install: r.summary, report: report.byState }, unaccounted: report.unaccounted, notes };
}

/** A baseline, one run: what it did, by its own account and its process's usage. */
async function runBaselineOnce(ctx: BenchContext, strategy: 'guide' | 'cc', tenant: RunningTenant, plan: RolloutPlan, rerun: boolean): Promise<RunOutcome> {
  const targeted = tenant.state.users.map((u) => u.id);
  const env: Record<string, string> = { BENCH_QUIET_MS: String(ctx.scale.guideQuietMs), BENCH_PAUSE_MS: String(ctx.scale.ccPauseMs(plan.limitsFactor)) };
  if (strategy === 'cc') env.BENCH_STATE_FILE = path.join(ctx.scratch, `${plan.scenario}-${plan.users}-cc-userdata.json`);
  const r = await runBaseline(strategy, { tenant, scratch: ctx.scratch, env }, `${plan.scenario}-${plan.users}-${strategy}-${rerun ? 'rerun' : 'first'}`);
  if (strategy === 'guide') return { ...r, unaccounted: null, unaccountedNote: 'no report: references and outcomes live only in memory', notes: [] };
  const u = unaccountedInStatuses(r.statuses ?? {}, targeted);
  return { ...r, unaccounted: u.total, unaccountedNote: `${u.noRow} with no row (guests are left out of CC's recipients), ${u.unknown} "Unknown" (throttled, never retried)`, notes: [`tenant-wide pauses: ${String(r.own.pauses)}`] };
}

async function measured(ctx: BenchContext, strategy: Strategy, tenant: RunningTenant, plan: RolloutPlan, rerun: boolean, rig: OursRig, cohortFrom: number) {
  const before = snapshot(tenant);
  const posts = rateSampler(() => Object.values(tenant.state.requests['graph.installedApps.post'] ?? {}).reduce((a, b) => a + b, 0));
  const last = rerun || !plan.newHires;
  const outcome = strategy === 'ours' ? await runOursOnce(ctx, rig, tenant, rerun, last) : await runBaselineOnce(ctx, strategy, tenant, plan, rerun);
  const rate = posts.stop();
  return { ...outcome, figures: tenantFigures(tenant, before, cohortFrom), tenantInstallRate: rate.perSecond, tenantUsers: tenant.state.users.length };
}

export async function runRollout(ctx: BenchContext, strategy: Strategy, plan: RolloutPlan): Promise<Row[]> {
  const rows: Row[] = [];
  const base = { scenario: plan.scenario, title: plan.title, strategy, limits: plan.limits, faults: plan.faults ?? null };
  const label = `scenario ${plan.scenario} · ${strategy} · ${plan.users} people · limits ${plan.limits}${plan.faults ? ' · faults' : ''}`;
  let tenant: RunningTenant | undefined;
  let rig: OursRig | undefined;
  try {
    tenant = await benchTenant(ctx, plan.users, plan.limits, plan.faults);
    rig = { setup: { tenant, scratch: ctx.scratch, databaseUrl: path.join(ctx.scratch, `${plan.scenario}-${plan.users}-${strategy}.db`), env: plan.limitsFactor === 1 ? {} : scaledRateEnv(plan.limitsFactor) } };
    ctx.say(`${label}${plan.reportRollout ? '' : ' (set-up of the re-run)'}…`);
    const first = await measured(ctx, strategy, tenant, plan, false, rig, 0);
    if (plan.reportRollout) rows.push({ ...base, ...first });
    ctx.say(`  done in ${first.wallSeconds.toFixed(1)} s: welcomed ${first.figures.welcomed}/${first.figures.welcomable}, 429s ${first.figures.throttled}`);
    if (plan.newHires) {
      const hires = plan.newHires;
      const cohortFrom = tenant.state.users.length;
      await addUsers(tenant, hires.count);
      ctx.say(`scenario ${hires.scenario} · ${strategy} · ${hires.count} new hires after the rollout…`);
      try {
        const second = await measured(ctx, strategy, tenant, plan, true, rig, cohortFrom);
        rows.push({ ...base, scenario: hires.scenario, title: hires.title, ...second });
        ctx.say(`  done in ${second.wallSeconds.toFixed(1)} s: new hires welcomed ${second.figures.welcomed}/${second.figures.welcomable}, people messaged twice ${second.figures.duplicated}`);
      } catch (e) {
        rows.push(failedRow({ ...base, scenario: hires.scenario, title: hires.title }, e));
        ctx.say(`  FAILED: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  } catch (e) {
    if (plan.reportRollout) rows.push(failedRow(base, e));
    else if (plan.newHires) rows.push(failedRow({ ...base, scenario: plan.newHires.scenario, title: plan.newHires.title }, e));
    ctx.say(`  FAILED: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await rig?.serve?.stop(2000);
    await tenant?.stop();
  }
  return rows;
}
