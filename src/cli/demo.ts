import { writeFileSync } from 'node:fs';
import { makeFolder } from '../store/make-folder.js';
import path from 'node:path';
import { parseFaults } from '../simulator/faults.js';
import { parseLimits } from '../simulator/limits.js';
import { demoRateEnv } from './demo-rates.js';
import { startTenant, type RunningTenant } from '../simulator/server.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { FINAL_STATES } from '../ledger/states.js';
import { UsageError, errorMessage } from '../errors.js';
import { exited, freePort, lastJsonLine, spawnSelf, stopChild, tail, waitForHealth } from './child-cli.js';
import { createProgressView } from './progress.js';
import { demoProgress, renderDemo, type DemoResult } from './render-demo.js';
import { writeReportFiles } from './write-reports.js';
import type { ChildProcess } from 'node:child_process';

export interface DemoCliOptions {
  users: string;
  seed: string;
  faults?: string;
  limits?: string;
  dir?: string;
  /** Also write the tenant's own record (inspection.json): what it received and answered, per person. */
  saveInspection?: boolean;
  output: 'text' | 'json';
}

/**
 * `teams-rollout demo` (what `npm start` runs): a whole rollout on the simulated tenant — the tenant
 * in this process, `serve` and `install --all-users` as child processes, exactly as an administrator
 * would run them — then the report. Everything it started is stopped at the end, and on Ctrl-C.
 */
export async function runDemoCommand(o: DemoCliOptions): Promise<number> {
  const users = Number(o.users);
  if (!Number.isInteger(users) || users < 1 || users > 200_000) throw new UsageError(`--users must be a whole number from 1 to 200000 (got "${o.users}")`);
  // Read the tenant's flags before anything starts: a typo is a usage error, not a failed demo.
  for (const read of [() => parseFaults(o.faults), () => parseLimits(o.limits)]) {
    try {
      read();
    } catch (e) {
      throw new UsageError(errorMessage(e));
    }
  }
  const startedAt = Date.now();
  const dir = path.resolve(o.dir ?? path.join('teams-rollout-demo', new Date(startedAt).toISOString().replace(/[:.]/g, '-')));
  try {
    makeFolder(dir);
  } catch (e) {
    throw new UsageError(`--dir ${dir}: cannot make the demo's folder there (${errorMessage(e)}); give a folder you can write, or leave out --dir for ./teams-rollout-demo/<time>.`);
  }
  const databaseUrl = process.env.DATABASE_URL || path.join(dir, 'demo.db');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}/api/messages`;
  const children: ChildProcess[] = [];
  let tenant: RunningTenant | undefined;
  let store: Store | undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });
  const say = (s: string) => o.output === 'text' && process.stderr.write(`${s}\n`);
  const view = createProgressView({ enabled: o.output === 'text' });
  try {
    say(`Starting a simulated tenant of ${users} people (seed ${o.seed}${o.faults ? `, faults ${o.faults}` : ''})…`);
    tenant = await startTenant({ users, seed: o.seed, faults: o.faults, limits: o.limits, botEndpoint: endpoint });
    // install and serve pace at the tenant's limits, the ones the summary names (issue 11).
    const env = { ...tenant.env, ...demoRateEnv(parseLimits(o.limits)), DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
    const serve = spawnSelf(['serve', '--port', String(port)], env);
    children.push(serve);
    const serveLog = tail(serve);
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 20_000, serve).catch((e) => {
      throw new Error(`serve did not start: ${errorMessage(e)}\n${serveLog()}`);
    });
    say(`Bot endpoint ${endpoint} is up; installing for everyone (ledger: ${databaseUrl})…`);
    store = await openStore(databaseUrl);
    const install = spawnSelf(['install', '--all-users', '--output', 'json', '--reference-wait', '10'], env);
    children.push(install);
    const installLog = tail(install, 20_000);
    const tick = setInterval(() => void demoProgress(tenant!, store!, startedAt).then((s) => view.update(s)).catch(() => undefined), 400);
    const outcome = await Promise.race([exited(install), interrupted]);
    clearInterval(tick);
    view.update(await demoProgress(tenant, store, startedAt));
    view.stop();
    if (outcome === 'interrupted') {
      say('Interrupted: stopping serve, install and the simulated tenant. Run it again to start afresh.');
      return 130;
    }
    const installSummary = lastJsonLine(installLog());
    if ((outcome !== 0 && outcome !== 1) || !installSummary) throw new Error(`install exited with ${outcome}${installSummary ? '' : ' and no summary'}:\n${installLog().slice(-1500)}`);
    const files = { csv: path.join(dir, 'report.csv'), json: path.join(dir, 'report.json') };
    await writeReportFiles(store, files.csv, files.json);
    if (o.saveInspection) writeFileSync(path.join(dir, 'inspection.json'), JSON.stringify(tenant.state.inspect()));
    const result: DemoResult = { tenant, counts: await store.countByState({}), startedAt, finishedAt: Date.now(), install: installSummary, files, dir, databaseUrl };
    process.stdout.write(`${renderDemo(result, o.output)}\n`);
    // The demo promises a final state for everyone; say so plainly when install gave up waiting.
    if (installSummary.settled !== true) {
      const waiting = result.counts.filter((c) => !FINAL_STATES.has(c.state)).reduce((n, c) => n + c.count, 0);
      say(`Not everyone reached a final state: ${waiting} still waiting when install stopped waiting (the report shows where they are). The simulated tenant stops with the demo; run the demo again.`);
      return 1;
    }
    return 0;
  } finally {
    view.stop();
    await Promise.all(children.map((c) => stopChild(c)));
    await store?.close();
    await tenant?.stop();
  }
}
