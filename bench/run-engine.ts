/**
 * Our engine alone (issues 3 and 4):
 * - 5: `install --all-users --no-welcome` with every limit off: how many people per second the
 *   orchestrator itself sustains.
 * - 6 and 7: the welcome sender draining references that are all waiting. To get there with the real
 *   processes only, the bench holds the sender lease in the ledger (the lease is how one sender per
 *   tenant is guaranteed) while `serve` captures the install events of an `install --no-welcome` run,
 *   then releases it: serve's worker takes the lease at its next sweep and drains. 6 keeps the
 *   published bot limit (Graph unlimited, to set up quickly); 7 has every limit off.
 */
import path from 'node:path';
import { newHolderId } from '../src/lease-holder.js';
import type { RunningTenant } from '../src/simulator/server.js';
import { openStore } from '../src/store/open.js';
import { SENDER_LEASE } from '../src/sender/welcome-worker.js';
import type { Store } from '../src/store/types.js';
import { rateSampler, snapshot, tenantFigures } from './figures.js';
import { readReport, runInstallCli, runOurs, startServe, UNPACED_RATE_ENV, type OursSetup } from './runners/ours.js';
import { failedRow, type Row } from './row.js';
import { benchTenant, SCENARIOS, type BenchContext } from './scenarios.js';

const title = (id: string) => SCENARIOS.find((s) => s.id === id)!.title;

export async function runInstallEngine(ctx: BenchContext): Promise<Row> {
  const base = { scenario: '5', title: title('5'), strategy: 'ours' as const, limits: 'off', faults: null };
  const users = ctx.scale.engineUsers;
  let tenant: RunningTenant | undefined;
  try {
    ctx.say(`scenario 5 · ours · ${users} people · limits off · install --no-welcome…`);
    tenant = await benchTenant(ctx, users, 'off');
    const s: OursSetup = { tenant, scratch: ctx.scratch, databaseUrl: path.join(ctx.scratch, '5-ours.db'), env: UNPACED_RATE_ENV };
    const before = snapshot(tenant);
    const posts = rateSampler(() => Object.values(tenant!.state.requests['graph.installedApps.post'] ?? {}).reduce((a, b) => a + b, 0));
    const r = await runOurs(s, ['--all-users', '--no-welcome'], { serve: false });
    const rate = posts.stop();
    const report = await readReport(s, []);
    ctx.say(`  done in ${r.wallSeconds.toFixed(1)} s`);
    return { ...base, tenantUsers: users, wallSeconds: r.wallSeconds, figures: tenantFigures(tenant, before), tenantInstallRate: rate.perSecond, unaccounted: null, unaccountedNote: 'not a welcome run', processes: r.processes, own: { install: r.install, report: report.byState }, notes: [] };
  } catch (e) {
    ctx.say(`  FAILED: ${(e as Error).message.split('\n')[0]}`);
    return failedRow(base, e);
  } finally {
    await tenant?.stop();
  }
}

async function waitUntil(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Clears every held welcome (UserRow.welcomeHeldBy), page by page, as a later install without --no-welcome does. */
async function liftHolds(store: Store): Promise<void> {
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const page = await store.listUsers({ states: ['reference_ready'], after, limit: 500 });
    if (!page.length) return;
    for (const row of page) {
      if (!row.welcomeHeldBy) continue;
      await store.updateUser(row.tenantId, row.aadObjectId, row.version, { welcomeHeldBy: null }, { at: Date.now(), from: row.state, to: row.state, reason: null, actor: 'bench', detail: 'welcome hold lifted for the drain' });
    }
    const last = page.at(-1)!;
    after = { tenantId: last.tenantId, aadObjectId: last.aadObjectId };
  }
}

async function count(store: Store, states: string[]): Promise<number> {
  return (await store.countByState({})).filter((c) => states.includes(c.state)).reduce((n, c) => n + c.count, 0);
}

