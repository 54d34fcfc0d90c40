import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig, scaledRateEnv, type Config } from '../../src/config.js';
import { createGraphDeps, installRunDeps, retryPolicyFor, type CoreDeps, type GraphDeps } from '../../src/deps.js';
import { createSystemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/log.js';
import { newHolderId } from '../../src/lease-holder.js';
import { openStore } from '../../src/store/open.js';
import { createOutboundFetch } from '../../src/net/outbound-fetch.js';
import { runInstall, type InstallRunOptions, type InstallReport } from '../../src/installer/run.js';
import type { RunningTenant, StartTenantOptions } from '../../src/simulator/server.js';
import type { UserRow } from '../../src/store/types.js';
import { startTestTenant } from './tenant.js';

/** A simulated tenant plus the real deps (Graph client, SQLite store) a command would build from its env. */
export interface RolloutEnv {
  tenant: RunningTenant;
  config: Config;
  core: CoreDeps;
  graph: GraphDeps;
  dbPath: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Client-side rates matching a tenant started with `--limits xN`, so tests run N times faster than real life. */
export const scaledRates = scaledRateEnv;

export async function startRolloutEnv(options: Omit<StartTenantOptions, 'tls'> = {}, envOverrides: Record<string, string> = {}): Promise<RolloutEnv> {
  const tenant = await startTestTenant(options);
  const dbPath = path.join(mkdtempSync(path.join(tmpdir(), 'rollout-test-')), 'rollout.db');
  const scale = /^x(\d+)$/.exec(options.limits ?? '')?.[1];
  const env = { ...tenant.env, DATABASE_URL: dbPath, ...(scale ? scaledRates(Number(scale)) : {}), ...envOverrides };
  const { config, errors } = parseConfig(env, new Set(['graph', 'app', 'bot']));
  if (errors.length) throw new Error(`test config: ${errors.join('; ')}`);
  const core: CoreDeps = { config, clock: createSystemClock(), log: silentLogger, store: await openStore(env.DATABASE_URL), holderId: newHolderId(), fetch: createOutboundFetch(config.proxy), policy: retryPolicyFor(config) };
  const graph = await createGraphDeps(core);
  return {
    tenant,
    config,
    core,
    graph,
    dbPath,
    env,
    async stop() {
      await core.store.close();
      await tenant.stop();
    },
  };
}

export const INSTALL_DEFAULTS: InstallRunOptions = {
  spec: { allUsers: true, groups: [] },
  sinceLast: false,
  dryRun: false,
  retryFailed: false,
  exclusions: new Set(),
  welcome: false,
  concurrency: 32,
  referenceWaitMs: 2000,
  settleTimeoutMs: 60_000,
  pollMs: 100,
};

export function install(e: RolloutEnv, options: Partial<InstallRunOptions> = {}, extra: Partial<Parameters<typeof runInstall>[0]> = {}): Promise<InstallReport> {
  return runInstall(
    { ...installRunDeps(e.core, e.graph), ...extra },
    { ...INSTALL_DEFAULTS, ...options },
  );
}

/** Every ledger row, by object id. */
export async function ledger(e: RolloutEnv): Promise<Map<string, UserRow>> {
  const out = new Map<string, UserRow>();
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const rows = await e.core.store.listUsers({ after, limit: 1000 });
    if (!rows.length) return out;
    after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
    for (const r of rows) out.set(r.aadObjectId, r);
  }
}

/** Per user of the tenant: kind, whether our app is installed, messages received (the tenant's own view). */
export function groundTruth(t: RunningTenant) {
  const messages = new Map<string, number>();
  for (const m of t.state.messages) if (m.userAadObjectId) messages.set(m.userAadObjectId, (messages.get(m.userAadObjectId) ?? 0) + 1);
  return t.state.users.map((u) => ({
    id: u.id,
    upn: u.userPrincipalName,
    kind: u.kind,
    installed: t.state.installationsOf(u.id).some((i) => i.teamsAppId === t.state.app.id),
    messages: messages.get(u.id) ?? 0,
  }));
}

export const INSTALLABLE = new Set(['member', 'already_installed', 'blocked_bot', 'deleted_chat']);
export const WELCOMABLE = new Set(['member', 'already_installed', 'deleted_chat']);

/** What the ledger must say for each kind after an install run without welcomes. */
export const EXPECTED_INSTALL_STATE: Record<string, string> = {
  member: 'installed',
  guest: 'skipped:guest',
  disabled: 'skipped:disabled',
  unlicensed: 'skipped:no_teams_licence',
  blocked_by_policy: 'failed:blocked_by_policy',
  already_installed: 'reference_ready',
  blocked_bot: 'installed',
  deleted_chat: 'installed',
};

export const stateOf = (r: UserRow | undefined) => (r ? (r.reason ? `${r.state}:${r.reason}` : r.state) : 'missing');

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 20_000, stepMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
