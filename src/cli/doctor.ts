import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { createCredentialsFactory } from '../bot/credentials-factory.js';
import { createSystemClock } from '../clock.js';
import { parseConfig } from '../config.js';
import { runChecks } from '../doctor/run-checks.js';
import { loadEnvironment } from './env.js';
import { renderDoctor } from './render-doctor.js';

export interface DoctorCliOptions {
  endpoint?: string;
  output: 'text' | 'json';
}

/** `teams-rollout doctor`: every check with ✔/✘ and the fix. Exit 0 when all pass, 1 when one fails, 2 when configuration is missing. */
export async function runDoctorCommand(o: DoctorCliOptions): Promise<number> {
  const env = loadEnvironment();
  const { config, errors } = parseConfig(env, new Set(['graph', 'app', 'bot']));
  const endpoint = o.endpoint ?? (env.PORT || env.HOST ? `http://${config.serve.host === '0.0.0.0' ? '127.0.0.1' : config.serve.host}:${config.serve.port}/api/messages` : undefined);
  const checks = await runChecks({
    config,
    configErrors: errors,
    clock: createSystemClock(),
    endpoint,
    botToken: async () => {
      const b = config.bot;
      const factory =
        createCredentialsFactory(b) ??
        new ConfigurationServiceClientCredentialFactory({ MicrosoftAppId: b.appId, MicrosoftAppPassword: b.appPassword, MicrosoftAppType: b.appType, MicrosoftAppTenantId: b.appTenantId });
      const login = b.loginUrl ?? `https://login.microsoftonline.com/${b.appType === 'MultiTenant' ? 'botframework.com' : b.appTenantId}`;
      const creds = (await factory.createCredentials(b.appId!, b.oauthScope ?? 'https://api.botframework.com', login, true)) as { getToken?: (force?: boolean) => Promise<string> };
      if (!creds.getToken) throw new Error('the credentials factory gave no token source');
      return creds.getToken(true);
    },
  });
  process.stdout.write(`${renderDoctor(checks, o.output)}\n`);
  if (errors.length) return 2;
  return checks.some((c) => c.ok === false) ? 1 : 0;
}
