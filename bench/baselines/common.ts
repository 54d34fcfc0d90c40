/**
 * What both baselines share, written the way their authors would: the Graph client with its DEFAULT
 * middleware chain (authentication → RetryHandler: 3 retries on 429/503/504 honouring Retry-After →
 * redirect → telemetry → fetch), the whole directory listed page by page, the app looked up in the
 * catalogue by its manifest id. Settings come from the same environment our CLI reads (the simulated
 * tenant's `env`); nothing here paces anything.
 */
import { ClientSecretCredential } from '@azure/identity';
import { Client, type GraphError } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { parseConfig, type Config } from '../../src/config.js';

export function baselineConfig(): Config {
  const { config, errors } = parseConfig(process.env, new Set(['graph', 'app', 'bot']));
  if (errors.length) throw new Error(`baseline configuration: ${errors.join('; ')}`);
  return config;
}

/** Numbers the parent passes (bench/runners/baseline.ts). */
export function benchSetting(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
}

export function defaultGraphClient(config: Config): Client {
  const g = config.graph;
  // The simulated tenant's authority is not one MSAL knows: instance discovery off, as anyone offline must.
  const credential = new ClientSecretCredential(g.tenantId!, g.clientId!, g.clientSecret!, { authorityHost: g.authorityHost, disableInstanceDiscovery: true });
  const base = new URL(g.baseUrl);
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] }),
    baseUrl: `${base.origin}/`,
    customHosts: new Set([base.hostname]),
  });
}

export interface Person {
  id: string;
  userPrincipalName: string;
  userType: string | null;
}

/** GET /users, 999 a page, following @odata.nextLink. */
export async function listUsers(client: Client): Promise<Person[]> {
  const out: Person[] = [];
  let body = (await client.api('/users').select('id,userPrincipalName,userType').top(999).get()) as { value: Person[]; '@odata.nextLink'?: string };
  for (;;) {
    out.push(...body.value);
    const next = body['@odata.nextLink'];
    if (!next) return out;
    body = await client.api(next).get();
  }
}

/** The catalogue id of the app whose manifest id is `manifestId` (wire-facts A1). */
export async function catalogAppId(client: Client, manifestId: string): Promise<string> {
  const body = (await client.api('/appCatalogs/teamsApps').filter(`externalId eq '${manifestId}'`).get()) as { value: { id: string }[] };
  if (!body.value[0]) throw new Error(`app ${manifestId} is not in the catalogue`);
  return body.value[0].id;
}

export const installBody = (appId: string) => ({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${appId}` });

/** The HTTP status behind a Graph or Bot Connector error, or `network:<code>` / a short name for the rest. */
export function statusOf(e: unknown): string {
  const err = e as Partial<GraphError> & { failure?: { status?: number; kind?: string; code?: string | null }; response?: { status?: number }; code?: string; cause?: unknown };
  const status = err?.statusCode ?? err?.failure?.status ?? err?.response?.status;
  if (typeof status === 'number' && status > 0) return String(status);
  if (err?.failure?.kind === 'network') return `network:${err.failure.code ?? 'error'}`;
  // fetch (undici) failures: "TypeError: fetch failed" with the system error as its cause.
  let cause: unknown = err?.cause;
  for (let depth = 0; cause && depth < 3; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return `network:${code}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  // The Graph client keeps only the name and message of a fetch failure (GraphErrorHandler.constructError).
  if (/fetch failed/i.test((e as Error)?.message ?? '')) return 'network:fetch-failed';
  return err?.code ?? (e as Error)?.name ?? 'error';
}

export class Tally {
  readonly counts: Record<string, number> = {};
  add(key: string | number): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The one line the parent reads: the baseline's own account of what it did. */
export function printResult(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export const WELCOME_TEXT = 'Welcome! Contoso Helper is now in your Teams. Reply "help" to see what it can do, or "stop" to hear no more from it.';