export async function runWelcomeDrain(ctx: BenchContext, scenario: '6' | '7'): Promise<Row> {
  const limitsOff = scenario === '7';
  const users = limitsOff ? ctx.scale.drainOffUsers : ctx.scale.drainUsers;
  const botLimits = limitsOff ? 'off' : ctx.scale.limits;
  const graphOff = ['graph-get=off', 'graph-post=off', 'graph-directory=off'];
  const tenantLimits = limitsOff ? 'off' : [...(ctx.scale.limits === 'published' ? [] : [ctx.scale.limits]), ...graphOff].join(',');
  const base = { scenario, title: title(scenario), strategy: 'ours' as const, limits: limitsOff ? 'off' : `bot ${botLimits}, Graph off`, faults: null };
  let tenant: RunningTenant | undefined;
  let store: Store | undefined;
  try {
    ctx.say(`scenario ${scenario} · ours · ${users} people · welcome drain, bot limit ${botLimits}…`);
    tenant = await benchTenant(ctx, users, tenantLimits);
    const botEnv: Record<string, string> = limitsOff ? {} : ctx.scale.limitsFactor === 1 ? { BOT_SEND_RPS: '50', BOT_SEND_PER_CONVERSATION_RPS: '7' } : { BOT_SEND_RPS: String(50 * ctx.scale.limitsFactor), BOT_SEND_PER_CONVERSATION_RPS: String(7 * ctx.scale.limitsFactor) };
    // The set-up installs go at 100/s: fast, yet slow enough for serve to capture every install event
    // on a busy machine (the Teams channel gives up on an event the endpoint has not answered in 15 s).
    const s: OursSetup = { tenant, scratch: ctx.scratch, databaseUrl: path.join(ctx.scratch, `${scenario}-ours.db`), env: { ...UNPACED_RATE_ENV, GRAPH_INSTALLEDAPPS_POST_RPS: '100', ...botEnv } };
    store = await openStore(s.databaseUrl);
    const holder = newHolderId();
    if (!(await store.acquireLease(SENDER_LEASE, holder, 3_600_000, Date.now()))) throw new Error('could not hold the sender lease');
    const serve = await startServe(s);
    try {
      await runInstallCli(s, ['--all-users', '--no-welcome']);
      const st = store;
      await (tenant.ctx.channel as unknown as { idle(): Promise<void> }).idle();
      const lost = tenant.state.deliveries.filter((d) => d.outcome !== 'delivered').length;
      await waitUntil('every install event to be captured', async () => (await count(st, ['installed', 'already_installed'])) === 0, lost ? 2000 : 60_000).catch(async (e) => {
        if (!lost) throw new Error(`${(e as Error).message}: ${JSON.stringify(await st.countByState({}))}`);
      });
      // `--no-welcome` holds each welcome until a later install targets the person (issue 11 major 1):
      // lift the holds as that install would, so the drain measures the sender alone.
      await liftHolds(st);
      const references = await count(st, ['reference_ready']);
      const before = snapshot(tenant);
      const started = performance.now();
      await st.releaseLease(SENDER_LEASE, holder);
      await waitUntil('the sender to drain', async () => (await count(st, ['reference_ready', 'welcoming'])) === 0, 30 * 60_000);
      const wallSeconds = (performance.now() - started) / 1000;
      const serveUsage = await serve.stop();
      const figures = tenantFigures(tenant, before);
      ctx.say(`  ${references} references drained in ${wallSeconds.toFixed(1)} s: ${figures.welcomesPerSecond?.toFixed(1)} welcomes/s, 429s ${figures.throttledBot}`);
      const report = await readReport(s, tenant.state.users.map((u) => u.id));
      return { ...base, tenantUsers: users, wallSeconds, figures, tenantInstallRate: null, unaccounted: report.unaccounted, processes: [serveUsage], own: { references, report: report.byState }, notes: [`${references} references waiting when the sender was let go`, ...(lost ? [`${lost} install events not delivered to serve during the set-up (their people are left out of the drain)`] : [])] };
    } finally {
      await serve.stop(2000);
    }
  } catch (e) {
    ctx.say(`  FAILED: ${(e as Error).message.split('\n')[0]}`);
    return failedRow(base, e);
  } finally {
    await store?.close();
    await tenant?.stop();
  }
}
