import { isoTime } from '../clock.js';
import { adviceFor, REASON_ADVICE, STATES } from '../ledger/states.js';
import type { InstallProgress, InstallReport } from '../installer/run.js';
import type { RolloutRow, StateCount } from '../store/types.js';
import { PROGRESS_LABEL_WIDTH, type ProgressSnapshot } from './progress.js';
import type { Refusal } from '../ledger/transitions.js';
import { tokenRefusalFix } from '../bot/token-refusal.js';
import type { Output } from './output-schemas.js';

/**
 * The one place that turns results into output: text for people, JSON for machines. Commands
 * return data; they never format it themselves.
 */
export type OutputFormat = 'text' | 'json';

export function countsByState(counts: StateCount[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) out[c.state] = (out[c.state] ?? 0) + c.count;
  return out;
}

export function countsByReason(counts: StateCount[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) if (c.reason) out[`${c.state}:${c.reason}`] = (out[`${c.state}:${c.reason}`] ?? 0) + c.count;
  return out;
}

/**
 * Calls per second of a paced class: N calls at the limit span N-1 intervals, so N/t reads above the
 * limit on a short run (20 calls in 0.65 s = 30.8/s at 30 rps) although the pacing held.
 */
const pacedRate = (calls: number, seconds: number) => (calls >= 2 && seconds > 0 ? (calls - 1) / seconds : 0);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const secs = (ms: number) => `${fmt(ms / 1000)} s`;

/** Columns of the terminal progress is drawn on: the stream's own, else COLUMNS, else 80. */
export function terminalColumns(streamColumns: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (streamColumns && streamColumns > 0) return streamColumns;
  const c = Number(env.COLUMNS);
  return Number.isInteger(c) && c > 0 ? c : 80;
}

/**
 * Fits a bar's detail into `room` characters by dropping whole ` · ` parts from the end (the most
 * important come first), so a line is never cut mid-word by the terminal.
 */
export function fitDetail(detail: string, room: number): string {
  const parts = detail.split(' · ');
  while (parts.length > 1 && parts.join(' · ').length > room) parts.pop();
  const out = parts.join(' · ');
  return out.length <= room ? out : '';
}

/** The bar's width for a terminal: 28 when there is room, down to 10 on a narrow one. */
const DETAIL_ROOM = 45;
export function barSizeFor(columns: number): number {
  return Math.max(10, Math.min(28, columns - 1 - barFixedWidth(9) - DETAIL_ROOM));
}
/** ' {label} {bar} {value}/{total} {detail}' around the bar and the detail (progress.ts draws that format). */
const barFixedWidth = (valueTotalLength: number) => 1 + PROGRESS_LABEL_WIDTH + 1 + 1 + valueTotalLength + 1;

export function installProgressSnapshot(p: InstallProgress, now: number, limits: { graphPostRps: number }, columns = 80): ProgressSnapshot {
  const d = p.discovered;
  const i = p.install;
  const state = countsByState(p.counts);
  // One rate definition with the summary (pacedRate over the install pass alone): once the pass ends the
  // rate stops, instead of falling while the run waits for welcomes.
  const installSecs = p.installSeconds ?? (p.installStartedAt ? (now - p.installStartedAt) / 1000 : 0);
  const r = pacedRate(i.attempted, installSecs);
  const welcomed = state.welcomed ?? 0;
  const refs = (state.reference_ready ?? 0) + (state.welcoming ?? 0) + welcomed;
  // People ruled out after discovery never get a call: the total is the people this run will install.
  const toInstall = Math.max(d.toInstall - i.ruledOut, i.attempted);
  const barSize = barSizeFor(columns);
  const fit = (value: number, total: number, detail: string) => fitDetail(detail, columns - 1 - barFixedWidth(`${value}/${total}`.length) - barSize);
  const specs = [
    { key: 'found', label: 'found', value: d.targets, total: Math.max(d.targets, 1), detail: `${d.toInstall} to install · ${d.alreadyDone} done before · ${Object.values(d.byReason).reduce((a, b) => a + b, 0)} skipped/failed` },
    { key: 'installed', label: 'installed', value: i.attempted, total: Math.max(toInstall, 1), detail: `${fmt(r)}/s of ${limits.graphPostRps} · ${i.created} new · ${i.conflict} already · ${i.refused} refused · 429s ${p.graphStats.throttled}` },
  ];
  if (p.welcome && (p.phase === 'settle' || p.phase === 'done')) {
    specs.push({ key: 'welcomed', label: 'welcomed', value: welcomed, total: Math.max(d.targets, 1), detail: `references ${refs} · failed ${state.failed ?? 0} · skipped ${state.skipped ?? 0}` });
  }
  const bars = specs.map((b) => ({ ...b, detail: fit(b.value, b.total, b.detail) }));
  const line = `[${secs(now - p.startedAt)}] ${p.phase}: found ${d.targets} · installed ${i.created} new, ${i.conflict} already, ${i.refused} refused of ${toInstall} · ${fmt(r)}/s · 429s ${p.graphStats.throttled}${p.welcome && p.phase === 'settle' ? ` · welcomed ${welcomed}` : ''}`;
  return { bars, line, barSize };
}

