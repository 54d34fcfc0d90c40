import { botTokenSource } from '../bot/bot-token.js';
import { createSystemClock } from '../clock.js';
import { parseConfig } from '../config.js';
import { runChecks } from '../doctor/run-checks.js';
import { describeDatabase } from '../store/database-url.js';
import { UsageError } from '../errors.js';
import { createOutboundFetch } from '../net/outbound-fetch.js';
import { loadEnvironment, withDefaultLedger } from './env.js';
import { renderDoctor } from './render-doctor.js';

export interface DoctorCliOptions {
  endpoint?: string;
  output: 'text' | 'json';
}

/** `teams-rollout doctor`: every check with ✔/✘ and the fix. Exit 0 when all pass, 1 when one fails, 2 when configuration is missing. */
export async function runDoctorCommand(o: DoctorCliOptions): Promise<number> {
  if (o.endpoint !== undefined && !(URL.canParse(o.endpoint) && /^https?:$/.test(new URL(o.endpoint).protocol))) {
    throw new UsageError(`--endpoint: "${o.endpoint}" is not an http(s) URL; give the bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages`);
  }
  const env = loadEnvironment();
  const { config, errors, warnings } = parseConfig(env, new Set(['graph', 'app', 'bot']));
  const endpoint = o.endpoint ?? (env.PORT || env.HOST ? `http://${config.serve.host === '0.0.0.0' ? '127.0.0.1' : config.serve.host}:${config.serve.port}/api/messages` : undefined);
  const fetch = createOutboundFetch(config.proxy);
  const bot = botTokenSource(config.bot, { fetch, proxy: config.proxy });
  const checks = await runChecks({
    config,
    configErrors: errors,
    configWarnings: warnings,
    clock: createSystemClock(),
    endpoint,
    fetch,
    botToken: () => bot.getToken({ fresh: true }),
    botLoginUrl: bot.loginUrl,
  });
  let ledger: string | undefined;
  try {
    ledger = describeDatabase(withDefaultLedger(config, env).databaseUrl, process.cwd());
  } catch {
    ledger = undefined; // a DATABASE_URL of a form we do not know: the configuration check says so
  }
  process.stdout.write(`${renderDoctor(checks, o.output, ledger)}\n`);
  if (errors.length) return 2;
  return checks.some((c) => c.ok === false) ? 1 : 0;
}
