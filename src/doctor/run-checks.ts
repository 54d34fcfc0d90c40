import type { Config } from '../config.js';
import { tokenRefusalCheckFix } from './token-fix.js';
import { errorMessage } from '../errors.js';
import { createGraphClient } from '../graph/client.js';
import { createGraphCredential } from '../graph/credential.js';
import { findCatalogApp } from '../graph/catalog.js';
import { DEFAULT_RETRY_POLICY } from '../pace/retry-policy.js';
import type { Clock } from '../clock.js';
import { checkRoles, rolesOfToken } from '../graph/roles.js';
import { untrustedCertificate } from '../net/tls-trust.js';
import { createFetchHttpClient } from '../net/fetch-http-client.js';
import type { Fetch } from '../net/outbound-fetch.js';
import { outboundLoginUrl } from '../bot/credentials-factory.js';
import { networkCheck } from './network.js';
import { cloudCheck } from './cloud.js';

export interface Check {
  name: string;
  ok: boolean | 'skipped' | 'warn';
  detail: string;
  fix?: string;
}

export interface DoctorDeps {
  config: Config;
  configErrors: string[];
  /** parseConfig's warnings (rates far above the published limits). @default [] */
  configWarnings?: string[];
  clock: Clock;
  /** Gets an outbound Bot Framework token (botbuilder's own credentials), or throws. */
  botToken: () => Promise<string>;
  /** The authority the bot token comes from, to tell an untrusted certificate from a wrong secret. */
  botLoginUrl?: string;
  /** The messaging endpoint to probe. */
  endpoint: string | undefined;
  /** What the Graph token and Graph calls are sent with (net/outbound-fetch.ts). @default Node's global fetch */
  fetch?: Fetch;
}

const first = (e: unknown) => errorMessage(e).split('\n')[0]!.slice(0, 300);

/**
 * `doctor`'s checks, in order, each with what it found and the fix (PRODUCT.md §3). A check that
 * depends on a failed one is skipped, not failed twice.
 */
