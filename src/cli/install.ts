import { requireBotToken } from '../bot/require-bot-token.js';
import { botTokenSource } from '../bot/bot-token.js';
import { FatalRunError, UsageError } from '../errors.js';
import { missingPermissionMessage, missingPermissions, readableRoles } from '../installer/permission-check.js';
import { describeDatabase } from '../store/database-url.js';
import { createBotDeps, createCoreDeps, createGraphDeps, installRunDeps, welcomeCardFor } from '../deps.js';
import { groupExists, groupUsers } from '../graph/users.js';
import { runInstall, type InstallReport } from '../installer/run.js';
import type { WelcomeDriver } from '../sender/driver.js';
import type { ConnectorCreate } from '../sender/connector-create.js';
import { readUsersFile, validateUsersFile } from '../installer/users-file.js';
import { targetsOf } from '../installer/last-targets.js';
import { describeTargets, type TargetSpec } from '../installer/sources.js';
import type { Store } from '../store/types.js';
import { configFor } from './env.js';
import { EXIT_WITH_PARENT, parentGone } from './parent-watch.js';
import { createProgressView } from './progress.js';
import { installProgressSnapshot, renderInstall, renderInstallInterrupted, renderLastTargetsNotice, renderOtherLedgerStop, renderResendNotice, terminalColumns, type OutputFormat } from './render.js';
import { OtherLedgerStop } from '../installer/other-ledger.js';
import { otherLedgersHere } from '../store/ledger-candidates.js';

