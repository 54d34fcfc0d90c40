import type { GraphRoute } from './call.js';
import { badRequest } from './errors.js';
import { matchesFilter } from './filter-match.js';
import { requireTeamsRole } from './lookup.js';
import { parseExpand, parseFilterParam, parseSelect, project } from './odata.js';
import { contextUrl } from './paging.js';
import { ROLES } from './permissions.js';
import { appDefinitionJson, teamsAppJson } from './app-shape.js';

const APP_PROPS = ['id', 'externalId', 'displayName', 'distributionMethod'] as const;
const FILTERABLE = new Set(['id', 'externalid', 'displayname', 'distributionmethod', 'appdefinitions', 'appdefinitions/bot', 'appdefinitions/publishingstate', 'appdefinitions/azureadappid', 'appdefinitions/version']);

/**
 * `GET /appCatalogs/teamsApps` with `$filter` (externalId, id, distributionMethod…, eq/ne/and/or/not and
 * the documented `appDefinitions/any(a:a/bot ne null)`), `$expand=appDefinitions($expand=bot)` and `$select`
 * (appcatalogs-list-teamsapps.md). The org catalogue holds our app and one other organisation app.
 */
export const listCatalogApps: GraphRoute = {
  method: 'GET',
  pattern: '/appCatalogs/teamsApps',
  label: 'graph.appCatalogs.get',
  bucket: 'graphGet',
  handle({ call, claims, ctx }) {
    requireTeamsRole(claims, ROLES.appCatalogRead);
    const select = parseSelect(call.query.get('$select'), APP_PROPS, 'teamsApp');
    const expand = parseExpand(call.query.get('$expand'));
    for (const name of expand.keys()) if (name !== 'appdefinitions') throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.teamsApp'.`);
    const defExpand = expand.get('appdefinitions');
    const filter = parseFilterParam(call.query.get('$filter'), FILTERABLE);
    const value = [ctx.state.app, ctx.state.otherApp]
      .filter((app) => !filter || matchesFilter(filter, { ...teamsAppJson(app), appDefinitions: [appDefinitionJson(app, true)] }))
      .map((app) => {
        const item = project(teamsAppJson(app), select, APP_PROPS);
        if (defExpand) item.appDefinitions = [appDefinitionJson(app, defExpand.expand.has('bot'))];
        return item;
      });
    return { status: 200, body: { '@odata.context': contextUrl(call, 'appCatalogs/teamsApps'), value } };
  },
};
