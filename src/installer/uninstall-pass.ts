import type { Client } from '@microsoft/microsoft-graph-client';
import pLimit from 'p-limit';
import type { Clock } from '../clock.js';
import { FatalRunError } from '../errors.js';
import { failureDetail, type GraphFailure } from '../graph/errors.js';
import { uninstallAppForUser } from '../graph/installed-apps.js';
import { applyChange } from '../store/apply-change.js';
import { mayHaveApp, uninstalledByAdmin } from '../ledger/transitions.js';
import type { Store, UserRow } from '../store/types.js';

export interface UninstallDeps {
  graph: Client;
  store: Store;
  clock: Clock;
  tenantId: string;
  /** TEAMS_APP_ID: the manifest id (the installation is found by teamsApp/externalId). */
  manifestId: string;
}

export interface UninstallRefusal {
  user: string;
  status: number;
  code: string | null;
  detail: string;
}

export interface UninstallTally {
  /** People the targets name (rows of the rollout, or lines of the file). */
  targeted: number;
  /** Of those, people whose app may still be installed: one GET and (if found) one DELETE each. */
  toUninstall: number;
  /** DELETE answered 204. */
  removed: number;
  /** Nothing to remove (404, or no installation of the app): recorded as uninstalled all the same. */
  alreadyGone: number;
  refused: UninstallRefusal[];
  /** --users lines that name nobody in this ledger (nothing done for them). */
  notInLedger: string[];
  startedAt: number;
  finishedAt: number;
}

export const emptyUninstallTally = (now: number): UninstallTally => ({ targeted: 0, toUninstall: 0, removed: 0, alreadyGone: 0, refused: [], notInLedger: [], startedAt: now, finishedAt: now });

/** 403 answers that hold for the whole tenant: the first one stops the run (one call, not one per person). */
const stopsTheRun = (f: GraphFailure) => f.status === 401 || f.status === 403;

/**
 * Removes the app from each person in `rows` that may still have it, `concurrency` at a time (the Graph
 * middleware paces the GETs at 30 rps and the DELETEs at 15 rps, wire-facts A8), and records each result in
 * the ledger as soon as it is known (skipped(uninstalled_by_admin), welcomed_at kept), so an interrupted run
 * resumes by running it again. A dry run only counts.
 */
export async function uninstallPass(
  d: UninstallDeps,
  rows: AsyncIterable<UserRow[]>,
  o: { dryRun: boolean; concurrency: number; signal?: AbortSignal | undefined },
  tally: UninstallTally,
  onResult?: (t: UninstallTally) => void,
): Promise<UninstallTally> {
  const limit = pLimit(o.concurrency);
  const running = new Set<Promise<void>>();
  let firstError: unknown;
  outer: for await (const page of rows) {
    for (const row of page) {
      if (o.signal?.aborted || firstError) break outer;
      tally.targeted++;
      if (!mayHaveApp(row)) continue;
      tally.toUninstall++;
      if (o.dryRun) continue;
      while (limit.pendingCount >= o.concurrency) await Promise.race(running);
      const task = limit(async () => {
        if (firstError || o.signal?.aborted) return;
        const who = row.userPrincipalName ?? row.aadObjectId;
        const outcome = await uninstallAppForUser(d.graph, row.aadObjectId, d.manifestId);
        if (outcome.kind === 'refused') {
          const f = outcome.failure;
          tally.refused.push({ user: who, status: f.status, code: f.code, detail: failureDetail(f) });
          if (stopsTheRun(f)) {
            firstError ??= new FatalRunError(
              'UNINSTALL_REFUSED',
              `Graph refused to uninstall the app for ${who} (${f.status} ${f.code ?? ''}: ${f.message}); every other person would be refused the same way, so the run stopped at this first refusal.\nFix: grant TeamsAppInstallation.ReadWriteForUser.All (or …ReadWriteSelfForUser.All) with admin consent (see \`teams-rollout doctor\`), then run the same command again.`,
            );
          }
        } else {
          const detail = outcome.kind === 'removed' ? 'uninstalled by teams-rollout uninstall (DELETE 204)' : `teams-rollout uninstall: ${outcome.detail}`;
          const now = d.clock.now();
          await applyChange(d.store, d.tenantId, row.aadObjectId, (r) => uninstalledByAdmin(r, detail), { at: now, actor: 'uninstall' });
          tally[outcome.kind === 'removed' ? 'removed' : 'alreadyGone']++;
        }
        tally.finishedAt = d.clock.now();
        onResult?.(tally);
      }).catch((e) => {
        firstError ??= e;
      });
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
    }
  }
  await Promise.all(running);
  tally.finishedAt = d.clock.now();
  if (firstError) throw firstError;
  return tally;
}

/** The rows of a rollout, in keyset pages (memory stays flat at 100,000 people). */
export async function* rolloutRows(store: Store, tenantId: string, rolloutId: string): AsyncGenerator<UserRow[]> {
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const page = await store.listUsers({ tenantId, rolloutId, after, limit: 200 });
    if (page.length === 0) return;
    after = { tenantId: page.at(-1)!.tenantId, aadObjectId: page.at(-1)!.aadObjectId };
    yield page;
  }
}

/** The ledger rows a --users file names (by object id or UPN); lines naming nobody in the ledger go to `missing`. */
export async function* fileRows(store: Store, tenantId: string, refs: AsyncIterable<{ value: string; kind: 'id' | 'upn'; line: number }>, missing: string[]): AsyncGenerator<UserRow[]> {
  const seen = new Set<string>();
  let batch: { value: string; kind: 'id' | 'upn'; line: number }[] = [];
  const flush = async (): Promise<UserRow[]> => {
    const ids = batch.filter((r) => r.kind === 'id').map((r) => r.value);
    const upns = batch.filter((r) => r.kind === 'upn').map((r) => r.value);
    const found = [...(ids.length ? await store.getUsers(tenantId, ids) : []), ...(upns.length ? await store.getUsersByUpn(tenantId, upns) : [])];
    const known = new Set(found.flatMap((r) => [r.aadObjectId.toLowerCase(), (r.userPrincipalName ?? '').toLowerCase()]));
    for (const r of batch) if (!known.has(r.value.toLowerCase())) missing.push(`line ${r.line}: ${r.value}`);
    batch = [];
    // The same person on two lines is one person (as install counts them).
    return found.filter((r) => !seen.has(r.aadObjectId) && seen.add(r.aadObjectId));
  };
  for await (const ref of refs) {
    batch.push(ref);
    if (batch.length >= 200) yield await flush();
  }
  if (batch.length) yield await flush();
}
