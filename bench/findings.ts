/**
 * What the figures say, in sentences computed from the rows (so that a new run cannot leave an old
 * claim standing in the summary).
 */
import { n0, n1, pct } from './render.js';
import { cpuSeconds, floorRatio, throttledShare, type Row, type Strategy } from './row.js';

const get = (rows: Row[], scenario: string, strategy: Strategy, users?: number) =>
  rows.find((r) => r.scenario === scenario && r.strategy === strategy && !r.error && !r.skipped && (users === undefined || r.tenantUsers === users));
const x = (n: number | null) => (n === null ? '–' : `${n.toFixed(2)}×`);
const own = (r: Row) => (r.own?.install as { install?: { perSecond?: number; seconds?: number } } | undefined)?.install;
const proc = (r: Row, name: string) => r.processes.find((p) => p.name === name);

function rollout(rows: Row[]): string[] {
  const out: string[] = [];
  const [o, g, c] = (['ours', 'guide', 'cc'] as const).map((s) => get(rows, '1', s));
  if (o) out.push(`**Scenario 1.** teams-rollout took ${n1(o.wallSeconds)} s for ${n0(o.figures.cohort)} people (${x(floorRatio(o))} the floor), ${n0(o.figures.throttled)} 429s, ${n0(o.figures.welcomed)} of ${n0(o.figures.welcomable)} welcomed once.`);
  if (g) out.push(`The guide's unpaced calls were over in ${n1(g.wallSeconds)} s having welcomed ${n0(g.figures.welcomed)} of ${n0(g.figures.welcomable)}: ${pct(throttledShare(g))} of its requests got a 429, and the Graph client's three retries do not outlast a storm of ${n0(g.figures.installCalls)} install attempts for ${n0(g.figures.cohort)} people.`);
  if (c) out.push(`Company Communicator's strategy welcomed ${n0(c.figures.welcomed)} of ${n0(c.figures.welcomable)} in ${n1(c.wallSeconds)} s (${x(floorRatio(c))} the floor) with ${pct(throttledShare(c))} of its requests refused (${n0(c.figures.throttledGraph)} on Graph, ${n0(c.figures.throttledBot)} on the connector): two GETs per person (installation, chat) share the 30 rps of the Teams GET limit, and 30 workers with no pacing meet it head-on; a person whose chat lookup still failed after the Graph client's retries, and who sent no install event (already installed: 409), is never welcomed.`);
  const o2 = get(rows, '2', 'ours');
  if (o && o2) {
    const slow = o2.wallSeconds / o.wallSeconds;
    out.push(`**Scenario 2.** With faults, teams-rollout still welcomed ${n0(o2.figures.welcomed)} of ${n0(o2.figures.welcomable)} exactly once, but took ${slow.toFixed(1)}× as long as without: installs went at ${n1(o2.tenantInstallRate)}/s instead of ${n1(o.tenantInstallRate)}/s. Each of the ${n0(o2.figures.throttledGraph)} injected Graph 429s (Retry-After 1 s) pauses the whole install class (paced-retry-middleware.ts), although those 429s come from fault injection and not from the tenant's rate.`);
  }
  const [o3, g3, c3] = (['ours', 'guide', 'cc'] as const).map((s) => get(rows, '3', s));
  if (o3) out.push(`**Scenario 3.** \`install --since-last\` found and welcomed ${n0(o3.figures.welcomed)} of ${n0(o3.figures.welcomable)} new hires in ${n1(o3.wallSeconds)} s (${x(floorRatio(o3))} a floor of ${n1(o3.figures.floorSeconds)} s; process start-up and the Graph delta take the rest), messaging nobody twice.`);
  if (g3) out.push(`The guide, restarted, installed everyone again unpaced and welcomed ${n0(g3.figures.welcomed)} of ${n0(g3.figures.welcomable)} new hires.`);
  if (c3) out.push(`Company Communicator's re-run (an "all users" notification) welcomed ${n0(c3.figures.welcomed)} of ${n0(c3.figures.welcomable)} new hires and messaged ${n0(c3.figures.duplicated)} people a second time.`);
  return out;
}

function growth(rows: Row[]): string[] {
  const ours = rows.filter((r) => r.scenario === '4' && r.strategy === 'ours' && !r.error && !r.skipped).sort((a, b) => a.tenantUsers - b.tenantUsers);
  if (ours.length < 2) return [];
  const per = (r: Row) => `${n0(r.tenantUsers)}: ${((r.wallSeconds * 1000) / r.tenantUsers).toFixed(1)} ms and ${((cpuSeconds(r) * 1000) / r.tenantUsers).toFixed(1)} CPU ms per person`;
  const rss = (name: string) => ours.map((r) => n0(proc(r, name)?.peakRssMb ?? NaN)).join(' → ');
  const [a, b] = [ours.at(-2)!, ours.at(-1)!];
  const change = (cpuSeconds(b) / b.tenantUsers / (cpuSeconds(a) / a.tenantUsers) - 1) * 100;
  const out = [
    `**Growth (×100 limits).** teams-rollout, ${ours.map(per).join('; ')}. From ${n0(a.tenantUsers)} to ${n0(b.tenantUsers)} people the CPU cost per person ${Math.abs(change) < 15 ? `stays within ${Math.abs(change).toFixed(0)}% (linear)` : `${change > 0 ? 'rises' : 'falls'} by ${Math.abs(change).toFixed(0)}%`}${b.notes.some((n) => n.startsWith('ran side by side')) ? ` (the ${n0(b.tenantUsers)} run shared the machine with Company Communicator's runs at the published limits, which use little CPU but some)` : ''}.`,
    `Peak RSS, install ${rss('install')} MB and serve ${rss('serve')} MB across ${ours.map((r) => n0(r.tenantUsers)).join(' / ')} people: bounded (a hundredfold more people adds well under a hundredfold memory), but not flat.`,
  ];
  const installRate = own(b)?.perSecond;
  if (installRate && b.figures.welcomesPerSecond) {
    out.push(`At ${n0(b.tenantUsers)} people the installer ran at ${n1(installRate)}/s and the sender at ${n1(b.figures.welcomesPerSecond)}/s, so welcomes queue behind installs and the event→welcome time (p50 ${n0((b.figures.latency.p50Ms ?? 0) / 1000)} s) measures that queue, not the sender's reaction time.`);
  }
  return out;
}

function engine(rows: Row[]): string[] {
  const out: string[] = [];
  const s5 = get(rows, '5', 'ours');
  if (s5) out.push(`**Engine.** With every limit off, \`install --no-welcome\` made ${n1(s5.tenantInstallRate)} install calls per second at the tenant over ${n0(s5.tenantUsers)} people (peak RSS ${n0(proc(s5, 'install')?.peakRssMb ?? NaN)} MB).`);
  const [s6, s7] = [get(rows, '6', 'ours'), get(rows, '7', 'ours')];
  if (s6 && s7) out.push(`The sender drained ${String(s6.own?.references)} waiting references at ${n1(s6.figures.welcomesPerSecond)}/s under the 50 rps limit (${n0(s6.figures.throttledBot)} 429s) and at ${n1(s7.figures.welcomesPerSecond)}/s with no limit.`);
  return out;
}

export function findings(rows: Row[]): string[] {
  return [...rollout(rows), ...growth(rows), ...engine(rows)];
}
