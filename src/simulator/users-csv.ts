import { USER_KINDS, type SimUser } from './types.js';

/** Two people who are not in the tenant, so a `--users FILE` run meets "user not found". */
export const MISSING_UPNS = ['nobody.here@contoso.onmicrosoft.com', 'left.last.year@contoso.onmicrosoft.com'];

/**
 * A CSV of `userPrincipalName` (with its header) for rehearsing `install --users FILE`: the first
 * `perKind` current users of every kind, then the two UPNs that do not exist.
 */
export function usersCsv(users: readonly SimUser[], perKind: number): string {
  const picked: string[] = [];
  for (const kind of USER_KINDS) {
    let n = 0;
    for (const u of users) {
      if (n >= perKind) break;
      if (u.kind !== kind || u.deleted) continue;
      picked.push(u.userPrincipalName);
      n++;
    }
  }
  const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['userPrincipalName', ...picked, ...MISSING_UPNS].map(cell).join('\n') + '\n';
}
