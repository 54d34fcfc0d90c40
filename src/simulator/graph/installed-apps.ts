import { announce } from '../announce.js';
import type { SimContext } from '../context.js';
import type { Installation, SimUser } from '../types.js';
import type { GraphRoute, TokenClaims } from './call.js';
import { GraphHttpError, missingRole, notFound } from './errors.js';
import { matchesFilter } from './filter-match.js';
import { checkInstallationExpand, installationJson } from './installation-shape.js';
import { rolesOf, teamsUser } from './lookup.js';
import { parseExpand, parseFilterParam, parseSelect, project, wantsCount } from './odata.js';
import { contextUrl } from './paging.js';
import { ROLES, installationReach } from './permissions.js';

const FILTERABLE = new Set(['id', 'teamsapp/externalid', 'teamsapp/id', 'teamsapp/displayname', 'teamsapp/distributionmethod', 'teamsappdefinition/version']);

/**
 * How far this token reaches into a user's installations: every app, only its own app (the *Self* roles:
 * the app whose manifest webApplicationInfo.id is the token's appid, wire-facts A2/A3), or a 403.
 */
export function reachOrThrow(claims: TokenClaims, accepted: readonly string[]): (inst: Installation, ctx: SimContext) => boolean {
  const reach = installationReach(rolesOf(claims), accepted);
  if (reach === 'none') throw missingRole(accepted, rolesOf(claims));
  return (inst, ctx) => reach === 'all' || ctx.state.appById(inst.teamsAppId)?.webApplicationInfoId === claims.appid;
}

/**
 * `GET /users/{id | upn}/teamwork/installedApps` with `$expand=teamsApp,teamsAppDefinition` and `$filter` on
 * `teamsApp/externalId` or `teamsApp/id` (userteamwork-list-installedapps.md). "Is my bot installed?"
 * gets an empty `value` or exactly one item. With only *Self* roles it lists the caller's own app alone
 * (graph-docs-contrib#478 saw "zero results" for other apps).
 */
export const listInstalledApps: GraphRoute = {
  method: 'GET',
  pattern: '/users/{user}/teamwork/installedApps',
  label: 'graph.installedApps.get',
  bucket: 'graphGet',
  handle({ call, params, claims, ctx }) {
    const visible = reachOrThrow(claims, ROLES.installedAppsRead);
    const expand = parseExpand(call.query.get('$expand'));
    checkInstallationExpand(expand);
    const filter = parseFilterParam(call.query.get('$filter'), FILTERABLE);
    const user = teamsUser(ctx, params.user!);
    const value = ctx.state
      .installationsOf(user.id)
      .filter((inst) => visible(inst, ctx))
      .filter((inst) => !filter || matchesFilter(filter, installationJson(inst, ctx.state.appById(inst.teamsAppId), 'all')))
      .map((inst) => installationJson(inst, ctx.state.appById(inst.teamsAppId), expand));
    const body: Record<string, unknown> = { '@odata.context': contextUrl(call, `users('${user.id}')/teamwork/installedApps`) };
    if (wantsCount(call.query)) body['@odata.count'] = value.length;
    body.value = value;
    return { status: 200, body };
  },
};

/** The installation `{installationId}` of `user`, if this token may see it; 404 otherwise ([INF] text). */
function findInstallation(ctx: SimContext, user: SimUser, installationId: string, visible: (i: Installation, c: SimContext) => boolean): Installation {
  const inst = ctx.state.installationsOf(user.id).find((i) => i.id === installationId);
  if (!inst || !visible(inst, ctx)) throw notFound(`The app installation '${installationId}' was not found for user '${user.id}'.`);
  return inst;
}

