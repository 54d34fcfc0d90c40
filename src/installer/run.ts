import type { Client } from '@microsoft/microsoft-graph-client';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { FatalRunError } from '../errors.js';
import type { GraphStats } from '../graph/stats.js';
import { isHolderDead } from '../lease-holder.js';
import type { Logger } from '../log.js';
import type { GraphReferenceDeps } from '../references/resolve-via-graph.js';
import type { ConnectorCreate } from '../sender/connector-create.js';
import type { RolloutRow, StateCount, Store } from '../store/types.js';
import type { Refusal } from '../ledger/transitions.js';
import { findCatalogApp } from '../graph/catalog.js';
import type { CatalogResolver } from './catalog-resolver.js';
import { discover, type DiscoverTally } from './discover.js';
import { emptyInstallTally, installPass, type InstallPassTally } from './install-pass.js';
import { settle } from './settle.js';
import type { WelcomeDriver } from '../sender/driver.js';
import { recordedTargets } from './last-targets.js';
import { describeTargets, LOOKUP_REUSE_MS, type TargetSpec } from './sources.js';

export interface InstallRunOptions {
  spec: TargetSpec;
  /** Use the delta link saved by the last full run (new hires). */
  sinceLast: boolean;
  dryRun: boolean;
  limit?: number | undefined;
  retryFailed: boolean;
  /** Go on, and welcome, when many people already have the app though this ledger never met them (other-ledger.ts). */
  welcomeAlreadyInstalled?: boolean | undefined;
  exclusions: ReadonlySet<string>;
  welcome: boolean;
  concurrency: number;
  referenceWaitMs: number;
  settleTimeoutMs: number;
  pollMs: number;
}

export interface InstallRunDeps {
  graph: Client;
  graphBaseUrl: string;
  store: Store;
  clock: Clock;
  log: Logger;
  tenantId: string;
  manifestId: string;
  /** The process's one catalogue resolver (deps.ts), shared with the sender. */
  catalog: CatalogResolver;
  /** Graph reference look-ups through that resolver (deps.ts), shared with the sender. */
  references: GraphReferenceDeps;
  proactiveServiceUrl: string;
  graphStats: GraphStats;
  holderId: string;
  welcomer?: WelcomeDriver | undefined;
  /** The bot side's create, for people Graph shows installed without a chat (settle.ts). */
  create?: ConnectorCreate | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (p: InstallProgress) => void;
}

export type Phase = 'discover' | 'install' | 'settle' | 'done';

export interface InstallProgress {
  phase: Phase;
  /** Whether this run waits for welcomes (not with --no-welcome). */
  welcome: boolean;
  discovered: DiscoverTally;
  install: InstallPassTally;
  counts: StateCount[];
  graphStats: GraphStats;
  startedAt: number;
  installStartedAt: number | null;
  /** Seconds the install pass took, once it ended: the bar's rate stops there, as the summary's does. */
  installSeconds?: number | undefined;
}

export interface InstallReport {
  rolloutId: string | null;
  dryRun: boolean;
  targets: string;
  discovered: DiscoverTally;
  install: InstallPassTally;
  counts: StateCount[];
  settled: boolean;
  /** install --no-welcome: this run's people are held, not welcomed (UserRow.welcomeHeldBy). */
  welcomesHeld: boolean;
  /** The welcome sender stopped on this refusal (the bot's token was refused); the welcomes left wait. */
  senderStopped?: Refusal | undefined;
  /**
   * People this run installed whose install event never reached a bot endpoint, so their chat came
   * from Graph after `--reference-wait`: each welcome went that much later (the summary says to start serve).
   */
  chatsAfterWait: number;
  /** Stopped by Ctrl-C (or SIGTERM) before the end: the rollout is recorded as interrupted, and the same command resumes it. */
  interrupted: boolean;
  startedAt: number;
  finishedAt: number;
  installSeconds: number;
  app: { id: string; displayName: string };
  graph: { requests: number; throttled: number; retries: number; transientRetries: number; byClass: GraphStats['attempts'] };
}

