import type { Client } from '@microsoft/microsoft-graph-client';
import { isAppNotFound, readGraphError, type GraphFailure } from './errors.js';
import { CallInfo } from './paced-retry-middleware.js';

const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}/teamwork/installedApps`;

/** Thrown when the catalogue id no longer exists (app re-uploaded): the caller looks the app up again. */
export class StaleCatalogIdError extends Error {
  constructor(readonly failure: GraphFailure) {
    super(`The catalogue app id is not known any more: ${failure.message}`);
    this.name = 'StaleCatalogIdError';
  }
}

/** What Graph answered an install: the installer maps a refusal to a ledger reason (installer/install-refusal.ts). */
export type GraphInstallResult =
  | { kind: 'created' }
  /** `ownEarlierAttempt`: the 409 answered a retry whose earlier attempt may have landed (same process). */
  | { kind: 'conflict'; ownEarlierAttempt?: boolean }
  | { kind: 'refused'; failure: GraphFailure };

/**
 * POST /users/{id}/teamwork/installedApps (https://learn.microsoft.com/graph/api/userteamwork-post-installedapps):
 * 201 with no body = installed (Teams then posts the install events to the bot); 409 = already
 * installed, which is success (wire-facts A3); other refusals are returned as Graph said them.
 */
export async function installAppForUser(client: Client, userId: string, catalogAppId: string, graphBaseUrl: string): Promise<GraphInstallResult> {
  const info = new CallInfo();
  try {
    await client.api(userPath(userId)).middlewareOptions([info]).post({ 'teamsApp@odata.bind': `${graphBaseUrl}v1.0/appCatalogs/teamsApps/${catalogAppId}` });
    return { kind: 'created' };
  } catch (e) {
    const f = readGraphError(e);
    // A 409 after a dropped connection or a 5xx: our own earlier attempt installed it (and Teams sent the event).
    if (f.status === 409) return { kind: 'conflict', ownEarlierAttempt: info.earlierAttemptMayHaveLanded };
    if (isAppNotFound(f)) throw new StaleCatalogIdError(f);
    return { kind: 'refused', failure: f };
  }
}

/** The user's installation of our app, or undefined (wire-facts A2: an empty value when not installed). */
export async function findInstallation(client: Client, userId: string, catalogAppId: string): Promise<{ id: string } | undefined> {
  const body = await client
    .api(userPath(userId))
    .expand('teamsApp')
    .filter(`teamsApp/id eq '${catalogAppId.replace(/'/g, "''")}'`)
    .get();
  const first = (body?.value as { id: string }[] | undefined)?.[0];
  return first ? { id: first.id } : undefined;
}

/**
 * The 1:1 chat between the user and the app (https://learn.microsoft.com/graph/api/userscopeteamsappinstallation-get-chat).
 * Its id is accepted by the Bot Connector as a conversation id (wire-facts A4; Company Communicator does the same).
 */
export async function getInstallationChatId(client: Client, userId: string, installationId: string): Promise<string> {
  const body = await client.api(`${userPath(userId)}/${encodeURIComponent(installationId)}/chat`).select('id').get();
  return body.id as string;
}

/** What an uninstall of one person found: removed now (204), or nothing to remove (404, or no installation of our app). */
export type UninstallOutcome = { kind: 'removed' } | { kind: 'gone'; detail: string } | { kind: 'refused'; failure: GraphFailure };

/**
 * Removes our app from one person: the installation id from
 * `GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/externalId eq '{manifest id}'`
 * (userteamwork-list-installedapps; the manifest id survives a re-upload, the catalogue id does not), then
 * `DELETE /users/{id}/teamwork/installedApps/{installationId}` → 204
 * (https://learn.microsoft.com/graph/api/userteamwork-delete-installedapps). A 404 on either means the app is
 * already gone (removed by the person, or an earlier run): that is the outcome asked for, not a failure.
 * The DELETE counts against the Teams "DELETE … installedApps" row, 15 rps per app per tenant
 * (https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits), paced by the middleware.
 */
export async function uninstallAppForUser(client: Client, userId: string, manifestId: string): Promise<UninstallOutcome> {
  let installationId: string;
  try {
    const body = await client
      .api(userPath(userId))
      .expand('teamsApp')
      .filter(`teamsApp/externalId eq '${manifestId.replace(/'/g, "''")}'`)
      .get();
    const first = (body?.value as { id: string }[] | undefined)?.[0];
    if (!first) return { kind: 'gone', detail: 'the app was not installed for this person (nothing to remove)' };
    installationId = first.id;
  } catch (e) {
    const f = readGraphError(e);
    return f.status === 404 ? { kind: 'gone', detail: `404 looking the installation up: ${f.message}` } : { kind: 'refused', failure: f };
  }
  try {
    await client.api(`${userPath(userId)}/${encodeURIComponent(installationId)}`).delete();
    return { kind: 'removed' };
  } catch (e) {
    const f = readGraphError(e);
    return f.status === 404 ? { kind: 'gone', detail: `404 on DELETE (already removed): ${f.message}` } : { kind: 'refused', failure: f };
  }
}
