import type { SimContext } from '../context.js';
import type { SimUser } from '../types.js';
import type { TokenClaims } from './call.js';
import { directoryDenied, directoryNotFound, missingRole, userNotFound } from './errors.js';
import { hasAnyRole } from './permissions.js';

export const rolesOf = (claims: TokenClaims): string[] => (Array.isArray(claims.roles) ? claims.roles : []);

/** Teams endpoints answer a missing role with "Missing role permissions…" (wire-facts A3). */
export function requireTeamsRole(claims: TokenClaims, accepted: readonly string[]): void {
  if (!hasAnyRole(rolesOf(claims), accepted)) throw missingRole(accepted, rolesOf(claims));
}

/** Directory endpoints (/users, /groups) answer Authorization_RequestDenied (wire-facts A3 table). */
export function requireDirectoryRole(claims: TokenClaims, accepted: readonly string[]): void {
  if (!hasAnyRole(rolesOf(claims), accepted)) throw directoryDenied();
}

/** `/users/{id | userPrincipalName}` on a Teams endpoint: 404 NotFound "User Id '…' not found." */
export function teamsUser(ctx: SimContext, idOrUpn: string): SimUser {
  const u = ctx.state.findUser(idOrUpn);
  if (!u) throw userNotFound(idOrUpn);
  return u;
}

/** `/users/{id | userPrincipalName}` on the directory: 404 Request_ResourceNotFound. */
export function directoryUser(ctx: SimContext, idOrUpn: string): SimUser {
  const u = ctx.state.findUser(idOrUpn);
  if (!u) throw directoryNotFound(idOrUpn);
  return u;
}
