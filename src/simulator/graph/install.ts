import type { SimContext } from '../context.js';
import type { SimUser } from '../types.js';
import { announce } from '../announce.js';
import type { GraphRoute } from './call.js';
import { GraphHttpError, badRequest, missingRole, notFound } from './errors.js';
import { notAllowedToManage } from './installed-apps.js';
import { rolesOf, teamsUser } from './lookup.js';
import { ROLES, installationReach } from './permissions.js';

/** `teamsApp@odata.bind` → the catalogue id; any host, as long as the path is `…/appCatalogs/teamsApps/{id}`. */
export function boundTeamsAppId(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const bind = (body as Record<string, unknown>)['teamsApp@odata.bind'];
  if (typeof bind !== 'string') return null;
  const m = /\/appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind.trim());
  return m ? decodeURIComponent(m[1]!).replace(/^'(.*)'$/, '$1') : null;
}

/**
 * Why a given person cannot get the app, as the Teams backend says it (wire-facts A3 table).
 * The policy text and its `AccessDenied` inner code are from company-communicator#889/#1537 (nesting [INF]);
 * the licence text is seen on other Teams Graph endpoints (NOT verified for installedApps).
 */
export function refusalFor(ctx: SimContext, user: SimUser, teamsAppId: string): GraphHttpError | null {
  switch (user.kind) {
    case 'blocked_by_policy': {
      const message = `App is blocked by app permission policy. TenantId: ${ctx.state.tenantId}, UserObjectId: ${user.id}, AppId: ${teamsAppId}, AppType: Private`;
      return new GraphHttpError(403, 'Forbidden', message, { inner: { code: 'AccessDenied', message } });
    }
    case 'unlicensed':
    // [INF] Guests of this tenant carry no Teams plan here (population.ts), so they meet the licence check too.
    case 'guest':
      return new GraphHttpError(403, 'Forbidden', 'Failed to get license information for the user. Ensure user has a valid Office365 license assigned to them.');
    case 'disabled':
      // [INF] No public sample; a disabled account cannot sign in to Teams, so the backend refuses it.
      return new GraphHttpError(403, 'Forbidden', `User account is disabled. UserObjectId: ${user.id}`);
    default:
      return null;
  }
}

/**
 * The transient 400 of Teams' entitlement backend, with the text a user pasted from the real service
 * (microsoftgraph/microsoft-graph-docs#20972, 2023: "on multiple retries, the API call succeeds and
 * installs the app for the user"; its innerError was empty). The settings-store URL is the one quoted there.
 * Nothing is installed by the refused call.
 */
export function entitlementFault(userId: string, teamsAppId: string): GraphHttpError {
  return new GraphHttpError(
    400,
    'BadRequest',
    `Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync. UserId: ${userId}, AppId: '${teamsAppId}', ExternalId: '', Exception(s): 'Microsoft.SkypeSpaces.MiddleTier.Common.ServiceException: Failed to execute settings store request: https://amer.settings.teams.internal.office.com/v1.0/settings/teams/users/${userId}/appentitlements, StatusCode: 400, ReasonPhrase: Schema validation errors'`,
  );
}

/**
 * `POST /users/{id | upn}/teamwork/installedApps` {"teamsApp@odata.bind": ".../appCatalogs/teamsApps/{id}"}
 * (userteamwork-post-installedapps.md): 201 with NO body, then the Teams channel tells the bot (B1).
 * 409 Conflict when already installed, and no event (graph-docs-contrib#3686; body text [INF]).
 * 404 for an unknown user (msgraph-sdk-java#1445) or an app not in the catalogue (Company Communicator
 * treats NotFound so; text [INF]). 403 for a missing role, a *Self* role on another app, and the people the
 * backend refuses (refusalFor). With the `entitlement-400` fault, a person's first install answers the
 * transient 400 above.
 */
export const installApp: GraphRoute = {
  method: 'POST',
  pattern: '/users/{user}/teamwork/installedApps',
  label: 'graph.installedApps.post',
  bucket: 'graphPost',
  handle({ call, params, claims, ctx }) {
    const reach = installationReach(rolesOf(claims), ROLES.installedAppsWrite);
    if (reach === 'none') throw missingRole(ROLES.installedAppsWrite, rolesOf(claims));
    const teamsAppId = boundTeamsAppId(call.body);
    if (!teamsAppId) throw badRequest("The request body must be {\"teamsApp@odata.bind\": \"https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}\"}.");
    const user = teamsUser(ctx, params.user!);
    const app = ctx.state.appById(teamsAppId);
    if (!app) throw notFound(`The Teams app '${teamsAppId}' was not found in the app catalog.`);
    if (reach === 'self' && app.webApplicationInfoId !== claims.appid) throw notAllowedToManage(claims, app.id);
    const refusal = refusalFor(ctx, user, app.id);
    if (refusal) throw refusal;
    if (ctx.faults.entitlementFault(user.id)) throw entitlementFault(user.id, app.id);
    if (ctx.state.installation(user.id, app.id)) {
      throw new GraphHttpError(409, 'Conflict', `App is already installed for the user. TeamsAppId: ${app.id}, UserObjectId: ${user.id}`);
    }
    const inst = ctx.state.install(user.id, app.id, ctx.clock.now());
    announce(ctx, 'installed', user, inst);
    return { status: 201 };
  },
};