const deltaKey = (tenantId: string) => `delta:users:${tenantId}`;
const LEASE_TTL_MS = 30_000;
/** The lease one install run per tenant holds (status reads it to tell a running rollout from an interrupted one). */
export const installerLease = (tenantId: string) => `install:${tenantId}`;

/**
 * `teams-rollout install`: resolve the app, stream the targets into the ledger, install what is
 * left, then wait until everyone has a final state. Every outcome is written as soon as it is
 * known, so a run killed at any point and started again resumes where the ledger says.
 */
export async function runInstall(d: InstallRunDeps, o: InstallRunOptions): Promise<InstallReport> {
  const startedAt = d.clock.now();
  const { catalog, references } = d;
  // Fail fast, with the fix, if the app is missing or unpublished. A dry run checks the same but keeps nothing.
  const app = o.dryRun ? await findCatalogApp(d.graph, d.manifestId) : await catalog.refresh();
  const spec = { ...o.spec };
  if (o.sinceLast) {
    spec.deltaLink = await d.store.getSetting(deltaKey(d.tenantId));
    if (!spec.deltaLink) throw new FatalRunError('NO_DELTA_LINK', '--since-last needs a delta link saved by an earlier `install --all-users` run in this store; run that first.');
  }
  const install: InstallPassTally = emptyInstallTally();
  const progress: InstallProgress = { phase: 'discover', welcome: o.welcome, discovered: { targets: 0, toInstall: 0, alreadyDone: 0, byReason: {}, limitReached: false }, install, counts: [], graphStats: d.graphStats, startedAt, installStartedAt: null };
  const report = (rolloutId: string | null, settled: boolean, counts: StateCount[], installSeconds: number): InstallReport => ({
    rolloutId,
    dryRun: o.dryRun,
    targets: describeTargets(spec),
    discovered: progress.discovered,
    install,
    counts,
    settled,
    welcomesHeld: !o.welcome && !o.dryRun,
    chatsAfterWait: 0,
    interrupted: !!d.signal?.aborted,
    startedAt,
    finishedAt: d.clock.now(),
    installSeconds,
    app: { id: app.id, displayName: app.displayName },
    graph: { requests: d.graphStats.total(), throttled: d.graphStats.throttled, retries: d.graphStats.retries, transientRetries: d.graphStats.transientRetries, byClass: d.graphStats.attempts },
  });

  // The last run stopped before its end (Ctrl-C, a kill): this one resumes it, and the people its file named are not looked up again.
  const last = await d.store.latestRollout(d.tenantId);
  const reuseLookupsSince = last && wasInterrupted(last) ? startedAt - LOOKUP_REUSE_MS : undefined;
  const planBase = { tenantId: d.tenantId, retryFailed: o.retryFailed, exclusions: o.exclusions, limit: o.limit, clock: d.clock, signal: d.signal, reuseLookupsSince, holdWelcomes: !o.welcome, welcomeAlreadyInstalled: o.welcomeAlreadyInstalled };
  if (o.dryRun) {
    progress.discovered = await discover(d.graph, d.store, spec, { ...planBase, rolloutId: 'dry-run', dryRun: true, now: startedAt }, (t) => d.onProgress?.({ ...progress, discovered: t }));
    return report(null, true, [], 0);
  }

  const rolloutId = `${new Date(startedAt).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`;
  await takeInstallerLease(d);
  // Renewed from the run's own progress (each page, result and tick), not from a timer.
  let renewedAt = d.clock.now();
  const renew = () => {
    if (d.clock.now() - renewedAt < LEASE_TTL_MS / 3) return;
    renewedAt = d.clock.now();
    void d.store.acquireLease(installerLease(d.tenantId), d.holderId, LEASE_TTL_MS, renewedAt).catch(() => undefined);
  };
  const tell = (p: InstallProgress) => {
    renew();
    d.onProgress?.(p);
  };
  try {
    await d.store.createRollout({ id: rolloutId, tenantId: d.tenantId, startedAt, finishedAt: null, targets: describeTargets(spec), options: JSON.stringify({ limit: o.limit, retryFailed: o.retryFailed, welcome: o.welcome, welcomeAlreadyInstalled: !!o.welcomeAlreadyInstalled, targets: recordedTargets({ ...spec, usersFile: spec.usersFile && path.resolve(spec.usersFile) }) }), summary: null });
    if (o.welcome) await d.welcomer?.ensure();
    progress.discovered = await discover(d.graph, d.store, spec, { ...planBase, rolloutId, dryRun: false, now: startedAt }, (t) => tell({ ...progress, discovered: t }));
    // Save the delta link only after a complete listing: a partial one would hide the rest from --since-last.
    if (progress.discovered.deltaLink && !progress.discovered.limitReached && !d.signal?.aborted) await d.store.setSetting(deltaKey(d.tenantId), progress.discovered.deltaLink);

    if (d.signal?.aborted) {
      // Interrupted while the targets were read: nothing is installed; the rollout is recorded as interrupted, as after the installs.
      const r = report(rolloutId, false, await d.store.countByState({ tenantId: d.tenantId, rolloutId }), 0);
      await d.store.finishRollout(rolloutId, r.finishedAt, JSON.stringify({ counts: r.counts, install: r.install, graph: { requests: r.graph.requests, throttled: r.graph.throttled }, interrupted: true }));
      return r;
    }
    progress.phase = 'install';
    progress.installStartedAt = d.clock.now();
    await installPass({ ...d, catalog, references }, { rolloutId, concurrency: o.concurrency, signal: d.signal, welcomeAlreadyInstalled: o.welcomeAlreadyInstalled }, () => tell(progress), install);
    const installSeconds = (d.clock.now() - progress.installStartedAt) / 1000;
    progress.installSeconds = installSeconds;

    progress.phase = 'settle';
    const settled = await settle(
      { store: d.store, clock: d.clock, log: d.log, tenantId: d.tenantId, references, welcomer: d.welcomer, create: d.create },
      { rolloutId, welcome: o.welcome, referenceWaitMs: o.referenceWaitMs, timeoutMs: o.settleTimeoutMs, pollMs: o.pollMs, signal: d.signal },
      (counts) => tell({ ...progress, counts }),
    );
    progress.phase = 'done';
    const r = { ...report(rolloutId, settled.settled, settled.counts, installSeconds), senderStopped: settled.senderStopped, chatsAfterWait: settled.chatsAfterWait };
    await d.store.finishRollout(rolloutId, r.finishedAt, JSON.stringify({ counts: r.counts, install: r.install, graph: { requests: r.graph.requests, throttled: r.graph.throttled }, interrupted: !!d.signal?.aborted }));
    return r;
  } finally {
    await d.welcomer?.stop();
    await d.store.releaseLease(installerLease(d.tenantId), d.holderId);
  }
}

/** Killed (never finished) or stopped by Ctrl-C (finished with `interrupted` in its summary). */
function wasInterrupted(r: RolloutRow): boolean {
  if (r.finishedAt === null) return true;
  try {
    return (JSON.parse(r.summary ?? '{}') as { interrupted?: boolean } | null)?.interrupted === true;
  } catch {
    return false;
  }
}

/** One install run per tenant and store at a time; a lease left by a dead process on this host is taken over at once. */
async function takeInstallerLease(d: InstallRunDeps): Promise<void> {
  const name = installerLease(d.tenantId);
  if (await d.store.acquireLease(name, d.holderId, LEASE_TTL_MS, d.clock.now())) return;
  const holder = await d.store.leaseHolder(name, d.clock.now());
  if (holder && isHolderDead(holder)) {
    await d.store.releaseLease(name, holder);
    if (await d.store.acquireLease(name, d.holderId, LEASE_TTL_MS, d.clock.now())) return;
  }
  throw new FatalRunError('INSTALL_RUNNING', `Another install run (${holder ?? 'unknown'}) is working on this tenant with this store. Wait for it to finish (teams-rollout status), or stop it first.`);
}
