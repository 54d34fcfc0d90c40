import type { Clock } from '../clock.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { applyChange } from '../store/apply-change.js';
import type { State } from '../ledger/states.js';
import { referenceStored, referenceUnavailable, type Refusal } from '../ledger/transitions.js';
import { ChatUnavailableError, resolveReferenceViaGraph, type GraphReferenceDeps } from '../references/resolve-via-graph.js';
import { tenantServiceUrl } from '../references/tenant-service-url.js';
import { connectorFailureText } from '../sender/classify-send-failure.js';
import type { WelcomeDriver } from '../sender/driver.js';
import type { ConnectorCreate } from '../sender/connector-create.js';
import type { StateCount, Store } from '../store/types.js';


export interface SettleOptions {
  rolloutId: string;
  welcome: boolean;
  /** How long after a 201 to wait for the install event before asking Graph for the chat. */
  referenceWaitMs: number;
  /** Give up waiting for final states after this long. */
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal | undefined;
}

export interface SettleDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  tenantId: string;
  /** Absent: no Graph, so no chasing of missing references (e.g. `welcome --team`). */
  references?: GraphReferenceDeps | undefined;
  welcomer?: WelcomeDriver | undefined;
  /** Creates a 1:1 conversation (the bot side), for someone Graph shows installed whose chat it cannot give. */
  create?: ConnectorCreate | undefined;
}

/** The states that still have work to do, for a run with or without welcomes. */
export function openStates(welcome: boolean): State[] {
  return welcome ? ['pending', 'installing', 'installed', 'already_installed', 'reference_ready', 'welcoming'] : ['pending', 'installing'];
}

/**
 * After the installs: wait until every target of the rollout has a final state. People installed
 * (201) whose install event never reached the bot — lost, or no bot endpoint running — get their
 * reference through Graph after `referenceWaitMs`, so nobody waits forever on an event that will
 * not come (PRODUCT.md §1: "welcoming users … whose install event was lost").
 */
export interface SettleResult {
  settled: boolean;
  counts: StateCount[];
  senderStopped?: Refusal;
  /** People installed by this run whose install event never came: their chat was looked up through Graph after the wait. */
  chatsAfterWait: number;
}

export async function settle(d: SettleDeps, o: SettleOptions, onTick?: (counts: StateCount[]) => void): Promise<SettleResult> {
  const deadline = d.clock.now() + o.timeoutMs;
  const open = new Set(openStates(o.welcome));
  // Looking for people whose install event is overdue reads every row still waiting: a quarter of the wait
  // is often enough, and keeps a large rollout from re-reading its whole backlog on every tick.
  const chaseEveryMs = Math.max(o.pollMs, Math.min(5_000, o.referenceWaitMs / 4));
  let chasedAt = Number.NEGATIVE_INFINITY;
  let countedAt = Number.NEGATIVE_INFINITY;
  let countEveryMs = o.pollMs;
  let counts: StateCount[] = [];
  // One create per person per run (issue 10.1): after that, the person's failure stands.
  const created = new Set<string>();
  const tally = { chatsAfterWait: 0 };
  for (;;) {
    if (o.welcome) await d.welcomer?.ensure();
    // The sender stopped on a refused bot token: the welcomes still waiting would never go; say so now.
    const senderStopped = o.welcome ? d.welcomer?.stoppedBy?.() : undefined;
    if (senderStopped) {
      counts = await d.store.countByState({ rolloutId: o.rolloutId });
      onTick?.(counts);
      return { settled: false, counts, senderStopped, ...tally };
    }
    // Without welcomes, still fetch the chat of people who already had the app, so a later welcome is ready.
    if (d.references && d.clock.now() - chasedAt >= chaseEveryMs) {
      chasedAt = d.clock.now();
      await chaseReferences(d, d.references, o, o.welcome ? ['installed', 'already_installed'] : ['already_installed'], created, tally);
    }
    // The open count reads only the open rows. The full breakdown (for progress) reads the whole rollout, so
    // it is taken less often as it gets dearer: never more than 5% of the time goes to it.
    const waiting = await d.store.countInStates({ rolloutId: o.rolloutId }, [...open]);
    const done = waiting === 0 || d.clock.now() >= deadline || !!o.signal?.aborted;
    if (done || d.clock.now() - countedAt >= countEveryMs) {
      const started = d.clock.now();
      counts = await d.store.countByState({ rolloutId: o.rolloutId });
      countedAt = d.clock.now();
      countEveryMs = Math.max(o.pollMs, 20 * (countedAt - started));
      onTick?.(counts);
    }
    if (waiting === 0) return { settled: true, counts, ...tally };
    if (done) return { settled: false, counts, ...tally };
    await d.clock.sleep(o.pollMs, o.signal).catch(() => undefined);
  }
}

