import type { RunningTenant } from '../simulator/server.js';
import type { StateCount, Store } from '../store/types.js';
import { eligibility } from '../installer/eligibility.js';
import type { ProgressSnapshot } from './progress.js';
import { countsByReason, countsByState, stateTable } from './render.js';
import type { Output } from './output-schemas.js';

export interface DemoResult {
  tenant: RunningTenant;
  counts: StateCount[];
  startedAt: number;
  finishedAt: number;
  install: Record<string, unknown> | undefined;
  files: { csv: string; json: string };
  dir: string;
  databaseUrl: string;
}

const sum = (o: Record<string, number> | undefined) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
const status = (t: RunningTenant, api: string, code: string) => t.state.requests[api]?.[code] ?? 0;

/** What the tenant saw (its own request log and messages), not what we believe we did. */
export function tenantFigures(t: RunningTenant) {
  const msgs = t.state.messages;
  const first = msgs[0]?.at;
  const last = msgs.at(-1)?.at;
  const throttled = (prefix: string) => Object.entries(t.state.requests).filter(([api]) => api.startsWith(prefix)).reduce((n, [, byStatus]) => n + (byStatus['429'] ?? 0), 0);
  return {
    installCalls: sum(t.state.requests['graph.installedApps.post']),
    installed: status(t, 'graph.installedApps.post', '201'),
    welcomes: msgs.length,
    firstWelcomeAt: first,
    welcomeSpanSeconds: first && last && last > first ? (last - first) / 1000 : 0,
    graphThrottled: throttled('graph.'),
    botThrottled: throttled('bot.'),
    graphRequests: Object.entries(t.state.requests).filter(([api]) => api.startsWith('graph.')).reduce((n, [, s]) => n + sum(s), 0),
    botRequests: Object.entries(t.state.requests).filter(([api]) => api.startsWith('bot.')).reduce((n, [, s]) => n + sum(s), 0),
  };
}

export async function demoProgress(t: RunningTenant, store: Store, startedAt: number): Promise<ProgressSnapshot> {
  const n = t.state.users.length;
  // The installs bar counts toward the people who get an install call: install's own eligibility rule,
  // applied to the tenant's people, rules out guests, disabled and unlicensed accounts at no call, so a
  // total of everyone could never be reached (issue 11 minor: "installs 880/1000").
  const toInstall = t.state.users.filter((u) => !u.deleted && eligibility(u).eligible).length;
  const f = tenantFigures(t);
  const state = countsByState(await store.countByState({}));
  const refs = (state.reference_ready ?? 0) + (state.welcoming ?? 0) + (state.welcomed ?? 0) + (state.unconfirmed ?? 0);
  const final = (state.welcomed ?? 0) + (state.skipped ?? 0) + (state.failed ?? 0) + (state.unconfirmed ?? 0);
  const secs = (Date.now() - startedAt) / 1000;
  return {
    bars: [
      { key: 'install', label: 'installs', value: f.installCalls, total: Math.max(toInstall, 1), detail: `${f.installed} new · ${(f.installCalls / Math.max(secs, 0.001)).toFixed(1)}/s` },
      { key: 'refs', label: 'references', value: refs, total: n, detail: 'captured from install events or Graph' },
      { key: 'welcome', label: 'welcomes', value: f.welcomes, total: n, detail: `${final}/${n} people final · 429s ${f.graphThrottled + f.botThrottled}` },
    ],
    line: `[${secs.toFixed(0)} s] installs ${f.installCalls}/${toInstall} · references ${refs} · welcomes ${f.welcomes} · final ${final}/${n} · 429s ${f.graphThrottled + f.botThrottled}`,
  };
}

/** A limit that is off is Infinity, which JSON cannot hold (JSON.stringify writes null): say null. */
const finiteOrNull = (n: number) => (Number.isFinite(n) ? n : null);

export function demoSummary(r: DemoResult): Output<'demo'> {
  const f = tenantFigures(r.tenant);
  const counts = countsByState(r.counts);
  const install = r.install as { install?: { perSecond?: number; seconds?: number } } | undefined;
  const welcomesPerSecond = f.welcomeSpanSeconds > 0 ? f.welcomes / f.welcomeSpanSeconds : f.welcomes;
  const limits = r.tenant.ctx.limits;
  return {
    users: r.tenant.state.users.length,
    durationSeconds: Number(((r.finishedAt - r.startedAt) / 1000).toFixed(1)),
    counts,
    reasons: countsByReason(r.counts),
    rates: {
      installsPerSecond: Number((install?.install?.perSecond ?? 0).toFixed(1)),
      installLimit: finiteOrNull(limits.graphPost),
      welcomesPerSecond: Number(welcomesPerSecond.toFixed(1)),
      welcomeLimit: finiteOrNull(limits.bot),
    },
    throttled: { graph: f.graphThrottled, bot: f.botThrottled },
    requests: { graph: f.graphRequests, bot: f.botRequests },
    firstWelcomeSeconds: f.firstWelcomeAt ? Number(((f.firstWelcomeAt - r.startedAt) / 1000).toFixed(1)) : null,
    reports: r.files,
    ledger: r.databaseUrl,
  };
}

export function renderDemo(r: DemoResult, format: 'text' | 'json'): string {
  const s = demoSummary(r);
  if (format === 'json') return JSON.stringify(s);
  const lim = (n: number | null) => (n === null ? 'off' : `${n}/s`);
  return [
    '',
    `Rollout of "${r.tenant.state.app.displayName}" to ${s.users} people on the simulated tenant: done in ${s.durationSeconds} s.`,
    ...stateTable(r.counts),
    `Installs ${s.rates.installsPerSecond}/s (limit ${lim(s.rates.installLimit)}) · welcomes ${s.rates.welcomesPerSecond}/s (limit ${lim(s.rates.welcomeLimit)}; each follows its install) · first welcome after ${s.firstWelcomeSeconds ?? '–'} s`,
    `429s received: Graph ${s.throttled.graph}, Bot Connector ${s.throttled.bot} (of ${s.requests.graph} Graph and ${s.requests.bot} connector requests, as the tenant counted them)`,
    `Report: ${s.reports.csv}`,
    `        ${s.reports.json}`,
    `Look closer: DATABASE_URL=${s.ledger} npx teams-rollout report --state failed`,
  ].join('\n');
}
