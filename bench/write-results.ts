/**
 * The results files: `<stem>.json` (raw, git-ignored) and `<stem>.md` (the tables) side by side, and
 * for a complete full run `bench/results/<date>.*` plus SUMMARY.md; partial and smoke runs go to
 * bench/results/raw/ (git-ignored), so they never replace the committed summary.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine.js';
import { goals, goalsTable, growthTable, mainTable } from './render.js';
import type { Row } from './row.js';
import { FULL, SMOKE, type Scale } from './scenarios.js';
import { summaryMarkdown } from './summary.js';

export interface Results {
  scale: Scale;
  startedAt: Date;
  seconds: number;
  machine: Machine;
  rows: Row[];
  /** A full run of every scenario and strategy (its files are the committed ones). */
  complete: boolean;
}

/** Writes the files; returns the markdown printed to stdout and the paths written. */
export function writeResults(r: Results): { markdown: string; files: string[] } {
  const dir = path.resolve('bench', 'results', ...(r.complete ? [] : ['raw']));
  const stem = r.complete ? r.startedAt.toISOString().slice(0, 10) : `${r.scale.name}-${r.startedAt.toISOString().replace(/[:.]/g, '-')}`;
  mkdirSync(dir, { recursive: true });
  const tables = [`## All scenarios\n\n${mainTable(r.rows)}`, `## Growth (scenario 4)\n\n${growthTable(r.rows)}`, `## Goals and the figures of issues 3 and 4\n\n${goalsTable(goals(r.rows, r.scale.growth))}`].join('\n\n');
  const markdown = `# teams-rollout bench, ${r.scale.name}, ${r.startedAt.toISOString()}\n\n${r.machine.line} · run took ${(r.seconds / 60).toFixed(1)} min\n\n${tables}\n`;
  const files = [path.join(dir, `${stem}.json`), path.join(dir, `${stem}.md`)];
  writeFileSync(files[0]!, JSON.stringify({ scale: { ...r.scale, ccPauseMs: undefined }, startedAt: r.startedAt, seconds: r.seconds, complete: r.complete, machine: r.machine, rows: r.rows }, null, 1));
  writeFileSync(files[1]!, markdown);
  if (r.complete) {
    files.push(path.join(dir, 'SUMMARY.md'));
    writeFileSync(files[2]!, summaryMarkdown({ rows: r.rows, scale: r.scale, startedAt: r.startedAt, seconds: r.seconds, machine: r.machine, resultsFile: `${stem}.md` }));
  }
  return { markdown, files };
}

/** Reads a raw results file back (`--render FILE`: the tables and summary again, without running). */
export function readResults(file: string): Results {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Omit<Results, 'startedAt' | 'scale'> & { startedAt: string; scale: Omit<Scale, 'ccPauseMs'> };
  const scale = { ...(raw.scale.name === 'smoke' ? SMOKE : FULL), ...raw.scale, ccPauseMs: (raw.scale.name === 'smoke' ? SMOKE : FULL).ccPauseMs };
  return { ...raw, scale, startedAt: new Date(raw.startedAt), complete: raw.complete ?? raw.scale.name === 'full' };
}
