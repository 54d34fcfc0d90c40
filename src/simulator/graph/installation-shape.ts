import type { CatalogApp, Installation } from '../types.js';
import { appDefinitionJson, teamsAppJson } from './app-shape.js';
import { badRequest } from './errors.js';
import type { ExpandItem } from './odata.js';

const EXPANDABLE = new Set(['teamsapp', 'teamsappdefinition']);

export function checkInstallationExpand(expand: Map<string, ExpandItem>): void {
  for (const name of expand.keys()) {
    if (!EXPANDABLE.has(name)) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.userScopeTeamsAppInstallation'.`);
  }
}

/** userScopeTeamsAppInstallation as listed (wire-facts A2): the id, and teamsApp/teamsAppDefinition when expanded. */
export function installationJson(inst: Installation, app: CatalogApp | undefined, expand: Map<string, ExpandItem> | 'all'): Record<string, unknown> {
  const item: Record<string, unknown> = { id: inst.id, consentedPermissionSet: null };
  if (app && (expand === 'all' || expand.has('teamsapp'))) item.teamsApp = teamsAppJson(app);
  if (app && (expand === 'all' || expand.has('teamsappdefinition'))) item.teamsAppDefinition = appDefinitionJson(app, false);
  return item;
}