/** `GET …/installedApps/{installationId}` (userteamwork-get-installedapps.md). */
export const getInstalledApp: GraphRoute = {
  method: 'GET',
  pattern: '/users/{user}/teamwork/installedApps/{installation}',
  label: 'graph.installedApps.get',
  bucket: 'graphGet',
  handle({ call, params, claims, ctx }) {
    const visible = reachOrThrow(claims, ROLES.installedAppsRead);
    const expand = parseExpand(call.query.get('$expand'));
    checkInstallationExpand(expand);
    const user = teamsUser(ctx, params.user!);
    const inst = findInstallation(ctx, user, params.installation!, visible);
    const body = { '@odata.context': contextUrl(call, `users('${user.id}')/teamwork/installedApps/$entity`), ...installationJson(inst, ctx.state.appById(inst.teamsAppId), expand) };
    return { status: 200, body };
  },
};

const CHAT_PROPS = ['id', 'topic', 'createdDateTime', 'lastUpdatedDateTime', 'chatType', 'webUrl', 'tenantId'] as const;

/**
 * `GET …/installedApps/{installationId}/chat` → the 1:1 chat between the user and the app
 * (userscopeteamsappinstallation-get-chat.md, wire-facts A4): `19:{guid}_{guid}@unq.gbl.spaces`, which the
 * Bot Connector accepts as a conversation id. Only `$select` is supported.
 */
export const getInstallationChat: GraphRoute = {
  method: 'GET',
  pattern: '/users/{user}/teamwork/installedApps/{installation}/chat',
  label: 'graph.installedApps.chat',
  bucket: 'graphGet',
  handle({ call, params, claims, ctx }) {
    const visible = reachOrThrow(claims, ROLES.installedAppsRead);
    const select = parseSelect(call.query.get('$select'), CHAT_PROPS, 'chat');
    const user = teamsUser(ctx, params.user!);
    const inst = findInstallation(ctx, user, params.installation!, visible);
    const when = new Date(inst.installedAt).toISOString();
    const chat = {
      id: inst.chatId,
      topic: null,
      createdDateTime: when,
      lastUpdatedDateTime: when,
      chatType: 'oneOnOne',
      webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(inst.chatId)}/0?tenantId=${ctx.state.tenantId}`,
      tenantId: ctx.state.tenantId,
    };
    return { status: 200, body: { '@odata.context': contextUrl(call, 'chats/$entity'), ...project(chat, select, CHAT_PROPS) } };
  },
};

/**
 * `DELETE …/installedApps/{installationId}` → 204 No Content
 * (https://learn.microsoft.com/graph/api/userteamwork-delete-installedapps, "If successful, this method returns
 * a 204 No Content response code"), paced by the 15 rps DELETE row of the Teams limits (wire-facts A8); the
 * channel then tells the bot (installationUpdate remove).
 */
export const deleteInstalledApp: GraphRoute = {
  method: 'DELETE',
  pattern: '/users/{user}/teamwork/installedApps/{installation}',
  label: 'graph.installedApps.delete',
  bucket: 'graphDelete',
  handle({ params, claims, ctx }) {
    const reach = installationReach(rolesOf(claims), ROLES.installedAppsWrite);
    if (reach === 'none') throw missingRole(ROLES.installedAppsWrite, rolesOf(claims));
    const user = teamsUser(ctx, params.user!);
    const inst = findInstallation(ctx, user, params.installation!, () => true);
    if (reach === 'self' && ctx.state.appById(inst.teamsAppId)?.webApplicationInfoId !== claims.appid) throw notAllowedToManage(claims, inst.teamsAppId);
    ctx.state.uninstall(user.id, inst.teamsAppId, ctx.clock.now());
    announce(ctx, 'uninstalled', user, inst);
    return { status: 204 };
  },
};

/** A *Self* role used on another Teams app (wire-facts A3, graph-docs-contrib#478; the 403 status is [INF]). */
export const notAllowedToManage = (claims: TokenClaims, teamsAppId: string) =>
  new GraphHttpError(403, 'Forbidden', `AAD App Id '${claims.appid}' is not allowed to manage the Teams App '${teamsAppId}'.`);
