import { createServer, type Server } from 'node:http';
import { createBotApp } from '../bot/app.js';
import { createActivityHandler } from '../bot/on-activity.js';
import { requireBotToken } from '../bot/require-bot-token.js';
import { botTokenSource } from '../bot/bot-token.js';
import { createOutboundFetch } from '../net/outbound-fetch.js';
import { createBotDeps, createCoreDeps, createGraphDeps, installRunDeps, type GraphDeps } from '../deps.js';
import { DEFAULT_INSTALL_CONCURRENCY } from '../installer/defaults.js';
import { UsageError, errorMessage } from '../errors.js';
import { runInstall } from '../installer/run.js';
import { SENDER_LEASE } from '../sender/welcome-worker.js';
import { configFor, loadEnvironment } from './env.js';
import { countsByState, ledgerLine, senderStoppedLines } from './render.js';
import { describeDatabase } from '../store/database-url.js';
import { parseConfig } from '../config.js';
import { resendUnconfirmedAll } from './resend-unconfirmed.js';
import { EXIT_WITH_PARENT, parentGone } from './parent-watch.js';
import type { Output } from './output-schemas.js';

export interface ServeCliOptions {
  port?: string;
  host?: string;
  card?: string;
  sweepEvery?: string;
  resendUnconfirmed?: boolean;
  output: 'text' | 'json';
  verbose?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/** "1h", "30m", "45s", "90" (seconds) → ms. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!);
}

// Node's timers hold at most 2^31-1 ms (~24.8 days); a longer interval would fire at once, every millisecond.
const MAX_SWEEP_MS = 24 * 86_400_000;

/** The --sweep-every problem, if any: at least a minute, at most 24 days, in the units parseDuration knows. */
export function sweepProblem(text: string, ms: number | undefined): string | undefined {
  if (ms !== undefined && ms >= 60_000 && ms <= MAX_SWEEP_MS) return undefined;
  const why = ms === undefined ? 'is not a duration' : ms < 60_000 ? 'is shorter than a minute' : 'is longer than 24 days';
  return `--sweep-every "${text}" ${why}: give a number with a unit, s, m, h or d (e.g. 30m, 1h, 1d), from 1m to 24d`;
}

/**
 * `teams-rollout serve`: the bot endpoint (captures references, answers stop/start/help), the
 * welcome sender, and optionally a scheduled new-hire sweep (`--sweep-every 1h`).
 */
export async function runServeCommand(o: ServeCliOptions): Promise<number> {
  const sweepMs = o.sweepEvery ? parseDuration(o.sweepEvery) : undefined;
  const sweepError = o.sweepEvery === undefined ? undefined : sweepProblem(o.sweepEvery, sweepMs);
  if (sweepError) throw new UsageError(sweepError);
  const env = loadEnvironment();
  const emulator = !env.MicrosoftAppId;
  const config = configFor(emulator ? [] : ['bot'], env);
  const host = o.host ?? config.serve.host;
  const port = o.port === undefined ? config.serve.port : Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port "${o.port}" is not a port number: use a whole number from 0 to 65535 (0 picks a free one)`);
  if (emulator && !LOOPBACK_HOSTS.has(host)) {
    throw new UsageError(`MicrosoftAppId is not set, which is local-emulator mode: it accepts unauthenticated activities, so it may only listen on a loopback address (not ${host}). Set MicrosoftAppId and MicrosoftAppPassword for a real bot.`);
  }
  // Graph is optional for serve: with it, stale chats are looked up again and the card names the app.
  const graphReady = parseConfig(env, new Set(['graph', 'app'])).errors.length === 0;
  if (sweepMs && !graphReady) throw new UsageError('--sweep-every needs Graph and TEAMS_APP_ID configured (see `teams-rollout doctor`).');
  // Before anything else: a bot whose token is refused would take in install events and fail every welcome.
  if (!emulator) await requireBotToken(config.bot, botTokenSource(config.bot, { fetch: createOutboundFetch(config.proxy), proxy: config.proxy }));
  const core = await createCoreDeps(config, { verbose: o.verbose });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (emulator) say('WARNING: MicrosoftAppId is not set — local-emulator mode: activities are NOT authenticated. For Microsoft 365 Agents Playground / Bot Framework Emulator on this machine only.');
  let graph: GraphDeps | undefined;
  if (graphReady) {
    try {
      graph = await createGraphDeps(core);
    } catch (e) {
      say(`warning: Graph is not available (${errorMessage(e).split('\n')[0]}); stale chats will not be looked up again.`);
    }
  } else say('note: Graph is not configured; stale chats will not be looked up again (set AZURE_* and TEAMS_APP_ID to enable it).');
  const bot = await createBotDeps(core, graph, {
    cardPath: o.card,
    // The endpoint stays up (install events are still captured, so nobody is lost); the sends stop until a restart with a working token.
    onSenderStopped: (refusal) => say(senderStoppedLines(refusal, config.bot.appId ?? '', 'restart serve: the people waiting are welcomed then, and `install --retry-failed` welcomes the failed ones').join('\n')),
  });
  if (o.resendUnconfirmed) say(`--resend-unconfirmed: ${await resendUnconfirmedAll(core.store, core.clock)} welcome(s) will go again.`);
  const handler = createActivityHandler({
    store: core.store,
    clock: core.clock,
    log: core.log.child('capture'),
    onReferenceReady: () => bot.worker.notify(),
    app: bot.app,
  });
  const app = createBotApp({
    adapter: bot.adapter,
    onTurn: handler,
    log: core.log,
    adminToken: config.serve.adminToken,
    status: async () => ({
      counts: countsByState(await core.store.countByState({})),
      sender: {
        holdsLease: bot.worker.isHoldingLease,
        leaseHolder: (await core.store.leaseHolder(SENDER_LEASE, core.clock.now())) ?? null,
        results: bot.worker.results,
        stoppedBy: bot.worker.stoppedBy ? { reason: bot.worker.stoppedBy.reason, serviceCode: bot.worker.stoppedBy.serviceCode, detail: bot.worker.stoppedBy.detail } : null,
      },
    }),
  });
  // node:http rather than app.listen: express 5 hands a listen error to the callback, which would read as "up".
  const server: Server = createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new UsageError(`Cannot listen on ${host}:${port}: ${errorMessage(e)}. Choose another --port (or stop what uses it), or fix HOST.`)));
      server.listen(port, host, () => resolve());
    });
  } catch (e) {
    await core.store.close(); // a PostgreSQL pool would keep the process alive
    throw e;
  }
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  bot.worker.start();
  const ledger = describeDatabase(config.databaseUrl, process.cwd());
  say(`teams-rollout serve: bot endpoint http://${host}:${actualPort}/api/messages · health /healthz · status /status${sweepMs ? ` · new-hire sweep every ${o.sweepEvery}` : ''}`);
  say(ledgerLine(ledger));
  if (o.output === 'json') process.stdout.write(`${JSON.stringify({ endpoint: `http://${host}:${actualPort}/api/messages`, port: actualPort, emulator, ledger } satisfies Output<'serve'>)}\n`);

  let sweeping: Promise<unknown> | undefined;
  const sweep = sweepMs && graph
    ? setInterval(() => {
        if (sweeping) return;
        const g = graph!;
        sweeping = runInstall(
          installRunDeps(core, g, { welcomer: { ensure: async () => bot.worker.start(), stop: async () => undefined, stoppedBy: () => bot.worker.stoppedBy } }),
          // The CLI's own default (commands.ts), not a number of the sweep's own (issue 12).
          { spec: { allUsers: true, groups: [] }, sinceLast: true, dryRun: false, retryFailed: false, exclusions: new Set(), welcome: true, concurrency: DEFAULT_INSTALL_CONCURRENCY, referenceWaitMs: 20_000, settleTimeoutMs: 600_000, pollMs: 1000 },
        )
          .then((r) => say(`sweep: ${r.discovered.targets} new or changed people, ${r.install.created} installed`))
          .catch((e) => say(`sweep failed: ${errorMessage(e).split('\n')[0]}`))
          .finally(() => (sweeping = undefined));
      }, sweepMs)
    : undefined;

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (process.env[EXIT_WITH_PARENT] === '1') void parentGone().then(stop);
  });
  say('stopping: finishing the welcomes in flight…');
  if (sweep) clearInterval(sweep);
  server.closeAllConnections?.();
  await new Promise((r) => server.close(() => r(undefined)));
  await bot.worker.stop();
  await sweeping?.catch(() => undefined);
  await core.store.close();
  return 0;
}
