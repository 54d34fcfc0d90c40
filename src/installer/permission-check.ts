import { checkRoles, ROLE_NEEDS, rolesOfToken } from '../graph/roles.js';

/** What a run's targets need from Graph besides installing and finding the app. */
export interface TargetNeeds {
  /** --all-users, --users or --since-last: the directory is listed or searched. */
  people: boolean;
  /** --group or --exclude-group: group members are listed. */
  groups: boolean;
}

/**
 * The roles claim of a Graph token, or null when the token cannot be read (an opaque token: then the
 * run goes on and Graph's own 403 decides). Entra app-only tokens are JWTs whose `roles` claim lists
 * the application permissions granted with admin consent; with none granted the claim is absent.
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims
 */
export function readableRoles(token: string): string[] | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return rolesOfToken(token);
}

/**
 * The permissions a run would miss, before its first Graph call (issue 11 major 3: without
 * TeamsAppInstallation.* every person cost one 403). Pure: roles in, one message per missing need out.
 */
export function missingPermissions(granted: readonly string[], needs: TargetNeeds, clientId: string): string[] {
  const verdicts = checkRoles(granted);
  const wanted = (what: string) => {
    const need = ROLE_NEEDS.find((n) => n.what === what)!;
    if (need.what.startsWith('list people')) return needs.people;
    if (need.what.startsWith('list group')) return needs.groups;
    return true;
  };
  return verdicts
    .filter((v) => !v.ok && wanted(v.need.what))
    .map((v) => `to ${v.need.what}, grant the Microsoft Graph application permission ${v.need.anyOf[0]} (or one of ${v.need.anyOf.slice(1).join(', ')}) to app ${clientId}`);
}

export function missingPermissionMessage(problems: string[], granted: readonly string[]): string {
  return [
    `The Graph token carries ${granted.length ? granted.join(', ') : 'no application permissions'}; this run would be refused:`,
    ...problems.map((p) => `  - ${p}`),
    'Fix: Entra admin center → App registrations → your app → API permissions → add them → "Grant admin consent", then run the same command again (`teams-rollout doctor` checks it). Nothing was changed.',
  ].join('\n');
}
