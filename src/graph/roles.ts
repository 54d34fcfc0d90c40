/**
 * The Graph application permissions a rollout needs, least privileged first (wire-facts A5;
 * https://learn.microsoft.com/graph/api/userteamwork-post-installedapps#permissions), and a pure
 * check of the roles a token carries against them.
 */
export interface RoleNeed {
  what: string;
  /** Any of these is enough; the first is the least privileged. */
  anyOf: string[];
  /** Needed only for some targets (e.g. --group). */
  optional?: boolean;
  note?: string;
}

export const ROLE_NEEDS: RoleNeed[] = [
  {
    what: 'install the app for people',
    anyOf: ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All', 'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All', 'TeamsAppInstallation.ReadWriteAndConsentForUser.All'],
    note: 'the Self permission installs only your own app: its manifest must have webApplicationInfo.id = this app registration',
  },
  { what: 'find the app in the org catalogue', anyOf: ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All'] },
  { what: 'list people (--all-users, --users, --since-last)', anyOf: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  { what: 'list group members (--group, --exclude-group)', anyOf: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'], optional: true },
];

export interface RoleVerdict {
  need: RoleNeed;
  ok: boolean;
  /** The granted role that satisfies the need, if any. */
  satisfiedBy: string | null;
  /** A more privileged role than needed was used. */
  broaderThanNeeded: boolean;
}

export function checkRoles(granted: readonly string[]): RoleVerdict[] {
  const set = new Set(granted);
  return ROLE_NEEDS.map((need) => {
    const satisfiedBy = need.anyOf.find((r) => set.has(r)) ?? null;
    return { need, ok: !!satisfiedBy, satisfiedBy, broaderThanNeeded: !!satisfiedBy && satisfiedBy !== need.anyOf[0] };
  });
}

/** The roles claim of an Entra access token (a JWT); empty when the token is opaque. */
export function rolesOfToken(token: string): string[] {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
