import type { Client } from '@microsoft/microsoft-graph-client';
import { FatalRunError } from '../errors.js';
import { readGraphError, failureDetail } from './errors.js';

export interface CatalogApp {
  /** The catalogue id, used in installs (`teamsApp@odata.bind`). */
  id: string;
  externalId: string;
  displayName: string;
  version: string | null;
  botId: string | null;
}

interface TeamsAppDto {
  id: string;
  externalId?: string;
  displayName?: string;
  distributionMethod?: string;
  appDefinitions?: { version?: string; publishingState?: string; displayName?: string; bot?: { id?: string } | null }[];
}

/**
 * Finds the org app by its manifest id (the catalogue's externalId; wire-facts A1,
 * https://learn.microsoft.com/graph/api/appcatalogs-list-teamsapps). The catalogue id is generated
 * at upload, so callers cache it and look it up again when an install answers 404 for the app.
 */
export async function findCatalogApp(client: Client, manifestId: string): Promise<CatalogApp> {
  let body: { value?: TeamsAppDto[] };
  try {
    body = await client
      .api('/appCatalogs/teamsApps')
      .filter(`externalId eq '${manifestId.replace(/'/g, "''")}'`)
      .expand('appDefinitions')
      .get();
  } catch (e) {
    const f = readGraphError(e);
    if (f.status === 403) {
      throw new FatalRunError('MISSING_PERMISSION', `Cannot read the app catalogue: ${failureDetail(f)} Grant the application permission AppCatalog.Read.All with admin consent.`, e);
    }
    throw new FatalRunError('CATALOG_UNREACHABLE', `Cannot read the app catalogue (HTTP ${f.status}): ${failureDetail(f)}`, e);
  }
  const apps = (body.value ?? []).filter((a) => a.distributionMethod !== 'store');
  if (apps.length === 0) {
    throw new FatalRunError(
      'APP_NOT_IN_CATALOG',
      `No app with manifest id ${manifestId} is in the org app catalogue. Upload the app package in the Teams admin center (Teams apps → Manage apps → Upload), or fix TEAMS_APP_ID (the "id" of manifest.json).`,
    );
  }
  const app = apps[0]!;
  const defs = app.appDefinitions ?? [];
  const published = defs.find((d) => d.publishingState === 'published');
  if (defs.length > 0 && !published) {
    throw new FatalRunError(
      'APP_NOT_PUBLISHED',
      `The app "${app.displayName ?? manifestId}" is in the catalogue but not published (state: ${defs.map((d) => d.publishingState).join(', ')}). Approve it in the Teams admin center (Teams apps → Manage apps).`,
    );
  }
  return {
    id: app.id,
    externalId: app.externalId ?? manifestId,
    displayName: published?.displayName ?? app.displayName ?? 'the app',
    version: published?.version ?? null,
    botId: published?.bot?.id ?? null,
  };
}
