import path from 'node:path';

/**
 * Where the ledger lives when DATABASE_URL is not set (issue 11 major 6): one place per user, per
 * tenant and per app, whatever folder the command runs from. A ledger beside the working folder
 * (the old `./teams-rollout.db`) moved with `cd`, and every new folder welcomed everyone again.
 */
export interface DefaultLedgerInputs {
  /** AZURE_TENANT_ID (or MicrosoftAppTenantId) as configured. */
  tenant: string | undefined;
  /** TEAMS_APP_ID as configured. */
  appId: string | undefined;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

/** The user's data folder, as each platform names it (XDG Base Directory on Linux and the other Unixes). */
export function userDataFolder(platform: NodeJS.Platform, env: Record<string, string | undefined>, homedir: string): string {
  if (platform === 'win32') return env.LOCALAPPDATA || path.win32.join(homedir, 'AppData', 'Local');
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support');
  // The XDG spec ignores a relative XDG_DATA_HOME ("all paths … must be absolute").
  const xdg = env.XDG_DATA_HOME;
  return xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.local', 'share');
}

/** The folder that holds every default ledger: `<user data folder>/teams-rollout`. */
export function ledgerFolder(platform: NodeJS.Platform, env: Record<string, string | undefined>, homedir: string): string {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(userDataFolder(platform, env, homedir), 'teams-rollout');
}

/** A name part safe in a file name on every platform: lower case, letters, digits, '.' and '-' only. */
const part = (value: string | undefined, missing: string) => {
  const v = value?.trim().toLowerCase().replace(/[^a-z0-9.-]+/g, '_').replace(/^\.+/, '');
  return v ? v : missing;
};

/** Pure: `<user data folder>/teams-rollout/<tenant>-<TEAMS_APP_ID>.db`. */
export function defaultLedgerPath(i: DefaultLedgerInputs): string {
  const join = i.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(ledgerFolder(i.platform, i.env, i.homedir), `${part(i.tenant, 'no-tenant')}-${part(i.appId, 'no-app')}.db`);
}
