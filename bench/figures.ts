/**
 * What a run did, from the simulated tenant's own records only (never from what a tool says it did):
 * its request counts by API and status, the messages its connector accepted (each with `at`), and the
 * install events its Teams channel posted (each with `at` and `outcome`), against the ground truth of
 * every person's `kind`.
 */
import type { RunningTenant } from '../src/simulator/server.js';

/** checks/README.md: the people who can receive a welcome. */
export const WELCOMABLE = new Set(['member', 'already_installed', 'deleted_chat']);
/** Known from directory data alone (no install call needed to learn it): guests, disabled, unlicensed. */
const NO_CALL_NEEDED = new Set(['guest', 'disabled', 'unlicensed']);

export interface Snapshot {
  at: number;
  messages: number;
  deliveries: number;
  users: number;
  requests: Record<string, Record<string, number>>;
}

export function snapshot(t: RunningTenant): Snapshot {
  const s = t.state;
  return { at: Date.now(), messages: s.messages.length, deliveries: s.deliveries.length, users: s.users.length, requests: JSON.parse(JSON.stringify(s.requests)) };
}

export interface TenantFigures {
  /** People the scenario must handle (everyone, or the new hires of a re-run). */
  cohort: number;
  installsNeeded: number;
  welcomable: number;
  floorSeconds: number;
  requests: number;
  throttled: number;
  throttledGraph: number;
  throttledBot: number;
  installCalls: number;
  installsCreated: number;
  /** Welcomable people of the cohort with at least one accepted message (ever). */
  welcomed: number;
  /** People (anyone in the tenant) with more than one accepted message. */
  duplicated: number;
  /** Messages beyond the first, summed over those people. */
  extraMessages: number;
  /** Welcomable people of the cohort with no message. */
  missed: number;
  /** Messages to people who cannot be welcomed (should be none: the connector refuses them). */
  wrongRecipients: number;
  messagesInRun: number;
  /** Install event delivered to the bot → that person's first accepted message, in this run. */
  latency: { samples: number; p50Ms: number | null; p95Ms: number | null; maxMs: number | null };
  welcomeSpanSeconds: number;
  welcomesPerSecond: number | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function requestDelta(now: Snapshot['requests'], before: Snapshot['requests']) {
  let requests = 0;
  const throttled = { graph: 0, bot: 0 };
  let installCalls = 0;
  let installsCreated = 0;
  for (const [api, byStatus] of Object.entries(now)) {
    if (!api.startsWith('graph.') && !api.startsWith('bot.')) continue; // token requests are not rate limited
    for (const [status, n] of Object.entries(byStatus)) {
      const d = n - (before[api]?.[status] ?? 0);
      requests += d;
      if (status === '429') throttled[api.startsWith('graph.') ? 'graph' : 'bot'] += d;
      if (api === 'graph.installedApps.post') {
        installCalls += d;
        if (status === '201') installsCreated += d;
      }
    }
  }
  return { requests, throttled, installCalls, installsCreated };
}

/**
 * Figures of the run since `before`. `cohortFrom` = index of the first person the run must handle
 * (0 = everyone; a re-run passes the population size before the new hires were added).
 */
export function tenantFigures(t: RunningTenant, before: Snapshot, cohortFrom = 0): TenantFigures {
  const s = t.state;
  const cohort = s.users.slice(cohortFrom);
  const total = new Map<string, number>();
  for (const m of s.messages) if (m.userAadObjectId) total.set(m.userAadObjectId, (total.get(m.userAadObjectId) ?? 0) + 1);
  const run = s.messages.slice(before.messages);
  const firstMessage = new Map<string, number>();
  for (const m of run) if (m.userAadObjectId && !firstMessage.has(m.userAadObjectId)) firstMessage.set(m.userAadObjectId, m.at);
  const firstEvent = new Map<string, number>();
  for (const d of s.deliveries.slice(before.deliveries)) {
    if (d.outcome === 'delivered' && (firstEvent.get(d.userId) ?? Infinity) > d.at) firstEvent.set(d.userId, d.at);
  }
  const latencies: number[] = [];
  for (const [user, at] of firstMessage) {
    const ev = firstEvent.get(user);
    if (ev !== undefined) latencies.push(at - ev);
  }
  latencies.sort((a, b) => a - b);

  const kindOf = new Map(s.users.map((u) => [u.id, u.kind]));
  let duplicated = 0;
  let extraMessages = 0;
  let wrongRecipients = 0;
  for (const [user, n] of total) {
    if (n > 1) {
      duplicated++;
      extraMessages += n - 1;
    }
    if (!WELCOMABLE.has(kindOf.get(user) ?? '')) wrongRecipients++;
  }
  const welcomable = cohort.filter((u) => WELCOMABLE.has(u.kind));
  const welcomed = welcomable.filter((u) => (total.get(u.id) ?? 0) > 0).length;
  const installsNeeded = cohort.filter((u) => !NO_CALL_NEEDED.has(u.kind)).length;
  const limits = t.ctx.limits;
  const r = requestDelta(s.requests, before.requests);
  const span = run.length > 1 ? (run.at(-1)!.at - run[0]!.at) / 1000 : 0;
  return {
    cohort: cohort.length,
    installsNeeded,
    welcomable: welcomable.length,
    floorSeconds: Math.max(installsNeeded / limits.graphPost, welcomable.length / limits.bot),
    requests: r.requests,
    throttled: r.throttled.graph + r.throttled.bot,
    throttledGraph: r.throttled.graph,
    throttledBot: r.throttled.bot,
    installCalls: r.installCalls,
    installsCreated: r.installsCreated,
    welcomed,
    duplicated,
    extraMessages,
    missed: welcomable.length - welcomed,
    wrongRecipients,
    messagesInRun: run.length,
    latency: { samples: latencies.length, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), maxMs: latencies.at(-1) ?? null },
    welcomeSpanSeconds: span,
    welcomesPerSecond: span > 0 ? (run.length - 1) / span : null,
  };
}

/**
 * Samples a tenant counter (e.g. install calls) every `everyMs`, to time a phase from the tenant's
 * side: the rate between the first and the last change of the counter.
 */
export function rateSampler(read: () => number, everyMs = 100) {
  let first: { at: number; n: number } | undefined;
  let last: { at: number; n: number } | undefined;
  let prev = read();
  const timer = setInterval(() => {
    const n = read();
    if (n !== prev) {
      const at = performance.now();
      first ??= { at: at - everyMs / 2, n: prev };
      last = { at, n };
      prev = n;
    }
  }, everyMs);
  return {
    stop(): { count: number; seconds: number; perSecond: number | null } {
      clearInterval(timer);
      if (!first || !last) return { count: 0, seconds: 0, perSecond: null };
      const seconds = (last.at - first.at) / 1000;
      return { count: last.n - first.n, seconds, perSecond: seconds > 0 ? (last.n - first.n) / seconds : null };
    },
  };
}
