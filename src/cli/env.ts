import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { ConfigError } from '../errors.js';
import { parseConfig, type Config, type Need } from '../config.js';
import { defaultLedgerPath } from '../store/default-ledger.js';

/**
 * The environment, with a `.env` file in the working directory filling what is not set
 * (variables already in the environment win, as dotenv does by default).
 */
export function loadEnvironment(cwd = process.cwd()): Record<string, string | undefined> {
  const file = path.join(cwd, '.env');
  const fromFile = existsSync(file) ? dotenv.parse(readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

/** Parses the configuration for a command, or throws one ConfigError listing every problem (exit 2). */
export function configFor(needs: Need[], env = loadEnvironment()): Config {
  const { config, errors, warnings } = parseConfig(env, new Set(needs));
  if (errors.length) throw new ConfigError(errors);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  return withDefaultLedger(config, env);
}

/**
 * DATABASE_URL, or the default ledger: the user's data folder, named by tenant and app, so the same
 * tenant and app find the same ledger from any folder (issue 11 major 6).
 */
export function withDefaultLedger(config: Config, env: Record<string, string | undefined>): Config {
  if (config.databaseUrl) return config;
  const databaseUrl = defaultLedgerPath({ tenant: config.graph.tenantId ?? config.bot.appTenantId, appId: config.teamsAppId, platform: process.platform, env, homedir: os.homedir() });
  return { ...config, databaseUrl };
}
