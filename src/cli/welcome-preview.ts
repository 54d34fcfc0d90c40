import { parseConfig } from '../config.js';
import { createBotDeps, createCoreDeps, createGraphDeps, welcomeCardFor, type CoreDeps, type GraphDeps } from '../deps.js';
import { UsageError, errorMessage } from '../errors.js';
import { findCatalogApp } from '../graph/catalog.js';
import { findInstallation, getInstallationChatId } from '../graph/installed-apps.js';
import { getUser } from '../graph/users.js';
import { tenantServiceUrl } from '../references/tenant-service-url.js';
import { SAMPLE_PERSON } from '../sender/card.js';
import { classifySendFailure } from '../sender/classify-send-failure.js';
import { describeDatabase } from '../store/database-url.js';
import type { ConversationReferenceRow } from '../store/types.js';
import { configFor, loadEnvironment } from './env.js';
import { renderCardPreview, renderCardPreviewNote, renderTestSend, type PreviewPerson, type TestSendView } from './render-card.js';

/**
 * `welcome --preview [--person UPN]` and `welcome --test-to UPN`: see the card before a rollout sends
 * it. Neither records anything: the ledger is opened read-only-or-absent (a missing one is not
 * created, store/open.ts), no rollout row is written and no person's state changes.
 */
export interface CardCheckOptions {
  card?: string | undefined;
  output: 'text' | 'json';
  verbose?: boolean | undefined;
}

interface Person extends PreviewPerson {
  id: string;
}

export async function runWelcomePreview(o: CardCheckOptions & { person?: string | undefined }): Promise<number> {
  const env = loadEnvironment();
  const config = configFor([], env);
  const core = await createCoreDeps(config, { verbose: o.verbose, readOnly: true });
  try {
    const graph = await optionalGraph(core, env);
    // The app's name as the sender gets it, without caching anything: one catalogue read.
    const appName = graph && config.teamsAppId ? (await findCatalogApp(graph.graph, config.teamsAppId)).displayName : 'the app';
    const card = welcomeCardFor(config, appName, o.card);
    const person: Person = o.person ? await findPerson(core, graph, o.person) : { id: '', userPrincipalName: null, ...SAMPLE_PERSON, from: 'sample' };
    const composed = card.compose(person);
    let rendered: Record<string, unknown> | null = null;
    try {
      const activity = card.render(person) as { attachments?: { content?: Record<string, unknown> }[] };
      rendered = activity.attachments?.[0]?.content ?? null;
    } catch {
      rendered = null; // compose says why
    }
    const view = { person: publicPerson(person), template: card.source, card: rendered, problems: composed.ok ? [] : composed.problems };
    process.stdout.write(`${renderCardPreview(view, o.output)}\n`);
    if (o.output === 'text') process.stderr.write(`${renderCardPreviewNote(view)}\n`);
    return composed.ok ? 0 : 1;
  } finally {
    await core.store.close();
  }
}

export async function runWelcomeTestTo(o: CardCheckOptions & { testTo: string }): Promise<number> {
  const env = loadEnvironment();
  const config = configFor(['bot'], env);
  const core = await createCoreDeps(config, { verbose: o.verbose, readOnly: true });
  try {
    const graph = await optionalGraph(core, env);
    const bot = await createBotDeps(core, graph, { cardPath: o.card });
    const person = await findPerson(core, graph, o.testTo);
    const tenantId = tenantOf(core, graph);
    const found = await chatWith(core, graph, tenantId, person);
    const base = { to: person.userPrincipalName ?? o.testTo, displayName: person.displayName, conversationId: found.ref.conversationId, chatFrom: found.from, template: bot.card.source };
    const composed = bot.card.compose(person);
    let outcome: TestSendView['outcome'];
    if (!composed.ok) {
      outcome = { sent: false, reason: 'card_incomplete', problems: composed.problems };
    } else {
      try {
        outcome = { sent: true, activityId: (await bot.send(found.ref, composed.activity)).id };
      } catch (e) {
        // One attempt, no retry: a test send is for looking at the card, and says at once what came back.
        const verdict = classifySendFailure(e, core.clock.now());
        if (verdict.kind === 'retry') {
          const f = verdict.failure;
          outcome = { sent: false, reason: f.kind === 'network' ? 'network_error' : f.status === 429 ? 'throttled' : 'service_error', detail: verdict.detail };
        } else if (verdict.kind === 'unconfirmed') outcome = { sent: false, reason: 'network_error', detail: `${verdict.detail}; it may have arrived` };
        else outcome = { sent: false, reason: verdict.refusal.reason, detail: verdict.refusal.detail ?? '' };
      }
    }
    process.stdout.write(`${renderTestSend({ ...base, outcome }, o.output)}\n`);
    return outcome.sent ? 0 : 1;
  } finally {
    await core.store.close();
  }
}

