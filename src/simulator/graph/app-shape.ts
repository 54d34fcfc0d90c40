import type { CatalogApp } from '../types.js';

const PUBLISHING_STATE: Record<CatalogApp['publishingState'], string> = { submitted: 'Submitted', published: 'Published', rejected: 'Rejected' };

/** teamsApp as the catalogue lists it (wire-facts A1). */
export function teamsAppJson(app: CatalogApp): Record<string, unknown> {
  return { id: app.id, externalId: app.externalId, displayName: app.displayName, distributionMethod: app.distributionMethod };
}

/**
 * teamsAppDefinition. Its id is base64 of `{teamsAppId}##{version}##{PublishingState}`, as in the doc
 * examples (wire-facts A1, [INF] that it is stable). `azureADAppId` is the manifest's
 * webApplicationInfo.id (teamsappdefinition resource page); `bot` only with `$expand=bot`.
 */
export function appDefinitionJson(app: CatalogApp, withBot: boolean): Record<string, unknown> {
  const def: Record<string, unknown> = {
    id: Buffer.from(`${app.id}##${app.version}##${PUBLISHING_STATE[app.publishingState]}`).toString('base64'),
    teamsAppId: app.id,
    azureADAppId: app.webApplicationInfoId,
    displayName: app.displayName,
    version: app.version,
    publishingState: app.publishingState,
    shortDescription: `${app.displayName} for everyone.`,
    description: `${app.displayName}, distributed by the organisation's IT.`,
    lastModifiedDateTime: null,
  };
  if (withBot) def.bot = app.botId ? { id: app.botId } : null;
  return def;
}
