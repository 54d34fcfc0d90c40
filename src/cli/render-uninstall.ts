import type { UninstallTally } from '../installer/uninstall-pass.js';
import { ledgerLine, type OutputFormat } from './render.js';
import type { Output } from './output-schemas.js';

export interface UninstallReport {
  dryRun: boolean;
  /** "rollout 20261207-…" or "--users pilot.csv". */
  targets: string;
  tally: UninstallTally;
  interrupted: boolean;
  graph: { requests: number; throttled: number; retries: number };
}

/** Calls per second of a paced class: N calls at the limit span N-1 intervals (as install's summary counts). */
const pacedRate = (calls: number, seconds: number) => (calls >= 2 && seconds > 0 ? (calls - 1) / seconds : 0);

export function uninstallSummary(r: UninstallReport): Omit<Output<'uninstall'>, 'ledger'> {
  const t = r.tally;
  const seconds = (t.finishedAt - t.startedAt) / 1000;
  return {
    dryRun: r.dryRun,
    targets: r.targets,
    targeted: t.targeted,
    toUninstall: t.toUninstall,
    removed: t.removed,
    alreadyGone: t.alreadyGone,
    refused: t.refused,
    notInLedger: t.notInLedger,
    interrupted: r.interrupted,
    seconds: Number(seconds.toFixed(2)),
    deletesPerSecond: Number(pacedRate(t.removed, seconds).toFixed(2)),
    graph: r.graph,
  };
}

/** @param deleteRps the client's DELETE pace (15/s published, https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits). */
export function renderUninstall(r: UninstallReport, format: OutputFormat, deleteRps: number, ledger?: string): string {
  const s = uninstallSummary(r);
  if (format === 'json') return JSON.stringify((ledger ? { ...s, ledger } : s) satisfies Output<'uninstall'>);
  const lines: string[] = [];
  if (r.dryRun) {
    lines.push(`Dry run: uninstall for ${r.targets} — nothing was changed.`, `  ${s.targeted} people targeted`, `  ${s.toUninstall} would be uninstalled (the others never got the app, or it is gone already)`);
  } else {
    lines.push(`Uninstall for ${r.targets}: ${s.targeted} people targeted, ${s.toUninstall} may have had the app.`);
    lines.push(`  uninstalled      ${s.removed}`, `  already gone     ${s.alreadyGone}`, `  refused          ${s.refused.length}`);
    lines.push(`Deletes: ${s.removed} in ${s.seconds.toFixed(1)} s${s.removed >= 2 ? ` = ${s.deletesPerSecond.toFixed(1)}/s` : ''} (limit ${deleteRps}/s); Graph requests ${s.graph.requests}, 429s ${s.graph.throttled}, retries ${s.graph.retries}.`);
    lines.push('They are recorded as skipped (uninstalled_by_admin): nobody is welcomed again; an install that targets them again reinstalls the app, and welcomes only those never welcomed before.');
  }
  for (const f of s.refused.slice(0, 10)) lines.push(`  refused: ${f.user}: ${f.status} ${f.code ?? ''} ${f.detail}`);
  if (s.refused.length > 10) lines.push(`  … and ${s.refused.length - 10} more refused (--output json lists them all)`);
  if (s.refused.length) lines.push('What to do: run the same command again once the cause is fixed; those removed already are not asked again.');
  if (s.notInLedger.length) lines.push(`Not in this ledger (nothing done): ${s.notInLedger.length} line(s), e.g. ${s.notInLedger.slice(0, 3).join('; ')}`);
  if (r.interrupted) lines.push('Interrupted — run the same command to resume: those uninstalled are recorded, the rest are asked next time.');
  if (ledger) lines.push(ledgerLine(ledger));
  return lines.join('\n');
}