async function chaseReferences(d: SettleDeps, references: GraphReferenceDeps, o: SettleOptions, states: State[], created: Set<string>, tally: { chatsAfterWait: number }): Promise<void> {
  const now = d.clock.now();
  // One state at a time: each page is then a range of the (state, tenant, person) index, so a chase reads
  // the people waiting and no one else (issue 12 "per-tick scans").
  for (const state of states) await chaseState(d, references, o, state, created, tally, now);
}

async function chaseState(d: SettleDeps, references: GraphReferenceDeps, o: SettleOptions, state: State, created: Set<string>, tally: { chatsAfterWait: number }, now: number): Promise<void> {
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const rows = await d.store.listUsers({ rolloutId: o.rolloutId, tenantId: d.tenantId, states: [state], after, limit: 200 });
    if (rows.length === 0) return;
    after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
    for (const row of rows) {
      const since = row.installedAt ?? row.updatedAt;
      const waitFor = row.state === 'already_installed' ? 0 : o.referenceWaitMs;
      if (now - since < waitFor) continue;
      try {
        const ref = await resolveReferenceViaGraph(references, row.aadObjectId, 'settle');
        if (ref && row.state === 'installed') tally.chatsAfterWait++;
        if (!ref) {
          await applyChange(d.store, d.tenantId, row.aadObjectId, (r) => referenceUnavailable(r, 'Graph lists no installation of the app for this person (removed since?)'), { at: now, actor: 'settle' });
        }
      } catch (e) {
        if (e instanceof ChatUnavailableError && d.create && !created.has(row.aadObjectId)) {
          created.add(row.aadObjectId);
          await createInstead(d, d.create, references, row.aadObjectId, e, now);
          continue;
        }
        // Transient trouble (the middleware already retried): try again next tick, up to three waits.
        if (now - since >= 3 * Math.max(o.referenceWaitMs, 5_000)) {
          await applyChange(d.store, d.tenantId, row.aadObjectId, (r) => referenceUnavailable(r, `no install event, and Graph failed: ${errorMessage(e)}`), { at: now, actor: 'settle' });
        } else d.log.debug('chat lookup failed; will try again', { user: row.aadObjectId, error: errorMessage(e) });
      }
    }
  }
}

/**
 * Graph shows the app installed for the person but gives no chat: the guide's "Create the conversation"
 * step with their Entra object id, which Teams accepts when the app is installed for them
 * (send-proactive-messages.md; msteams-docs#11125, wire-facts H2), at the tenant's serviceUrl. Without
 * it they would end failed (reference_unavailable) with the app installed. If the create is refused too,
 * they end so, with a detail naming both steps.
 */
async function createInstead(d: SettleDeps, create: ConnectorCreate, references: GraphReferenceDeps, aadObjectId: string, why: ChatUnavailableError, now: number): Promise<void> {
  const serviceUrl = await tenantServiceUrl(d.store, d.tenantId, references.proactiveServiceUrl);
  let conversationId: string;
  try {
    conversationId = await create({ tenantId: d.tenantId, serviceUrl, memberId: aadObjectId });
  } catch (e) {
    const detail = `${why.message}; creating the conversation (POST v3/conversations) failed too: ${connectorFailureText(e, now)}`;
    await applyChange(d.store, d.tenantId, aadObjectId, (r) => referenceUnavailable(r, detail.slice(0, 1000)), { at: now, actor: 'settle' });
    return;
  }
  const at = d.clock.now();
  await d.store.putReference({ tenantId: d.tenantId, aadObjectId, conversationId, serviceUrl, userId: null, botId: null, source: 'created', capturedAt: at });
  await applyChange(d.store, d.tenantId, aadObjectId, (r) => referenceStored(r, 'created', at), { at, actor: 'settle' });
}