export async function runChecks(d: DoctorDeps): Promise<Check[]> {
  const { config } = d;
  const checks: Check[] = [];
  checks.push(
    d.configErrors.length
      ? { name: 'configuration', ok: false, detail: d.configErrors.join('\n'), fix: 'set the variables named above (environment or .env)' }
      : { name: 'configuration', ok: true, detail: `tenant ${config.graph.tenantId}, Graph app ${config.graph.clientId}, bot ${config.bot.appId}, TEAMS_APP_ID ${config.teamsAppId}` },
  );
  if (d.configErrors.length) return checks;
  checks.push(networkCheck(config, d.botLoginUrl ?? outboundLoginUrl(config.bot)));
  checks.push(cloudCheck(config, d.botLoginUrl ?? outboundLoginUrl(config.bot)));
  // The cloud's own warnings are in its check above.
  const rateWarnings = (d.configWarnings ?? []).filter((w) => !w.startsWith('TEAMS_CLOUD='));
  if (rateWarnings.length) checks.push({ name: 'rate limits', ok: 'warn', detail: rateWarnings.join('\n'), fix: 'unset the rate variables named above to pace at the published limits' });

  let token: string | undefined;
  const credential = createGraphCredential(config.graph, d.fetch ? createFetchHttpClient(d.fetch) : undefined);
  try {
    token = (await credential.getToken(config.graph.scope))?.token;
    const carried = token ? rolesOfToken(token) : [];
    checks.push({ name: 'Graph token', ok: !!token, detail: token ? `obtained from ${config.graph.authorityHost}, carrying ${carried.length ? carried.join(', ') : 'no application roles'}` : 'no token returned' });
  } catch (e) {
    const tls = await untrustedCertificate(config.graph.authorityHost);
    checks.push(
      tls
        ? { name: 'Graph token', ok: false, detail: `${first(e)}: ${tls.split(' — ')[0]}`, fix: tls.split(' — ')[1] }
        : { name: 'Graph token', ok: false, detail: first(e), fix: tokenRefusalCheckFix(errorMessage(e), 'graph', config.cloud) },
    );
  }
  if (token) {
    const roles = rolesOfToken(token);
    for (const v of checkRoles(roles)) {
      const least = v.need.anyOf[0]!;
      if (v.ok) {
        checks.push({ name: `permission to ${v.need.what}`, ok: v.broaderThanNeeded ? 'warn' : true, detail: `${v.satisfiedBy}${v.broaderThanNeeded ? ` (broader than needed: ${least} is enough)` : ''}${v.need.note && v.satisfiedBy === least ? `; ${v.need.note}` : ''}` });
      } else {
        checks.push({
          name: `permission to ${v.need.what}`,
          ok: v.need.optional ? 'warn' : false,
          detail: `missing: the token carries ${roles.length ? roles.join(', ') : 'no roles'}`,
          fix: `grant the Microsoft Graph application permission ${least} to app ${config.graph.clientId} (Entra admin center → App registrations → API permissions), then "Grant admin consent"`,
        });
      }
    }
    const graph = createGraphClient({ credential, baseUrl: config.graph.baseUrl, scope: config.graph.scope, fetch: d.fetch, buckets: {}, clock: d.clock, policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 } });
    try {
      const app = await findCatalogApp(graph, config.teamsAppId!);
      const botMatches = !app.botId || !config.bot.appId || app.botId === config.bot.appId;
      checks.push({ name: 'app in the org catalogue', ok: botMatches ? true : false, detail: `"${app.displayName}" ${app.version ?? ''} published, catalogue id ${app.id}${app.botId ? `, bot ${app.botId}` : ''}`, fix: botMatches ? undefined : `the app's bot is ${app.botId} but MicrosoftAppId is ${config.bot.appId}: use the bot of the manifest` });
    } catch (e) {
      checks.push({ name: 'app in the org catalogue', ok: false, detail: first(e) });
    }
  } else checks.push({ name: 'app in the org catalogue', ok: 'skipped', detail: 'needs a Graph token' });

  try {
    await d.botToken();
    checks.push({ name: 'bot token', ok: true, detail: `obtained for ${config.bot.appId} (${config.bot.appType})` });
  } catch (e) {
    const tls = await untrustedCertificate(d.botLoginUrl ?? '');
    checks.push(
      tls
        ? { name: 'bot token', ok: false, detail: `${first(e)}: ${tls.split(' — ')[0]}`, fix: tls.split(' — ')[1] }
        : { name: 'bot token', ok: false, detail: first(e), fix: tokenRefusalCheckFix(errorMessage(e), 'bot', config.cloud) },
    );
  }

  checks.push(await probeEndpoint(d.endpoint, d.fetch ?? globalThis.fetch));
  return checks;
}

/** The bot endpoint answers /healthz, and refuses an activity without a token with 401. */
async function probeEndpoint(endpoint: string | undefined, fetch: Fetch): Promise<Check> {
  // Not a failure (doctor may run where serve does not), but not a pass either: nothing was checked.
  if (!endpoint) return { name: 'bot endpoint', ok: 'warn', detail: 'not checked: no endpoint given (nor PORT/HOST)', fix: 'pass --endpoint https://your-bot.example.com/api/messages' };
  try {
    const health = await fetch(new URL('/healthz', endpoint), { signal: AbortSignal.timeout(5000) });
    const post = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', channelId: 'msteams', text: 'doctor' }), signal: AbortSignal.timeout(5000) });
    if (post.status === 401) return { name: 'bot endpoint', ok: true, detail: `${endpoint} is up (healthz ${health.status}) and refuses unauthenticated activities (401)` };
    return { name: 'bot endpoint', ok: false, detail: `${endpoint} answered ${post.status} to an activity without a token`, fix: post.status < 300 ? 'it accepts unauthenticated activities: set MicrosoftAppId on the bot (local-emulator mode is for loopback only)' : 'is this the teams-rollout serve endpoint?' };
  } catch (e) {
    return { name: 'bot endpoint', ok: false, detail: `${endpoint}: ${first(e)}`, fix: 'start `teams-rollout serve` (and check the Azure Bot messaging endpoint points at it)' };
  }
}
