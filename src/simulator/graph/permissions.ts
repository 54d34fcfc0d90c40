/**
 * Which application roles each call accepts (wire-facts A5, from the "Permissions" section of each
 * Graph API reference page). The *Self* roles manage only the calling app's own Teams app: the one
 * whose manifest `webApplicationInfo.id` is the token's appid (wire-facts A3, graph-docs-contrib#478).
 */
export const ROLES = {
  appCatalogRead: ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All'],
  /** userteamwork-list-installedapps.md; newer pages add ReadSelfForUser.All, Read.All and ReadWrite.All. */
  installedAppsRead: [
    'TeamsAppInstallation.ReadForUser.All',
    'TeamsAppInstallation.ReadSelfForUser.All',
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    'TeamsAppInstallation.ReadWriteForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
    'TeamsAppInstallation.Read.All',
    'TeamsAppInstallation.ReadWrite.All',
  ],
  /** userteamwork-post-installedapps.md and the DELETE page. */
  installedAppsWrite: [
    'TeamsAppInstallation.ReadWriteSelfForUser.All',
    'TeamsAppInstallation.ReadWriteForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentSelfForUser.All',
    'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
    'TeamsAppInstallation.ReadWrite.All',
  ],
  /** user-list.md, user-delta.md. */
  usersRead: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  /** group-list-transitivemembers.md. */
  groupMembersRead: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
} as const;

/** The roles that reach every app's installations, as opposed to the *Self* ones. */
const ALL_APPS = new Set<string>([
  'TeamsAppInstallation.ReadForUser.All',
  'TeamsAppInstallation.ReadWriteForUser.All',
  'TeamsAppInstallation.ReadWriteAndConsentForUser.All',
  'TeamsAppInstallation.Read.All',
  'TeamsAppInstallation.ReadWrite.All',
]);

export const hasAnyRole = (granted: readonly string[], accepted: readonly string[]): boolean => accepted.some((r) => granted.includes(r));

/**
 * How far the token reaches for an installation operation: every app, only the caller's own app
 * (the *Self* roles), or nothing.
 */
export function installationReach(granted: readonly string[], accepted: readonly string[]): 'all' | 'self' | 'none' {
  const usable = granted.filter((r) => accepted.includes(r));
  if (usable.length === 0) return 'none';
  return usable.some((r) => ALL_APPS.has(r)) ? 'all' : 'self';
}
