import pLimit from 'p-limit';
import type { Logger } from '../log.js';
import { errorMessage, FatalRunError } from '../errors.js';
import { resolveReferenceViaGraph, type GraphReferenceDeps } from '../references/resolve-via-graph.js';
import { applyChange } from '../store/apply-change.js';
import { confirmedOtherLedger, heldForOtherLedger, isUndecidedHold, releasedFromOtherLedgerHold, type InstallOutcome } from '../ledger/transitions.js';
import type { UserRow } from '../store/types.js';
import { REASON_ADVICE } from '../ledger/states.js';
import { installOne, type InstallOneDeps } from './install-one.js';
import { isUnknownConflict, otherLedgerVerdict, OtherLedgerStop } from './other-ledger.js';

export interface InstallPassTally {
  attempted: number;
  created: number;
  conflict: number;
  refused: number;
  referencesFromGraph: number;
  /** Pending at discovery, then ruled out before their call (installOne returned nothing): they never get one. */
  ruledOut: number;
}

export const emptyInstallTally = (): InstallPassTally => ({ attempted: 0, created: 0, conflict: 0, refused: 0, referencesFromGraph: 0, ruledOut: 0 });

/** Refusals that hold for the whole tenant, not the person: the first one stops the run. */
const RUN_STOPPING_REFUSALS: ReadonlySet<string> = new Set(['missing_permission', 'app_not_manageable']);

export interface InstallPassDeps extends InstallOneDeps {
  log: Logger;
  references: GraphReferenceDeps;
}

/**
 * Installs every `pending` target of the rollout, streamed from the ledger in pages (keyset by
 * object id), `concurrency` at a time; the Graph middleware does the pacing. A person whose app
 * was already installed gets a reference through Graph at once, since no install event will come.
 */
export async function installPass(
  d: InstallPassDeps,
  o: {
    rolloutId: string;
    concurrency: number;
    signal?: AbortSignal | undefined;
    /** `install --welcome-already-installed`: many 409s for people this ledger never met do not stop the run. */
    welcomeAlreadyInstalled?: boolean | undefined;
  },
  onResult?: (outcome: InstallOutcome, row: UserRow) => void,
  tally: InstallPassTally = emptyInstallTally(),
): Promise<InstallPassTally> {
  const limit = pLimit(o.concurrency);
  const running = new Set<Promise<void>>();
  let after: { tenantId: string; aadObjectId: string } | undefined;
  let firstError: unknown;
  // 409s for people this ledger never reached, held out of the welcome queue until the run goes on (other-ledger.ts).
  const earlier = o.welcomeAlreadyInstalled ? { undecided: [], decided: 0 } : await earlierHolds(d);
  // A killed run's undecided holds are this run's to decide, as answers it had itself.
  const held: string[] = [...earlier.undecided];
  const inherited = earlier.undecided.length;
  const verdictTally = () => ({ unknownConflicts: held.length, answers: tally.attempted + inherited, heldBefore: earlier.decided });
  for (;;) {
    if (o.signal?.aborted || firstError) break;
    const page = await d.store.listUsers({ rolloutId: o.rolloutId, tenantId: d.tenantId, states: ['pending'], after, limit: 200 });
    if (page.length === 0) break;
    after = { tenantId: page.at(-1)!.tenantId, aadObjectId: page.at(-1)!.aadObjectId };
    for (const row of page) {
      if (o.signal?.aborted || firstError) break;
      // Back-pressure: never more than 2× concurrency queued, so memory stays flat.
      while (limit.pendingCount >= o.concurrency) await Promise.race(running);
      const task = limit(async () => {
        // Queued before a run-stopping refusal: left pending, untouched, for the next run.
        if (firstError || o.signal?.aborted) return;
        const r = await installOne(d, row, o.rolloutId);
        if (!r) {
          tally.ruledOut++;
          return;
        }
        tally.attempted++;
        tally[r.outcome.kind === 'created' ? 'created' : r.outcome.kind === 'conflict' ? 'conflict' : 'refused']++;
        if (!o.welcomeAlreadyInstalled && isUnknownConflict(row, r.outcome)) {
          const now = d.clock.now();
          const hold = await applyChange(d.store, d.tenantId, row.aadObjectId, (x) => heldForOtherLedger(x), { at: now, actor: 'install', rolloutId: o.rolloutId });
          if (hold.changed) held.push(row.aadObjectId);
          if (otherLedgerVerdict(verdictTally()) === 'stop') firstError ??= new OtherLedgerStop(verdictTally());
        } else if (r.outcome.kind === 'conflict' && r.row.state === 'already_installed' && !(await d.store.getReference(d.tenantId, row.aadObjectId))) {
          try {
            if (await resolveReferenceViaGraph(d.references, row.aadObjectId, 'install')) tally.referencesFromGraph++;
          } catch (e) {
            // Left as already_installed: the settle phase tries again before giving up on the person.
            d.log.warn('could not resolve the chat of an already-installed user through Graph', { user: row.aadObjectId, error: errorMessage(e) });
          }
        }
        onResult?.(r.outcome, r.row);
        // Graph refuses everyone the same way when a permission is missing, or when a *Self* permission
        // meets a manifest without this app registration (wire-facts A3, 403): stop at the first refusal
        // instead of spending one call per person.
        if (r.outcome.kind === 'refused' && RUN_STOPPING_REFUSALS.has(r.outcome.refusal.reason)) {
          const reason = r.outcome.refusal.reason;
          firstError ??= new FatalRunError(
            reason === 'missing_permission' ? 'MISSING_PERMISSION' : 'APP_NOT_MANAGEABLE',
            `Graph refused the install for ${row.userPrincipalName ?? row.aadObjectId} with ${reason} (${r.outcome.refusal.detail ?? 'no detail'}); every other person would be refused the same way, so the run stopped at this first refusal.\nFix: ${REASON_ADVICE[reason]} Then run the same command again with --retry-failed.`,
          );
        }
      }).catch((e) => {
        firstError ??= e;
      });
      const tracked = task.finally(() => running.delete(tracked));
      running.add(tracked);
    }
  }
  await Promise.all(running);
  // Holds taken over from a killed run weigh too, though no answer of this run met the threshold.
  if (!firstError && held.length && !o.signal?.aborted && otherLedgerVerdict(verdictTally()) === 'stop') firstError = new OtherLedgerStop(verdictTally());
  // After a stop they stay skipped (other_ledger). Otherwise it was not another ledger (a handful who added
  // the app themselves, or Ctrl-C before any verdict): they are welcomed like anyone who already had it.
  const decide = firstError instanceof OtherLedgerStop ? confirmedOtherLedger : releasedFromOtherLedgerHold;
  for (const id of held) {
    const now = d.clock.now();
    await applyChange(d.store, d.tenantId, id, (x) => decide(x), { at: now, actor: 'install', rolloutId: o.rolloutId });
  }
  if (firstError) throw firstError;
  return tally;
}

/**
 * The people earlier runs of this ledger held as skipped (other_ledger): `decided` by a stop (they count
 * for the verdict), or `undecided` because that run was killed before its verdict (this run decides).
 */
async function earlierHolds(d: InstallPassDeps): Promise<{ undecided: string[]; decided: number }> {
  const out = { undecided: [] as string[], decided: 0 };
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const rows = await d.store.listUsers({ tenantId: d.tenantId, states: ['skipped'], after, limit: 1000 });
    if (rows.length === 0) return out;
    after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
    for (const r of rows) {
      if (r.reason !== 'other_ledger') continue;
      if (isUndecidedHold(r)) out.undecided.push(r.aadObjectId);
      else out.decided++;
    }
  }
}