/** The install summary as a plain object: what `--output json` prints and what text renders. */
export function installSummary(r: InstallReport): Omit<Output<'install'>, 'ledger'> {
  const byState = countsByState(r.counts);
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  return {
    rolloutId: r.rolloutId,
    dryRun: r.dryRun,
    targets: r.targets,
    app: r.app,
    settled: r.settled,
    welcomesHeld: r.welcomesHeld,
    chatsAfterWait: r.chatsAfterWait,
    interrupted: r.interrupted,
    durationSeconds: Number(((r.finishedAt - r.startedAt) / 1000).toFixed(2)),
    total,
    counts: byState,
    reasons: countsByReason(r.counts),
    preview: r.dryRun ? { targets: r.discovered.targets, toInstall: r.discovered.toInstall, alreadyDone: r.discovered.alreadyDone, byReason: r.discovered.byReason, limitReached: r.discovered.limitReached } : undefined,
    install: { ...r.install, seconds: Number(r.installSeconds.toFixed(2)), perSecond: Number(fmt(pacedRate(r.install.attempted, r.installSeconds), 2)) },
    graph: { requests: r.graph.requests, throttled: r.graph.throttled, retries: r.graph.retries, transientRetries: r.graph.transientRetries },
    senderStopped: r.senderStopped ? { reason: r.senderStopped.reason, statusCode: r.senderStopped.statusCode, serviceCode: r.senderStopped.serviceCode, detail: r.senderStopped.detail } : null,
  };
}

/**
 * The welcome sender stopped at the first refused bot token (issue 11 major 2): what happened, who waits,
 * and the fix. `then` is what to run once it is fixed, which depends on who was sending.
 */
export function senderStoppedLines(refusal: Refusal, appId: string, then: string): string[] {
  const fix = refusal.serviceCode?.startsWith('AADSTS') ? tokenRefusalFix(refusal.serviceCode, appId) : REASON_ADVICE.bot_unauthorized!;
  return [
    `Welcomes stopped at the first refused bot token, instead of failing each person: ${refusal.detail ?? refusal.reason}`,
    'Nobody more is welcomed until that is fixed; the people whose welcome met the refusal are failed (bot_unauthorized), the others wait unsent.',
    `Fix: ${fix} Then ${then}.`,
  ];
}

