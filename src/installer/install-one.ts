import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../clock.js';
import { installAppForUser, StaleCatalogIdError } from '../graph/installed-apps.js';
import { readGraphError, failureDetail } from '../graph/errors.js';
import { classifyInstallFailure } from './install-refusal.js';
import { applyChange } from '../store/apply-change.js';
import { installOutcome, startInstall, type InstallOutcome } from '../ledger/transitions.js';
import type { Store, UserRow } from '../store/types.js';
import type { CatalogResolver } from './catalog-resolver.js';

export interface InstallOneDeps {
  graph: Client;
  graphBaseUrl: string;
  store: Store;
  clock: Clock;
  tenantId: string;
  catalog: CatalogResolver;
}

/**
 * One person: mark `installing` (so a crash leaves a trace), POST the install, record the outcome
 * at once. A 404 for the app re-resolves the catalogue id once and tries again (a re-upload).
 * Returns the outcome, or undefined when the row had already moved on (another process, or the
 * install event beat us to it).
 */
export async function installOne(d: InstallOneDeps, row: UserRow, rolloutId: string): Promise<{ outcome: InstallOutcome; row: UserRow } | undefined> {
  const started = await applyChange(d.store, d.tenantId, row.aadObjectId, (r) => startInstall(r, rolloutId), { at: d.clock.now(), actor: 'install', rolloutId }, row);
  if (!started.changed) return undefined;
  let outcome: InstallOutcome;
  let app = await d.catalog.current();
  try {
    outcome = await post(d, row.aadObjectId, app.id);
  } catch (e) {
    if (!(e instanceof StaleCatalogIdError)) throw e;
    app = await d.catalog.refresh(app.id);
    try {
      outcome = await post(d, row.aadObjectId, app.id);
    } catch (again) {
      if (!(again instanceof StaleCatalogIdError)) throw again;
      outcome = { kind: 'refused', refusal: { ...classifyInstallFailure(again.failure), reason: 'app_not_in_catalog', detail: `Still not found after looking the app up again: ${failureDetail(again.failure)}` } };
    }
  }
  const now = d.clock.now();
  const done = await applyChange(d.store, d.tenantId, row.aadObjectId, (r) => installOutcome(r, outcome, now), { at: now, actor: 'install', rolloutId }, started.row);
  return { outcome, row: done.row ?? row };
}

async function post(d: InstallOneDeps, userId: string, appId: string): Promise<InstallOutcome> {
  try {
    const answer = await installAppForUser(d.graph, userId, appId, d.graphBaseUrl);
    return answer.kind === 'refused' ? { kind: 'refused', refusal: classifyInstallFailure(answer.failure) } : answer;
  } catch (e) {
    if (e instanceof StaleCatalogIdError) throw e;
    // Network failure after the middleware's retries, or anything the SDK threw: classify, never lose the person.
    return { kind: 'refused', refusal: classifyInstallFailure(readGraphError(e)) };
  }
}
