/**
 * Baseline "the guide's approach" (peers.md, Microsoft samples and the guide "Send proactive
 * messages"), reimplemented from its published behaviour; run as its own process by the bench.
 *
 * - A bot endpoint (CloudAdapter) keeps the conversation reference of every personal
 *   `conversationUpdate` in memory, as the sample does.
 * - Installs everyone with unpaced parallel calls: Promise.all over the whole directory, the Graph
 *   client's default RetryHandler only (3 retries honouring Retry-After). Errors (409 included) are
 *   logged and dropped.
 * - When the install events stop coming (BENCH_QUIET_MS with no new reference), sends to every stored
 *   reference at once: createConversation, then continueConversation with the welcome, per member.
 *   botbuilder's default HTTP pipeline is the only retry (3 retries on 429 with Retry-After and 5xx),
 *   because the adapter is our createCloudAdapter WITHOUT the single-attempt httpClient.
 * - No ledger, no report: a restart loses the references (a re-run starts with none).
 */
import { TurnContext, type ConversationReference } from 'botbuilder';
import { createCloudAdapter } from '../../src/bot/adapter.js';
import { isPersonalBotAdded, startBotEndpoint } from './bot-endpoint.js';
import { Tally, WELCOME_TEXT, baselineConfig, benchSetting, catalogAppId, defaultGraphClient, installBody, listUsers, printResult, sleep, statusOf } from './common.js';

const config = baselineConfig();
const botAppId = config.bot.appId!;
const { adapter } = createCloudAdapter(config.bot);
const references = new Map<string, Partial<ConversationReference>>();
let lastReferenceAt = Date.now();

const endpoint = await startBotEndpoint(adapter, benchSetting('BENCH_PORT', 3978), async (context) => {
  if (!isPersonalBotAdded(context)) return;
  const key = context.activity.from?.aadObjectId ?? context.activity.from.id;
  references.set(key, TurnContext.getConversationReference(context.activity));
  lastReferenceAt = Date.now();
});
printResult({ ready: true });

const startedAt = Date.now();
const graph = defaultGraphClient(config);
const appId = await catalogAppId(graph, config.teamsAppId!);
const users = await listUsers(graph);
const installs = new Tally();
await Promise.all(
  users.map((u) =>
    graph
      .api(`/users/${u.id}/teamwork/installedApps`)
      .post(installBody(appId))
      .then(
        () => installs.add(201),
        (e) => installs.add(statusOf(e)),
      ),
  ),
);
const installsDoneAt = Date.now();

// The install events come a little after each install; wait until they stop.
const quietMs = benchSetting('BENCH_QUIET_MS', 2000);
while (Date.now() - Math.max(lastReferenceAt, installsDoneAt) < quietMs) await sleep(100);

const sends = new Tally();
await Promise.all(
  [...references.values()].map((ref) =>
    welcome(ref).then(
      () => sends.add('ok'),
      (e) => sends.add(statusOf(e)),
    ),
  ),
);
printResult({ startedAt, finishedAt: Date.now(), installsDoneAt, users: users.length, installs: installs.counts, references: references.size, sends: sends.counts });
await endpoint.close();
process.exit(0);

/** The guide's "message all members" step for one person: create the 1:1 conversation, then continue it. */
async function welcome(ref: Partial<ConversationReference>): Promise<void> {
  const tenantId = ref.conversation?.tenantId ?? config.graph.tenantId!;
  const parameters = { isGroup: false, bot: ref.bot, members: [ref.user], tenantId, channelData: { tenant: { id: tenantId } } };
  await adapter.createConversationAsync(botAppId, 'msteams', ref.serviceUrl!, config.bot.oauthScope ?? 'https://api.botframework.com', parameters as never, async (context) => {
    const conversation = TurnContext.getConversationReference(context.activity);
    await adapter.continueConversationAsync(botAppId, conversation, async (turn) => {
      await turn.sendActivity(WELCOME_TEXT);
    });
  });
}
