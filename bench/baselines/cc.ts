/**
 * Baseline "Company Communicator's strategy" (peers.md; CC v5.5.2 is C#, this is our TypeScript
 * reimplementation of its published behaviour), run as its own process by the bench.
 *
 * - Bot endpoint (CloudAdapter): the tenant-wide serviceUrl is taken from the first personal
 *   conversationUpdate ever received and never refreshed; the user's conversation id is stored too.
 * - Recipients ("all users"): the directory without guests, synced in one listing.
 * - Prep, per recipient with no stored conversation id: POST installedApps (409 = already installed),
 *   then GET the installation and GET its chat, and use chat.id as the conversation id at once.
 *   The Graph client's default RetryHandler (3 retries honouring Retry-After). CC fans this out on
 *   Durable Functions; BENCH_PREP_CONCURRENCY (default 30) stands for the host's activity concurrency.
 * - Send (cc-send.ts): 30 at once, 5 jittered retries on 429/5xx, then "Unknown" and a tenant-wide pause.
 *   botbuilder is given a one-attempt HTTP client so that the 5 retries are CC's own and are not
 *   multiplied by botbuilder's (CC's C# connector client does not retry 429 by itself).
 * - Its UserData (conversation ids, serviceUrl) persists between runs (BENCH_STATE_FILE). A re-run is a
 *   new "all users" notification: CC has no "only the people not yet done" targeting (peers.md, point 5).
 * - Its report: one status per recipient (Succeeded / Failed / Unknown), written to BENCH_REPORT_FILE.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { createCloudAdapter } from '../../src/bot/adapter.js';
import { createSingleAttemptHttpClient } from '../../src/bot/single-attempt-http-client.js';
import { isPersonalBotAdded, startBotEndpoint } from './bot-endpoint.js';
import { ccSend } from './cc-send.js';
import { baselineConfig, benchSetting, catalogAppId, defaultGraphClient, installBody, listUsers, printResult, statusOf } from './common.js';

interface UserData {
  serviceUrl?: string | undefined;
  conversations: Record<string, string>;
}

const config = baselineConfig();
const botAppId = config.bot.appId!;
const stateFile = process.env.BENCH_STATE_FILE;
const data: UserData = stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as UserData) : { conversations: {} };
const { adapter } = createCloudAdapter(config.bot, { connectorClientOptions: { httpClient: createSingleAttemptHttpClient() } as never });

const endpoint = await startBotEndpoint(adapter, benchSetting('BENCH_PORT', 3978), async (context) => {
  if (!isPersonalBotAdded(context)) return;
  const a = context.activity;
  data.serviceUrl ??= a.serviceUrl;
  const user = a.from?.aadObjectId;
  if (user && !data.conversations[user]) data.conversations[user] = a.conversation.id;
});
printResult({ ready: true });

const startedAt = Date.now();
const graph = defaultGraphClient(config);
const appId = await catalogAppId(graph, config.teamsAppId!);
const recipients = (await listUsers(graph)).filter((u) => u.userType !== 'Guest');
const status = new Map<string, string>();
const prep = pLimit(benchSetting('BENCH_PREP_CONCURRENCY', 30));
const path = (id: string) => `/users/${id}/teamwork/installedApps`;
await Promise.all(
  recipients
    .filter((u) => !data.conversations[u.id])
    .map((u) =>
      prep(async () => {
        try {
          await graph.api(path(u.id)).post(installBody(appId));
        } catch (e) {
          if (statusOf(e) !== '409') return void status.set(u.id, `failed:install-${statusOf(e)}`);
        }
        try {
          const installed = (await graph.api(path(u.id)).expand('teamsApp').filter(`teamsApp/id eq '${appId}'`).get()) as { value: { id: string }[] };
          const installation = installed.value[0];
          if (!installation) return void status.set(u.id, 'failed:no-installation');
          const chat = (await graph.api(`${path(u.id)}/${encodeURIComponent(installation.id)}/chat`).get()) as { id: string };
          data.conversations[u.id] = chat.id;
        } catch (e) {
          status.set(u.id, `failed:chat-${statusOf(e)}`);
        }
      }),
    ),
);
const prepDoneAt = Date.now();

const targets = recipients.filter((u) => data.conversations[u.id]).map((u): [string, string] => [u.id, data.conversations[u.id]!]);
const send = await ccSend(
  {
    adapter,
    botAppId,
    tenantId: config.graph.tenantId!,
    serviceUrl: () => data.serviceUrl,
    concurrency: 30,
    retries: 5,
    firstRetryMs: 1000,
    pauseMs: benchSetting('BENCH_PAUSE_MS', 660_000),
  },
  targets,
  status,
);
const finishedAt = Date.now();
if (stateFile) writeFileSync(stateFile, JSON.stringify(data));
if (process.env.BENCH_REPORT_FILE) writeFileSync(process.env.BENCH_REPORT_FILE, JSON.stringify(Object.fromEntries(status)));
const statuses: Record<string, number> = {};
for (const s of status.values()) statuses[s] = (statuses[s] ?? 0) + 1;
printResult({ startedAt, finishedAt, prepDoneAt, recipients: recipients.length, sendTargets: targets.length, statuses, pauses: send.pauses, sendAttempts: send.attempts });
await endpoint.close();
process.exit(0);