async function optionalGraph(core: CoreDeps, env: Record<string, string | undefined>): Promise<GraphDeps | undefined> {
  if (parseConfig(env, new Set(['graph', 'app'])).errors.length) return undefined;
  try {
    return await createGraphDeps(core);
  } catch (e) {
    process.stderr.write(`warning: Graph is not available (${errorMessage(e).split('\n')[0]}); people are looked up in the ledger only.\n`);
    return undefined;
  }
}

const tenantOf = (core: CoreDeps, graph: GraphDeps | undefined) => graph?.tenantId ?? core.config.bot.appTenantId ?? core.config.graph.tenantId ?? '';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The person as the sender would render them: their ledger row first (the sender reads it), else the directory. */
async function findPerson(core: CoreDeps, graph: GraphDeps | undefined, who: string): Promise<Person> {
  const tenantId = tenantOf(core, graph);
  const row = GUID.test(who) ? await core.store.getUser(tenantId, who) : (await core.store.getUsersByUpn(tenantId, [who]))[0];
  if (row) return { id: row.aadObjectId, userPrincipalName: row.userPrincipalName, displayName: row.displayName, locale: row.locale, from: 'ledger' };
  const u = graph ? await getUser(graph.graph, who) : undefined;
  if (u) return { id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, locale: u.preferredLanguage, from: 'directory' };
  const ledger = describeDatabase(core.config.databaseUrl, process.cwd());
  throw new UsageError(
    graph
      ? `"${who}" is neither in the ledger (${ledger}) nor in the directory: check the UPN (or object id).`
      : `"${who}" is not in the ledger (${ledger}), and Graph is not configured to look them up in the directory: check the UPN, or set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and TEAMS_APP_ID.`,
  );
}

/**
 * The person's 1:1 chat with the bot, read without writing: the reference in the ledger, else the
 * installation's chat through Graph (wire-facts A4; the same look-up as references/resolve-via-graph.ts,
 * which also stores it, and a test send stores nothing).
 */
async function chatWith(core: CoreDeps, graph: GraphDeps | undefined, tenantId: string, person: Person): Promise<{ ref: ConversationReferenceRow; from: 'ledger' | 'graph' }> {
  const stored = await core.store.getReference(tenantId, person.id);
  if (stored) return { ref: stored, from: 'ledger' };
  const installation = graph?.catalog ? await findInstallation(graph.graph, person.id, (await graph.catalog.current()).id) : undefined;
  if (!installation) {
    throw new UsageError(
      `${person.userPrincipalName ?? person.id} has no chat with the bot yet${graph?.catalog ? ' (the app is not installed for them)' : ' in the ledger, and Graph is not configured to find one'}: a test send needs it. Install the app for them first, e.g. \`install --users FILE --no-welcome\` with their UPN in FILE; then run --test-to again.`,
    );
  }
  const chatId = await getInstallationChatId(graph!.graph, person.id, installation.id);
  return { ref: { tenantId, aadObjectId: person.id, conversationId: chatId, serviceUrl: await tenantServiceUrl(core.store, tenantId, core.config.proactiveServiceUrl), userId: null, botId: null, source: 'graph', capturedAt: core.clock.now() }, from: 'graph' };
}

const publicPerson = (p: Person): PreviewPerson => ({ userPrincipalName: p.userPrincipalName, displayName: p.displayName, locale: p.locale, from: p.from });
