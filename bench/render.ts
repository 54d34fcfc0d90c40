/**
 * The results as markdown tables: every scenario and strategy, the growth scenario per size, and the
 * figures issues 3 and 4 ask for with their goals.
 */
import { cpuSeconds, floorRatio, STRATEGY_LABEL, throttledShare, type Row } from './row.js';

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const n1 = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : x < 0.1 ? 2 : 1)}%`;
const ms = (n: number | null) => (n === null ? '–' : n0(n));
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

export function scenarioLabel(r: Row): string {
  return r.scenario === '4' ? `4 (${n0(r.tenantUsers)})` : r.scenario;
}

export function mainTable(rows: Row[]): string {
  const head = ['#', 'Strategy', 'People', 'Limits', 'Wall (s)', 'Floor (s)', '÷ floor', '429s (share of requests)', 'Welcomed / welcomable', 'Duplicated', 'Missed', 'Unaccounted for', 'Event→welcome p50 / p95 (ms)', 'Peak RSS (MB)', 'CPU (s)'];
  const out = [line(head), line(head.map(() => '---'))];
  for (const r of rows) {
    if (r.error || r.skipped) {
      const why = r.error ? `**failed**: ${r.error.replace(/\|/g, '/').slice(0, 160)}` : r.skipped!;
      out.push(line([scenarioLabel(r), STRATEGY_LABEL[r.strategy], r.tenantUsers ? n0(r.tenantUsers) : '', r.limits, why, '', '', '', '', '', '', '', '', '', '']));
      continue;
    }
    const f = r.figures;
    const ratio = floorRatio(r);
    out.push(
      line([
        scenarioLabel(r),
        STRATEGY_LABEL[r.strategy],
        r.scenario === '3' ? `${n0(f.cohort)} new of ${n0(r.tenantUsers)}` : n0(f.cohort),
        r.limits + (r.faults ? ' + faults' : ''),
        n1(r.wallSeconds),
        n1(f.floorSeconds),
        ratio === null ? '–' : `${ratio.toFixed(2)}×`,
        `${n0(f.throttled)} (${pct(throttledShare(r))})`,
        ...(r.scenario === '5'
          ? ['install only', '–', '–']
          : [`${n0(f.welcomed)} / ${n0(f.welcomable)}`, f.duplicated ? `${n0(f.duplicated)} (+${n0(f.extraMessages)} msgs)` : '0', n0(f.missed)]),
        r.unaccounted === null ? 'no report' : n0(r.unaccounted),
        `${ms(f.latency.p50Ms)} / ${ms(f.latency.p95Ms)}`,
        r.processes.map((p) => `${p.name} ${n0(p.peakRssMb)}`).join(', '),
        n1(cpuSeconds(r)),
      ]),
    );
  }
  return out.join('\n');
}

export function growthTable(rows: Row[]): string {
  const growth = rows.filter((r) => r.scenario === '4' && !r.error);
  const skipped = (r: Row) => line([STRATEGY_LABEL[r.strategy], n0(r.tenantUsers), r.skipped ?? '', '', '', '', '', '', '']);
  const head = ['Strategy', 'People', 'Wall (s)', 'ms per person', 'Peak RSS (MB), per process', 'CPU (s), all processes', 'CPU ms per person', 'Welcomed / welcomable', '429s'];
  const out = [line(head), line(head.map(() => '---'))];
  for (const r of growth) {
    if (r.skipped) {
      out.push(skipped(r));
      continue;
    }
    out.push(
      line([
        STRATEGY_LABEL[r.strategy],
        n0(r.tenantUsers),
        n1(r.wallSeconds),
        ((r.wallSeconds * 1000) / r.tenantUsers).toFixed(2),
        r.processes.map((p) => `${p.name} ${n0(p.peakRssMb)}`).join(', '),
        n1(cpuSeconds(r)),
        ((cpuSeconds(r) * 1000) / r.tenantUsers).toFixed(2),
        `${n0(r.figures.welcomed)} / ${n0(r.figures.welcomable)}`,
        n0(r.figures.throttled),
      ]),
    );
  }
  return out.join('\n');
}

export interface Goal {
  what: string;
  value: string;
  goal: string;
  met: boolean | null;
  why?: string;
}

const find = (rows: Row[], scenario: string, strategy = 'ours', users?: number) => rows.find((r) => r.scenario === scenario && r.strategy === strategy && !r.error && !r.skipped && (users === undefined || r.tenantUsers === users));

/** Issue 6's goals, then the figures of issues 3 and 4 (each with its goal where it has one). */
export function goals(rows: Row[], growthSizes: number[]): Goal[] {
  const g: Goal[] = [];
  const s1 = find(rows, '1');
  if (s1) {
    const ratio = floorRatio(s1) ?? Infinity;
    g.push({ what: 'Scenario 1: wall time ÷ the floor set by the limits', value: `${ratio.toFixed(2)}× (${n1(s1.wallSeconds)} s vs ${n1(s1.figures.floorSeconds)} s)`, goal: '≤ 1.10×', met: ratio <= 1.1 });
    g.push({ what: 'Scenario 1: 429s', value: `${s1.figures.throttled} of ${n0(s1.figures.requests)} requests (${pct(throttledShare(s1))})`, goal: '< 1%', met: throttledShare(s1) < 0.01 });
    const installLimit = limitOf(s1, 'install');
    if (s1.tenantInstallRate !== null) g.push({ what: `Issue 3: installs per second ÷ the ${installLimit} rps limit (${n0(s1.figures.installCalls)} install calls, tenant-side)`, value: `${n1(s1.tenantInstallRate)}/s = ${(s1.tenantInstallRate / installLimit).toFixed(3)}`, goal: '≥ 0.95', met: s1.tenantInstallRate / installLimit >= 0.95 });
    const p95 = s1.figures.latency.p95Ms;
    g.push({ what: 'Issue 4: install event reaching the endpoint → the welcome\'s 201 (limits on, no faults)', value: `p50 ${ms(s1.figures.latency.p50Ms)} ms, p95 ${ms(p95)} ms (${n0(s1.figures.latency.samples)} people)`, goal: 'p95 < 1,000 ms', met: p95 !== null && p95 < 1000 });
  }
  const s2 = find(rows, '2');
  if (s2) {
    const f = s2.figures;
    g.push({ what: 'Scenario 2 (faults): every welcomable person welcomed exactly once', value: `${n0(f.welcomed)} / ${n0(f.welcomable)} welcomed, ${f.duplicated} duplicated, ${f.missed} missed, ${f.wrongRecipients} wrong recipients`, goal: 'all, once', met: f.missed === 0 && f.duplicated === 0 && f.wrongRecipients === 0 });
  }
  const s5 = find(rows, '5');
  if (s5) {
    const own = (s5.own?.install as { install?: { perSecond?: number } } | undefined)?.install?.perSecond;
    g.push({ what: `Issue 3: people per second the orchestrator sustains, limits off (install --no-welcome, ${n0(s5.tenantUsers)} people)`, value: `${n1(s5.tenantInstallRate)}/s install calls at the tenant; ${n1(own)}/s by its own count; ${n1(s5.tenantUsers / s5.wallSeconds)} people/s over the whole command`, goal: '(no goal)', met: null });
  }
  const rssAt = (size: number) => find(rows, '4', 'ours', size)?.processes.find((p) => p.name === 'install')?.peakRssMb;
  for (const [i, size] of growthSizes.entries()) {
    const rss = rssAt(size);
    if (rss === undefined || i < growthSizes.length - 2) continue;
    const smaller = growthSizes.slice(0, i).map((s) => `${n0(s)}: ${n0(rssAt(s) ?? NaN)} MB`);
    g.push({ what: `Issue 3: peak RSS of install at ${n0(size)} people`, value: `${n0(rss)} MB${smaller.length ? ` (${smaller.join('; ')})` : ''}`, goal: '(PRODUCT §5: memory does not grow with the number of people)', met: null });
  }
  const s6 = find(rows, '6');
  if (s6 && s6.figures.welcomesPerSecond !== null) {
    const limit = limitOf(s6, 'bot');
    const ratio = s6.figures.welcomesPerSecond / limit;
    g.push({ what: `Issue 4: welcomes per second ÷ the ${limit} rps limit (${String(s6.own?.references)} references waiting)`, value: `${n1(s6.figures.welcomesPerSecond)}/s = ${ratio.toFixed(3)}; 429s ${s6.figures.throttledBot}`, goal: '≥ 0.95', met: ratio >= 0.95 });
  }
  const s7 = find(rows, '7');
  if (s7) g.push({ what: `Issue 4: welcomes per second, limits off (${String(s7.own?.references)} references)`, value: `${n1(s7.figures.welcomesPerSecond)}/s`, goal: '(no goal)', met: null });
  return g;
}

/** The limit a row ran under, from its floor (installs or welcomes per second). */
function limitOf(r: Row, which: 'install' | 'bot'): number {
  const m = /x(\d+)/.exec(r.limits);
  const factor = m ? Number(m[1]) : 1;
  return (which === 'install' ? 30 : 50) * factor;
}

export function goalsTable(g: Goal[]): string {
  const out = [line(['Measure', 'Value', 'Goal', 'Met?']), line(['---', '---', '---', '---'])];
  for (const x of g) out.push(line([x.what, x.value, x.goal, x.met === null ? '–' : x.met ? '**yes**' : '**no**']));
  return out.join('\n');
}

export { n0, n1, pct };