export interface InstallCliOptions {
  allUsers?: boolean;
  group?: string[];
  users?: string;
  exclude?: string;
  excludeGroup?: string[];
  limit?: string;
  dryRun?: boolean;
  sinceLast?: boolean;
  welcome: boolean;
  retryFailed?: boolean;
  resendUnconfirmed?: boolean;
  welcomeAlreadyInstalled?: boolean;
  concurrency: string;
  referenceWait: string;
  wait: string;
  output: OutputFormat;
  verbose?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the flags before anything is read or changed; every problem at once. */
export function validateInstallFlags(o: InstallCliOptions): string[] {
  const problems: string[] = [];
  // --retry-failed and --resend-unconfirmed alone go over the last rollout's targets (hasTargets).
  if (!hasTargets(o) && !o.retryFailed && !o.resendUnconfirmed) problems.push('choose the targets: --all-users, --group ID (repeatable), --users FILE, or --since-last');
  if (o.sinceLast && o.allUsers) problems.push('--since-last already means all users (those added or changed since the last --all-users run); leave out --all-users, or leave out --since-last for everyone');
  if (o.sinceLast && (o.group?.length || o.users)) problems.push('--since-last follows the directory delta of --all-users; it does not combine with --group or --users');
  for (const g of [...(o.group ?? []), ...(o.excludeGroup ?? [])]) if (!GUID.test(g)) problems.push(`"${g}" is not a group object id (a GUID from Entra → Groups)`);
  const int = (flag: string, v: string | undefined, min: number) => {
    if (v === undefined) return;
    if (!/^\d+$/.test(v) || Number(v) < min) problems.push(`${flag} must be a whole number of at least ${min} (got "${v}")`);
  };
  int('--limit', o.limit, 1);
  int('--concurrency', o.concurrency, 1);
  int('--reference-wait', o.referenceWait, 0);
  int('--wait', o.wait, 0);
  return problems;
}

const hasTargets = (o: InstallCliOptions) => !!(o.allUsers || o.group?.length || o.users || o.sinceLast);

export async function runInstallCommand(o: InstallCliOptions): Promise<number> {
  const problems = validateInstallFlags(o);
  if (problems.length) throw new UsageError(problems.join('\n'));
  if (o.users) await validateUsersFile(o.users, '--users');
  if (o.exclude) await validateUsersFile(o.exclude, '--exclude');
  const config = configFor(o.welcome && !o.dryRun ? ['graph', 'app', 'bot'] : ['graph', 'app']);
  const core = await createCoreDeps(config, { verbose: o.verbose, readOnly: !!o.dryRun });
  const ledger = describeDatabase(config.databaseUrl, process.cwd());
  try {
    const g = await createGraphDeps(core);
    const spec = hasTargets(o) ? { allUsers: !!o.allUsers || !!o.sinceLast, groups: o.group ?? [], usersFile: o.users } : await lastTargets(core.store, g.tenantId, o);
    // Before the first Graph call: a missing permission would otherwise cost one 403 per person.
    const token = (await g.credential.getToken(config.graph.scope))?.token;
    const granted = token ? readableRoles(token) : null;
    if (granted) {
      const missing = missingPermissions(granted, { people: spec.allUsers || !!spec.usersFile, groups: !!(spec.groups.length || o.excludeGroup?.length) }, config.graph.clientId ?? '');
      if (missing.length) throw new FatalRunError('MISSING_PERMISSION', missingPermissionMessage(missing, granted));
    }
    // Likewise the bot's token, when this run sends welcomes: a refused one would fail every welcome.
    if (o.welcome && !o.dryRun) await requireBotToken(config.bot, botTokenSource(config.bot, { fetch: core.fetch, proxy: config.proxy }));
    // Before anything is recorded: an unknown group is a mistyped id, not a rollout that failed.
    const unknown: string[] = [];
    const groupFlags: [string, string][] = [...spec.groups.map((id): [string, string] => ['--group', id]), ...(o.excludeGroup ?? []).map((id): [string, string] => ['--exclude-group', id])];
    for (const [flag, id] of groupFlags) {
      if (!(await groupExists(g.graph, id))) unknown.push(`${flag} ${id}: group not found in tenant ${g.tenantId}`);
    }
    if (unknown.length) throw new UsageError(`${unknown.join('\n')}\nCheck the object id in the Entra admin center (Groups → the group → Object ID). Nothing was changed.`);
    const exclusions = new Set<string>();
    if (o.exclude) for await (const ref of readUsersFile(o.exclude, '--exclude')) exclusions.add(ref.value.toLowerCase());
    for (const id of o.excludeGroup ?? []) for await (const page of groupUsers(g.graph, id)) for (const u of page.users) exclusions.add(u.id.toLowerCase());

    // Before anything changes: a card template that cannot be filled in is refused here (exit 2), and
    // a dry run says so too, as the real run would (the template's fields do not depend on the app's name).
    if (o.welcome && o.dryRun) welcomeCardFor(config, 'the app');
    let welcomer: WelcomeDriver | undefined;
    let create: ConnectorCreate | undefined;
    if (o.welcome && !o.dryRun) {
      const { welcomeDriverFor } = await import('../sender/driver.js');
      const bot = await createBotDeps(core, g);
      welcomer = welcomeDriverFor(bot.worker);
      create = bot.create;
    }
    if (o.resendUnconfirmed) {
      const { countUnconfirmed, resendUnconfirmedAll } = await import('./resend-unconfirmed.js');
      const n = o.dryRun ? await countUnconfirmed(core.store) : await resendUnconfirmedAll(core.store, core.clock);
      process.stderr.write(`${renderResendNotice(n, !!o.dryRun)}\n`);
    }
    const abort = new AbortController();
    const onSignal = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (process.env[EXIT_WITH_PARENT] === '1') void parentGone().then(onSignal);
    // A dry run installs nothing: a bar of installs would only ever show 0 (issue 11 minor).
    const view = createProgressView({ enabled: !o.dryRun });
    let report: InstallReport;
    try {
      report = await runInstall(
        installRunDeps(core, g, { welcomer, create, signal: abort.signal, onProgress: (p) => view.update(installProgressSnapshot(p, core.clock.now(), config.limits, terminalColumns(process.stderr.columns))) }),
        {
          spec,
          sinceLast: !!o.sinceLast,
          dryRun: !!o.dryRun,
          limit: o.limit === undefined ? undefined : Number(o.limit),
          retryFailed: !!o.retryFailed,
          welcomeAlreadyInstalled: !!o.welcomeAlreadyInstalled,
          exclusions,
          welcome: o.welcome,
          concurrency: Number(o.concurrency),
          referenceWaitMs: Number(o.referenceWait) * 1000,
          settleTimeoutMs: Number(o.wait) * 1000,
          pollMs: 1000,
        },
      );
    } catch (e) {
      if (!(e instanceof OtherLedgerStop)) throw e;
      throw new FatalRunError(e.code, renderOtherLedgerStop({ ...e.tally, ledger, others: otherLedgersHere(ledger) }), e);
    } finally {
      view.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    process.stdout.write(`${renderInstall(report, o.output, config.limits, ledger, config.bot.appId)}\n`);
    if (abort.signal.aborted) {
      if (o.output === 'text') process.stderr.write(`${renderInstallInterrupted()}\n`);
      return 130;
    }
    // A refused bot token is a configuration error found during the run, like a run-stopping Graph refusal.
    if (report.senderStopped) return 2;
    const failed = report.counts.filter((c) => c.state === 'failed' || c.state === 'unconfirmed').reduce((n, c) => n + c.count, 0);
    return failed > 0 || !report.settled ? 1 : 0;
  } finally {
    await core.store.close();
  }
}

/** `install --retry-failed` (or `--resend-unconfirmed`) with no targets: those of the tenant's last rollout, said aloud. */
async function lastTargets(store: Store, tenantId: string, o: InstallCliOptions): Promise<TargetSpec> {
  const flag = o.retryFailed ? '--retry-failed' : '--resend-unconfirmed';
  const last = await store.latestRollout(tenantId);
  const found = targetsOf(last);
  if ('problem' in found) throw new UsageError(`${flag} without targets goes over the last rollout's targets, but ${found.problem}: give the targets too, e.g. \`teams-rollout install --all-users ${flag}\``);
  process.stderr.write(`${renderLastTargetsNotice(flag, last!.id, describeTargets(found.spec))}\n`);
  return found.spec;
}
