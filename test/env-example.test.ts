import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import dotenv from 'dotenv';
import { describeVariables, parseConfig } from '../src/config.js';

/**
 * `.env.example` (issue 11): every variable the configuration reads is in it, nothing else is, and
 * what it sets or shows commented parses as the product would read it.
 */
describe('.env.example', () => {
  const text = readFileSync('.env.example', 'utf8');
  const set = dotenv.parse(text);
  /** `# NAME=value` lines: the defaults and examples shown commented. */
  const commented = Object.fromEntries(
    [...text.matchAll(/^# ?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.replace(/^"(.*)"$/, '$1')]),
  );
  const known = describeVariables().map((v) => v.name);

  it('names every configuration variable, set or commented', () => {
    const named = new Set([...Object.keys(set), ...Object.keys(commented)]);
    expect(known.filter((n) => !named.has(n)), 'missing from .env.example').to.deep.equal([]);
  });

  it('names no variable the configuration does not read (a typo would be silently ignored)', () => {
    const named = [...Object.keys(set), ...Object.keys(commented)];
    expect(named.filter((n) => !known.includes(n))).to.deep.equal([]);
  });

  it('its values, the commented ones included, parse without an error for install and serve', () => {
    // Secrets are placeholders; the point is that every shape (GUIDs, URLs, numbers, enums) is one the product accepts.
    const env = { ...commented, ...set, AZURE_USE_MANAGED_IDENTITY: 'false', AZURE_CLIENT_CERTIFICATE_PATH: '' };
    const { errors } = parseConfig(env, new Set(['graph', 'bot', 'app']));
    expect(errors).to.deep.equal([]);
  });

  it('each commented default is the default the product uses', () => {
    const defaults = parseConfig({}, new Set()).config;
    expect(Number(commented.GRAPH_INSTALLEDAPPS_POST_RPS)).to.equal(defaults.limits.graphPostRps);
    expect(Number(commented.GRAPH_INSTALLEDAPPS_GET_RPS)).to.equal(defaults.limits.graphGetRps);
    expect(Number(commented.GRAPH_DIRECTORY_RPS)).to.equal(defaults.limits.graphDirectoryRps);
    expect(Number(commented.BOT_SEND_RPS)).to.equal(defaults.limits.botRps);
    expect(Number(commented.BOT_SEND_PER_CONVERSATION_RPS)).to.equal(defaults.limits.botPerConversationRps);
    expect(Number(commented.RETRY_MAX_ATTEMPTS)).to.equal(defaults.retryMaxAttempts);
    expect(commented.HOST).to.equal(defaults.serve.host);
    expect(Number(commented.PORT)).to.equal(defaults.serve.port);
    expect(commented.LOG_LEVEL).to.equal(defaults.logLevel);
    expect(commented.LOG_FORMAT).to.equal(defaults.logFormat);
    expect(commented.MicrosoftAppType).to.equal(defaults.bot.appType);
    expect(commented.GRAPH_BASE_URL).to.equal(defaults.graph.baseUrl);
    expect(commented.AZURE_AUTHORITY_HOST).to.equal(defaults.graph.authorityHost);
    expect(commented.TEAMS_PROACTIVE_SERVICE_URL).to.equal(defaults.proactiveServiceUrl);
  });
});
