import type { Client } from '@microsoft/microsoft-graph-client';

/** What the rollout needs to know about a person, read with `$select` so Graph sends no more. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string | null;
  displayName: string | null;
  userType: string | null;
  accountEnabled: boolean | null;
  preferredLanguage: string | null;
  assignedPlans?: { service?: string; servicePlanId?: string; capabilityStatus?: string }[] | undefined;
  /** Present in delta answers for people removed since the last link. */
  '@removed'?: { reason: string } | undefined;
}

/**
 * Microsoft Teams' service plan (TEAMS1) and the service name all Teams plans share, as they
 * appear in a user's assignedPlans (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference).
 */
export const TEAMS_SERVICE_PLAN_ID = '57ff2da0-773e-42df-b2af-ffb7a2317929';
const TEAMS_SERVICE = 'TeamspaceAPI';

export const USER_SELECT = 'id,userPrincipalName,displayName,userType,accountEnabled,preferredLanguage,assignedPlans';

export interface UserPage {
  users: DirectoryUser[];
  /** On the last page of a delta round: the link that returns only later changes. */
  deltaLink?: string | undefined;
}

/** Walks `@odata.nextLink` (absolute https URLs, followed verbatim: wire-facts A6), one page at a time. */
export async function* pages(client: Client, first: () => Promise<Record<string, unknown>>): AsyncGenerator<UserPage> {
  let body = await first();
  for (;;) {
    const users = ((body.value as DirectoryUser[] | undefined) ?? []).filter((u) => !('@odata.type' in u) || (u as { '@odata.type'?: string })['@odata.type'] === '#microsoft.graph.user');
    const next = body['@odata.nextLink'] as string | undefined;
    yield { users, deltaLink: next ? undefined : (body['@odata.deltaLink'] as string | undefined) };
    if (!next) return;
    body = await client.api(next).get();
  }
}

/**
 * Everyone, through /users/delta: the same people as /users, plus a delta link at the end that a
 * later run (`--since-last`) follows to get only the changes — new hires cheaply
 * (https://learn.microsoft.com/graph/delta-query-users).
 */
export function usersDelta(client: Client, deltaLink?: string): AsyncGenerator<UserPage> {
  return pages(client, () => (deltaLink ? client.api(deltaLink).get() : client.api('/users/delta').select(USER_SELECT).top(999).get()));
}

/**
 * A group's people, nested groups included and users only. The cast to microsoft.graph.user needs
 * `ConsistencyLevel: eventual` and `$count=true` (https://learn.microsoft.com/graph/api/group-list-transitivemembers).
 */
export function groupUsers(client: Client, groupId: string): AsyncGenerator<UserPage> {
  return pages(client, () =>
    client
      .api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`)
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .select(USER_SELECT)
      .top(999)
      .get(),
  );
}

/**
 * Whether the directory has this group: one member read (`$top=1`), the same call and permission
 * as the listing itself, answered 404 Request_ResourceNotFound for an unknown id (group-list-transitivemembers.md).
 */
export async function groupExists(client: Client, groupId: string): Promise<boolean> {
  try {
    await client
      .api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`)
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .select('id')
      .top(1)
      .get();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

/** One person by object id or UPN; undefined when the directory has no such user. */
export async function getUser(client: Client, idOrUpn: string): Promise<DirectoryUser | undefined> {
  try {
    return await client.api(`/users/${encodeURIComponent(idOrUpn)}`).select(USER_SELECT).get();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/** Whether the directory shows an enabled Teams service plan; undefined when plans were not returned. */
export function hasTeamsPlan(u: DirectoryUser): boolean | undefined {
  if (!u.assignedPlans) return undefined;
  return u.assignedPlans.some((p) => (p.servicePlanId === TEAMS_SERVICE_PLAN_ID || p.service === TEAMS_SERVICE) && p.capabilityStatus === 'Enabled');
}