/** @param ledger where the ledger is (describeDatabase): the next run must use the same one to resume and never welcome twice. */
export function renderInstall(r: InstallReport, format: OutputFormat, limits: { graphPostRps: number }, ledger?: string, botAppId = ''): string {
  const s = installSummary(r);
  if (format === 'json') return JSON.stringify((ledger ? { ...s, ledger } : s) satisfies Output<'install'>);
  const lines: string[] = [];
  if (r.dryRun) {
    const p = s.preview!;
    lines.push(`Dry run for ${r.targets} — nothing was changed.`, `  ${p.targets} people targeted`, `  ${p.toInstall} would be installed${p.limitReached ? ' (stopped at --limit)' : ''}`, `  ${p.alreadyDone} already done by an earlier run`);
    for (const [k, n] of Object.entries(p.byReason).sort()) lines.push(`  ${n} ${k.replace(':', ' (')})`);
    if (ledger) lines.push(ledgerLine(ledger));
    return lines.join('\n');
  }
  lines.push(`Rollout ${r.rolloutId} of "${r.app.displayName}" to ${r.targets}: ${s.total} people in ${fmt(s.durationSeconds)} s${r.settled ? '' : ' (not everyone reached a final state yet)'}.`);
  lines.push(...stateTable(r.counts));
  const pace = r.install.attempted >= 2 ? ` = ${fmt(pacedRate(r.install.attempted, r.installSeconds))}/s` : '';
  lines.push(`Installs: ${r.install.attempted} calls in ${fmt(r.installSeconds)} s${pace} (limit ${limits.graphPostRps}/s); Graph requests ${s.graph.requests}, 429s ${s.graph.throttled}, retries ${s.graph.retries}${s.graph.transientRetries ? ` (${s.graph.transientRetries} of an install's transient 400)` : ''}.`);
  const advice = Object.keys(s.reasons)
    .map((k) => k.split(':')[1]!)
    .filter((reason, i, all) => all.indexOf(reason) === i && adviceFor(reason) && reason !== 'excluded')
    .map((reason) => `  ${reason}: ${adviceFor(reason)}`);
  // unconfirmed has no reason, so REASON_ADVICE cannot carry it: its next step is a flag of install's own.
  if (r.counts.some((c) => c.state === 'unconfirmed' && c.count > 0)) {
    advice.push('  unconfirmed: the welcome may have arrived; `teams-rollout report --state unconfirmed` lists them, and `teams-rollout install --resend-unconfirmed` sends again (each may get two)');
  }
  if (advice.length) lines.push('What to do:', ...advice);
  if (r.senderStopped) lines.push(...senderStoppedLines(r.senderStopped, botAppId, 'run the same command again with --retry-failed: it welcomes both'));
  // No install event reached a bot endpoint for these people (PRODUCT.md §1: the reference is captured from
  // the event Teams posts on install; Graph is the fallback, after the wait).
  if (r.chatsAfterWait > 0) {
    lines.push(
      `No install event arrived for ${r.chatsAfterWait} ${r.chatsAfterWait === 1 ? 'person' : 'people'}: their chat came from Graph after --reference-wait, so each welcome went that much later. Is \`teams-rollout serve\` running at the bot's messaging endpoint? With it, welcomes go as the installs land.`,
    );
  }
  if (r.welcomesHeld) lines.push('Welcomes held (--no-welcome): nobody of this run is welcomed, by install or by serve, until an install without --no-welcome targets them again.');
  if (ledger) lines.push(`${ledgerLine(ledger)} (the next run, status and report must use the same ledger)`);
  return lines.join('\n');
}

export interface OtherLedgerView {
  unknownConflicts: number;
  answers: number;
  /** Held as skipped (other_ledger) by an earlier stop of this ledger. */
  heldBefore?: number | undefined;
  /** The ledger of this run. */
  ledger: string;
  /** Other ledgers found on this machine, newest first (store/ledger-candidates.ts). */
  others: string[];
}

/** Why install stopped when its ledger looks like another rollout's (installer/other-ledger.ts), and the two ways on. */
export function renderOtherLedgerStop(v: OtherLedgerView): string {
  const before = v.heldBefore ? ` (with the ${v.heldBefore} held by an earlier run of this ledger)` : '';
  const lines = [
    `Stopped: ${v.unknownConflicts + (v.heldBefore ?? 0)} of the ${v.answers + (v.heldBefore ?? 0)} people answered so far${before} already had the app, though this ledger never installed or welcomed them.`,
    `This ledger: ${v.ledger}`,
    'The rollout was most likely done with another ledger, and going on would welcome these people a second time. Nobody of them was welcomed: they are recorded as skipped (other_ledger), and the people not reached yet are left as they were.',
  ];
  if (v.others.length) {
    lines.push(`The likely other ledger: ${v.others[0]}${v.others.length > 1 ? ` (also found: ${v.others.slice(1, 4).join(', ')}${v.others.length > 4 ? ', …' : ''})` : ''}`);
    lines.push(`Fix: run the same command with DATABASE_URL=${v.others[0]} (the ledger of the earlier rollout), or, if nobody was welcomed before, add --welcome-already-installed to welcome them anyway.`);
  } else {
    lines.push('No other ledger was found in the default folder or as ./teams-rollout.db here.');
    lines.push('Fix: set DATABASE_URL to the ledger of the earlier rollout (its commands printed it as "Ledger: …"), or, if nobody was welcomed before, add --welcome-already-installed to welcome them anyway.');
  }
  return lines.join('\n');
}

/** `install --resend-unconfirmed`: how many welcomes go again (or, in a dry run, would). */
export function renderResendNotice(n: number, dryRun: boolean): string {
  return dryRun ? `--resend-unconfirmed (dry run): ${n} unconfirmed welcome(s) would be sent again; nothing was changed.` : `--resend-unconfirmed: ${n} welcome(s) will go again.`;
}

/** After Ctrl-C or SIGTERM during `install` (exit 130): what to do next, and why it is safe. */
export function renderInstallInterrupted(): string {
  return "Interrupted — run the same command to resume: the ledger keeps every person's place, and nobody is welcomed twice.";
}

/** `install --retry-failed` or `--resend-unconfirmed` written without targets: whose targets it takes. */
export function renderLastTargetsNotice(flag: string, rolloutId: string, targets: string): string {
  return `${flag}: over the targets of rollout ${rolloutId} (${targets}).`;
}

/**
 * Every command names its ledger (issue 11 major 6): a run with another ledger knows nobody and would
 * welcome everyone again, so the place must be seen, not guessed.
 */
export function ledgerLine(ledger: string): string {
  return `Ledger: ${ledger}`;
}

/** Counts by state, then reason, in the order of the state machine. */
export function stateTable(counts: StateCount[]): string[] {
  const order = (s: string) => STATES.indexOf(s as (typeof STATES)[number]);
  return [...counts]
    .sort((a, b) => order(a.state) - order(b.state) || (a.reason ?? '').localeCompare(b.reason ?? ''))
    .map((c) => `  ${String(c.count).padStart(7)}  ${c.state}${c.reason ? ` (${c.reason})` : ''}`);
}


export interface StatusView {
  counts: StateCount[];
  rollout: RolloutRow | undefined;
  /** Only this rollout's people, when --rollout was given. */
  rolloutFilter: string | undefined;
  /** The holder of the sender lease, or null. */
  sender: string | null;
  /** Whether an install holds the tenant's installer lease now (the unfinished rollout is running, not interrupted). */
  installRunning?: boolean;
  ledger: string;
}

export type RolloutOutcome = 'running' | 'interrupted' | 'finished';

/**
 * What became of a rollout: one stopped by Ctrl-C records that in its summary; one with no finish
 * time is running while an install holds the lease, and was interrupted (killed) otherwise.
 */
export function rolloutOutcome(r: Pick<RolloutRow, 'finishedAt' | 'summary'>, installRunning: boolean): RolloutOutcome {
  if (r.finishedAt === null) return installRunning ? 'running' : 'interrupted';
  try {
    return (JSON.parse(r.summary ?? '{}') as { interrupted?: boolean } | null)?.interrupted === true ? 'interrupted' : 'finished';
  } catch {
    return 'finished';
  }
}

function describeRollout(r: RolloutRow, installRunning: boolean): string {
  const head = `Latest rollout: ${r.id} (${r.targets}), started ${isoTime(r.startedAt)}`;
  switch (rolloutOutcome(r, installRunning)) {
    case 'running':
      return `${head}, still running`;
    case 'interrupted':
      return `${head}, interrupted${r.finishedAt ? ` ${isoTime(r.finishedAt)}` : ''} — run the same install command again to resume`;
    case 'finished':
      return `${head}, finished ${isoTime(r.finishedAt!)}`;
  }
}

/** `teams-rollout status`: counts by state and reason, the latest rollout and who sends the welcomes. */
export function renderStatus(v: StatusView, format: OutputFormat): string {
  const total = v.counts.reduce((n, c) => n + c.count, 0);
  const r = v.rollout;
  if (format === 'json') {
    const latestRollout = r ? { id: r.id, targets: r.targets, startedAt: isoTime(r.startedAt), finishedAt: r.finishedAt ? isoTime(r.finishedAt) : null, outcome: rolloutOutcome(r, !!v.installRunning) } : null;
    return JSON.stringify({ total, counts: countsByState(v.counts), reasons: countsByReason(v.counts), latestRollout, sender: v.sender, ledger: v.ledger } satisfies Output<'status'>);
  }
  return [
    `${total} people${v.rolloutFilter ? ` in rollout ${v.rolloutFilter}` : ' in the ledger'}`,
    ledgerLine(v.ledger),
    ...stateTable(v.counts),
    r ? describeRollout(r, !!v.installRunning) : 'No rollout yet: run teams-rollout install.',
    `Welcome sender: ${v.sender ?? 'none running'}`,
  ].join('\n');
}

export interface TeamWelcomeView {
  rolloutId: string;
  team: string;
  members: number;
  created: number;
  alreadyReady: number;
  failedToCreate: number;
  settled: boolean;
  counts: StateCount[];
  ledger: string;
}

/** `teams-rollout welcome --team`: the team's members and what became of each. */
export function renderTeamWelcome(v: TeamWelcomeView, format: OutputFormat): string {
  if (format === 'json') {
    return JSON.stringify({ rolloutId: v.rolloutId, team: v.team, members: v.members, conversationsCreated: v.created, alreadyReady: v.alreadyReady, failedToCreate: v.failedToCreate, settled: v.settled, counts: countsByState(v.counts), ledger: v.ledger } satisfies Output<'welcome-team'>);
  }
  return [`Team ${v.team}: ${v.members} members, ${v.created} conversations created, ${v.alreadyReady} already had one.`, ...stateTable(v.counts), ledgerLine(v.ledger)].join('\n');
}

export interface RolloutListItem {
  rollout: RolloutRow;
  /** Whether its installer still holds the lease (only the latest can be running). */
  installRunning: boolean;
  counts: StateCount[];
}

/** `teams-rollout status --all`: every rollout, oldest first, with its targets, times, outcome and counts. */
export function renderRollouts(items: RolloutListItem[], ledger: string, format: OutputFormat): string {
  const rows = items.map(({ rollout: r, installRunning, counts }) => ({
    id: r.id,
    targets: r.targets,
    startedAt: isoTime(r.startedAt),
    finishedAt: r.finishedAt ? isoTime(r.finishedAt) : null,
    outcome: rolloutOutcome(r, installRunning),
    total: counts.reduce((n, c) => n + c.count, 0),
    counts: countsByState(counts),
  }));
  if (format === 'json') return JSON.stringify({ rollouts: rows, ledger } satisfies Output<'status-all'>);
  if (!rows.length) return [ledgerLine(ledger), 'No rollout yet: run teams-rollout install.'].join('\n');
  const lines = [`${rows.length} ${rows.length === 1 ? 'rollout' : 'rollouts'}, oldest first`, ledgerLine(ledger)];
  for (const x of rows) {
    lines.push(`${x.id}  ${x.outcome}  ${x.startedAt} → ${x.finishedAt ?? '…'}  ${x.targets}`);
    const byState = Object.entries(x.counts).map(([s, n]) => `${n} ${s}`);
    lines.push(`  ${x.total} people${byState.length ? `: ${byState.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}
