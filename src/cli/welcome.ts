import { randomUUID } from 'node:crypto';
import { createBotDeps, createCoreDeps, createGraphDeps, type GraphDeps } from '../deps.js';
import { UsageError, errorMessage } from '../errors.js';
import { settle } from '../installer/settle.js';
import { tenantServiceUrl } from '../references/tenant-service-url.js';
import { captureTeamMembers } from '../installer/capture-team-members.js';
import { parseConfig } from '../config.js';
import { configFor, loadEnvironment } from './env.js';
import { countsByState, renderTeamWelcome } from './render.js';
import { describeDatabase } from '../store/database-url.js';

export interface WelcomeCliOptions {
  team?: string;
  card?: string;
  wait: string;
  preview?: boolean;
  person?: string;
  testTo?: string;
  output: 'text' | 'json';
  verbose?: boolean;
}

/** Which of welcome's three jobs was asked for: exactly one, and --person only with --preview. */
export function welcomeMode(o: Pick<WelcomeCliOptions, 'team' | 'preview' | 'person' | 'testTo'>): 'team' | 'preview' | 'test-to' {
  const asked = [o.team !== undefined && '--team', o.preview && '--preview', o.testTo !== undefined && '--test-to'].filter((x): x is string => Boolean(x));
  if (asked.length === 0) throw new UsageError('welcome needs one of: --team ID (welcome every member of a team), --preview [--person UPN] (print the rendered card, send nothing) or --test-to UPN (send the card to one person, record nothing).');
  if (asked.length > 1) throw new UsageError(`${asked.join(' and ')} are separate jobs: use one at a time.`);
  if (o.person !== undefined && !o.preview) throw new UsageError('--person goes with --preview (whose data the card is rendered with); --test-to takes the UPN itself.');
  if (o.person === '' || o.testTo === '') throw new UsageError('Give a UPN (or object id): --person ada@contoso.com, --test-to ada@contoso.com.');
  return o.preview ? 'preview' : o.testTo !== undefined ? 'test-to' : 'team';
}

/** `teams-rollout welcome --team ID`: welcome every member of a team where the bot is installed, once; or preview or test-send the card. */
export async function runWelcomeCommand(o: WelcomeCliOptions): Promise<number> {
  const mode = welcomeMode(o);
  if (mode !== 'team') {
    const { runWelcomePreview, runWelcomeTestTo } = await import('./welcome-preview.js');
    return mode === 'preview' ? runWelcomePreview(o) : runWelcomeTestTo({ ...o, testTo: o.testTo! });
  }
  return runTeamWelcome({ ...o, team: o.team! });
}

async function runTeamWelcome(o: WelcomeCliOptions & { team: string }): Promise<number> {
  if (!/^19:.+@thread\.(tacv2|skype)$/.test(o.team)) {
    throw new UsageError(`--team "${o.team}" is not a team conversation id. Use the General channel's id, 19:…@thread.tacv2 (from the team's "Get link to team", or the bot's team install event).`);
  }
  const env = loadEnvironment();
  const config = configFor(['bot'], env);
  const tenantId = config.bot.appTenantId ?? config.graph.tenantId;
  if (!tenantId) throw new UsageError('MicrosoftAppTenantId (or AZURE_TENANT_ID) is needed: creating a 1:1 conversation names the tenant.');
  const core = await createCoreDeps(config, { verbose: o.verbose });
  try {
    let graph: GraphDeps | undefined;
    if (parseConfig(env, new Set(['graph', 'app'])).errors.length === 0) graph = await createGraphDeps(core).catch(() => undefined);
    const bot = await createBotDeps(core, graph, { cardPath: o.card });
    const rolloutId = `team-${new Date(core.clock.now()).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 6)}`;
    const startedAt = core.clock.now();
    const recordRollout = () => core.store.createRollout({ id: rolloutId, tenantId, startedAt, finishedAt: null, targets: `--team ${o.team}`, options: '{}', summary: null });
    bot.worker.start();
    const serviceUrl = await tenantServiceUrl(core.store, tenantId, config.proactiveServiceUrl);
    let tally;
    try {
      tally = await captureTeamMembers(
        { adapter: bot.adapter, botAppId: config.bot.appId!, store: core.store, log: core.log, tenantId, serviceUrl, audience: config.bot.oauthScope ?? 'https://api.botframework.com', onReferenceReady: () => bot.worker.notify(), beforeFirstWrite: recordRollout, pacing: bot.pacing, policy: core.policy, clock: core.clock, random: Math.random },
        o.team,
        rolloutId,
      );
    } catch (e) {
      await bot.worker.stop();
      throw new UsageError(`Could not list the members of ${o.team} through ${serviceUrl}: ${errorMessage(e)}. Is the bot installed in that team?`);
    }
    const settled = await settle(
      { store: core.store, clock: core.clock, log: core.log, tenantId, welcomer: { ensure: async () => bot.worker.start(), stop: () => bot.worker.stop() } },
      { rolloutId, welcome: true, referenceWaitMs: 0, timeoutMs: Number(o.wait) * 1000, pollMs: 500 },
    );
    await bot.worker.stop();
    await core.store.finishRollout(rolloutId, core.clock.now(), JSON.stringify({ counts: settled.counts, team: tally }));
    const counts = countsByState(settled.counts);
    const view = { ledger: describeDatabase(config.databaseUrl, process.cwd()), rolloutId, team: o.team, members: tally.members, created: tally.created, alreadyReady: tally.alreadyReady, failedToCreate: tally.failed, settled: settled.settled, counts: settled.counts };
    process.stdout.write(`${renderTeamWelcome(view, o.output)}\n`);
    return (counts.failed ?? 0) + (counts.unconfirmed ?? 0) + tally.failed > 0 || !settled.settled ? 1 : 0;
  } finally {
    await core.store.close();
  }
}
