import { fstatSync } from 'node:fs';
import { createLogger, type Logger } from '../log.js';
import { parentGone } from './parent-watch.js';
import { UsageError } from '../errors.js';
import { startTenant, type RunningTenant } from '../simulator/server.js';
import { SERVICE_URL_FORMS, type ServiceUrlForm } from '../simulator/env.js';
import type { ConversationIdForm } from '../simulator/env.js';
import type { SimCloudName } from '../simulator/cloud.js';
import type { Output } from './output-schemas.js';

/** The flags of `teams-rollout simulate`, as commander hands them over (strings). */
export interface SimulateOptions {
  users?: string;
  seed?: string;
  faults?: string;
  limits?: string;
  botEndpoint?: string;
  roles?: string;
  port?: string;
  httpsPort?: string;
  host?: string;
  /** a, unq or mixed (commander checked the choice; startTenant checks it again for other callers). */
  conversationIds?: string;
  /** Public, GCC, GCCHigh or DoD (commander checked the choice; startTenant checks it again). */
  cloud?: string;
  serviceUrl?: string;
  verbose?: boolean;
}

export interface SimulateDeps {
  /** Where the ready line goes. @default process.stdout */
  writeLine?: (line: string) => void;
  log?: Logger;
  /** Resolves when the tenant should stop. @default the first SIGINT or SIGTERM */
  until?: Promise<unknown>;
}

const MAX_USERS = 1_000_000;

/**
 * Runs the simulated tenant until SIGINT/SIGTERM. Prints exactly one line of JSON to stdout when ready,
 * `{"env":{…},"inspectUrl","tenantId","teamsAppId"}` (checks/README.md); diagnostics go to stderr.
 */
export async function runSimulate(options: SimulateOptions, deps: SimulateDeps = {}): Promise<void> {
  const log = deps.log ?? createLogger(options.verbose ? 'debug' : 'warn');
  const parsed = {
    users: wholeNumber('--users', options.users ?? '1000', 1, MAX_USERS),
    seed: options.seed ?? '1',
    httpPort: wholeNumber('--port', options.port ?? '0', 0, 65535),
    httpsPort: wholeNumber('--https-port', options.httpsPort ?? '0', 0, 65535),
    roles: options.roles?.split(',').map((r) => r.trim()).filter(Boolean),
    botEndpoint: options.botEndpoint,
    serviceUrl: serviceUrlForm(options.serviceUrl),
    conversationIds: options.conversationIds as ConversationIdForm | undefined,
    cloud: options.cloud as SimCloudName | undefined,
  };
  if (parsed.botEndpoint !== undefined && !URL.canParse(parsed.botEndpoint)) throw new UsageError(`--bot-endpoint: "${parsed.botEndpoint}" is not a URL, e.g. http://127.0.0.1:3978/api/messages`);
  let tenant: RunningTenant;
  try {
    tenant = await startTenant({ ...parsed, faults: options.faults, limits: options.limits, host: options.host, log: log.child('simulator') });
  } catch (e) {
    // parseFaults/parseLimits/startTenant name the flag at the start of their message.
    if (e instanceof Error && /^--(faults|limits|users|conversation-ids|cloud)\b/.test(e.message)) throw new UsageError(e.message);
    const busy = e as { code?: string; port?: number; address?: string };
    // listen(2): EADDRNOTAVAIL when the address is not one of this machine's.
    if (busy?.code === 'EADDRNOTAVAIL') throw new UsageError(`--host: ${busy.address} is not an address of this machine; use 127.0.0.1 (the default), 0.0.0.0 for every interface, or one of this machine's own addresses`);
    if (busy?.code === 'EADDRINUSE') throw new UsageError(`--port/--https-port: ${busy.address}:${busy.port} is already in use; choose another port, or 0 for any free one`);
    throw e;
  }
  const until = deps.until ?? Promise.race([firstSignal(), readerGone()]);
  const ready: Output<'simulate'> = { env: tenant.env, inspectUrl: tenant.inspectUrl, tenantId: tenant.tenantId, teamsAppId: tenant.teamsAppId };
  (deps.writeLine ?? ((line) => process.stdout.write(`${line}\n`)))(JSON.stringify(ready));
  process.stderr.write(`simulated tenant: ${parsed.users} users, Graph ${tenant.urls.graph}, inspection ${tenant.inspectUrl}. Ctrl-C stops it.\n`);
  await until;
  await tenant.stop();
}

function serviceUrlForm(raw: string | undefined): ServiceUrlForm | undefined {
  if (raw === undefined) return undefined;
  if ((SERVICE_URL_FORMS as readonly string[]).includes(raw)) return raw as ServiceUrlForm;
  throw new UsageError(`--service-url: expected ${SERVICE_URL_FORMS.join(' or ')}, got "${raw}" (tenant = …/amer/{tenantId}/ as Teams sends today; regional = …/amer/)`);
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/**
 * When a program reads the ready line through a pipe and then dies without stopping us (the acceptance
 * checks exit straight after their verdict), nobody can reach this tenant any more: stop rather than linger
 * as an orphan holding ports and memory. Only with stdout on a pipe, so `nohup simulate > file &` stays up.
 */
function readerGone(): Promise<'parent-gone'> {
  return new Promise((resolve) => {
    let pipe = false;
    try {
      const out = fstatSync(1);
      pipe = out.isFIFO() || out.isSocket(); // a shell pipe is a FIFO; Node's child_process uses a socket pair
    } catch {
      // no stdout at all: nothing to watch
    }
    if (!pipe) return;
    void parentGone().then(() => resolve('parent-gone'));
  });
}

function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
