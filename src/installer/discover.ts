import type { Client } from '@microsoft/microsoft-graph-client';
import { applyChange } from '../store/apply-change.js';
import type { Store, UserRow } from '../store/types.js';
import { planUnresolved, planUser, type Decision, type PlanOptions } from './plan.js';
import type { Clock } from '../clock.js';
import { targetPages, unresolvedKey, type TargetPage, type TargetSpec } from './sources.js';

export interface DiscoverOptions extends PlanOptions {
  /** Only the first N eligible people (a pilot ring). */
  limit?: number | undefined;
  /** Preview: read the directory and the ledger, write nothing (`--dry-run`). */
  dryRun: boolean;
  clock: Clock;
  /** Ctrl-C: stop after the page being written, abandoning the look-ups under way. */
  signal?: AbortSignal | undefined;
  /** Reuse the file's look-ups saved since then (resuming an interrupted run). */
  reuseLookupsSince?: number | undefined;
}

export interface DiscoverTally {
  /** Distinct people targeted. */
  targets: number;
  /** To be installed by this run. */
  toInstall: number;
  /** Already installed or welcomed by an earlier run: nothing to do. */
  alreadyDone: number;
  /** Skipped or failed, by state:reason. */
  byReason: Record<string, number>;
  limitReached: boolean;
  /** Stopped by the signal before the last page. */
  interrupted?: boolean;
  /** From the last page of an --all-users (delta) listing. */
  deltaLink?: string | undefined;
}

/**
 * Streams the targets page by page into the ledger (or, for a dry run, only counts what would
 * happen). The ledger and the rollout's target list are the durable work list: a person reached
 * twice (two groups) is one row, and a killed run finds its place again from them.
 */
export async function discover(
  client: Client,
  store: Store,
  spec: TargetSpec,
  o: DiscoverOptions,
  onPage?: (t: DiscoverTally) => void,
): Promise<DiscoverTally> {
  const tally: DiscoverTally = { targets: 0, toInstall: 0, alreadyDone: 0, byReason: {}, limitReached: false };
  // Whom this run has planned: a person is counted once however often they are reached (two groups, or
  // the same person on several lines of a --users file). Not from the rows alone: a re-run leaves the rows
  // of people already done untouched, rollout id included (issue 12), so the row cannot say "seen".
  const seen = new Set<string>();
  const lookups = { store, tenantId: o.tenantId, reuseSince: o.reuseLookupsSince, save: !o.dryRun };
  const pages = targetPages(client, spec, { clock: o.clock, signal: o.signal, lookups });
  for (;;) {
    let next: IteratorResult<TargetPage>;
    try {
      next = await pages.next();
    } catch (e) {
      // An aborted look-up rejects with the signal's reason: that is the interruption, not a failure.
      if (o.signal?.aborted) break;
      throw e;
    }
    if (next.done || o.signal?.aborted) break;
    const page = next.value;
    if (page.deltaLink) tally.deltaLink = page.deltaLink;
    const keys = [...page.users.map((u) => u.id), ...page.unresolved.map(unresolvedKey)];
    const existing = new Map<string, UserRow>((await store.getUsers(o.tenantId, keys)).map((r) => [r.aadObjectId, r]));
    const decisions: Decision[] = [];
    // A row this rollout already wrote was reached through another source: handled once.
    const handled = (key: string) => !o.dryRun && existing.get(key)?.rolloutId === o.rolloutId;
    for (const u of page.users) {
      if (tally.limitReached) break;
      if (handled(u.id)) continue;
      const d = planUser(u, existing.get(u.id), o);
      if (d.outcome === 'pending' && o.limit !== undefined && tally.toInstall >= o.limit) {
        tally.limitReached = true;
        break;
      }
      if (seen.has(d.key)) continue;
      seen.add(d.key);
      decisions.push(d);
      count(tally, d);
    }
    if (!tally.limitReached) {
      for (const u of page.unresolved) {
        if (handled(unresolvedKey(u))) continue;
        const d = planUnresolved(u, existing.get(unresolvedKey(u)), o, spec.usersFile ?? '--users');
        if (seen.has(d.key)) continue;
        seen.add(d.key);
        decisions.push(d);
        count(tally, d);
      }
    }
    if (!o.dryRun) await apply(store, decisions, o);
    onPage?.(tally);
    if (tally.limitReached) break;
  }
  if (o.signal?.aborted) {
    tally.interrupted = true;
    await pages.return(undefined).catch(() => undefined);
  }
  return tally;
}

function count(t: DiscoverTally, d: Decision): void {
  t.targets++;
  if (d.outcome === 'pending') t.toInstall++;
  else if (d.outcome === 'skipped' || d.outcome === 'failed') {
    const reason = d.kind === 'insert' ? d.row.reason : d.reason;
    const k = `${d.outcome}:${reason ?? 'unknown'}`;
    t.byReason[k] = (t.byReason[k] ?? 0) + 1;
  } else t.alreadyDone++;
}

async function apply(store: Store, decisions: Decision[], o: DiscoverOptions): Promise<void> {
  const inserts = decisions.flatMap((d) => (d.kind === 'insert' ? [d.row] : []));
  if (inserts.length) await store.insertUsers(inserts, o.now, 'discover');
  for (const d of decisions) {
    // A person the ledger already has as this run would leave them costs nothing (issue 12: a re-run over
    // people already done writes no row); a change is a compare-and-set on the row this page read.
    if (d.kind === 'change' && d.changes) await applyChange(store, o.tenantId, d.key, d.decide, { at: o.now, actor: 'discover', rolloutId: o.rolloutId }, d.existing, true);
  }
  if (decisions.length) await store.addRolloutTargets(o.rolloutId, o.tenantId, decisions.map((d) => d.key));
}
