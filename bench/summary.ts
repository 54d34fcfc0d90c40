/**
 * bench/results/SUMMARY.md, the one committed summary the README links: the goals met or missed, the
 * tables, how every figure was measured, how the baselines were built, and what the numbers cannot say.
 */
import { findings } from './findings.js';
import type { Machine } from './machine.js';
import { goals, goalsTable, growthTable, mainTable, n0 } from './render.js';
import { STRATEGY_LABEL, type Row } from './row.js';
import { CC_PAUSE_MS, FAULTS, PUBLISHED_CC_PAUSE_FACTOR, SEED, type Scale } from './scenarios.js';

export interface SummaryInput {
  rows: Row[];
  scale: Scale;
  startedAt: Date;
  seconds: number;
  machine: Machine;
  resultsFile: string;
}

function baselineNotes(rows: Row[]): string[] {
  const out: string[] = [];
  for (const r of rows.filter((x) => x.strategy !== 'ours' && !x.error && (x.scenario === '1' || x.scenario === '2' || x.scenario === '3'))) {
    const own = r.own ?? {};
    const detail =
      r.strategy === 'guide'
        ? `installs ${JSON.stringify(own.installs)}, ${String(own.references)} references captured, sends ${JSON.stringify(own.sends)}`
        : `statuses ${JSON.stringify(own.statuses)}, ${String(own.pauses)} tenant-wide pause(s)${r.unaccountedNote ? `; unaccounted: ${r.unaccountedNote}` : ''}`;
    out.push(`- Scenario ${r.scenario}, ${STRATEGY_LABEL[r.strategy]} (its own account): ${detail}.`);
  }
  return out;
}

export function summaryMarkdown(s: SummaryInput): string {
  const g = goals(s.rows, s.scale.growth);
  const judged = g.filter((x) => x.met !== null);
  const missed = judged.filter((x) => x.met === false);
  const pauseAtPublished = s.scale.ccPauseMs(1) / 1000;
  const sideBySide = [...new Set(s.rows.filter((r) => r.notes.some((n) => n.startsWith('ran side by side'))).map((r) => `${r.strategy} ${r.scenario === '4' ? `4 at ${n0(r.tenantUsers)}` : r.scenario}`))];
  const missedText = missed.length ? ` — missed: ${missed.map((x) => x.what.split(':')[0]).join('; ')}` : '';
  const referenceWait = s.scale.referenceWait ? ` and \`--reference-wait ${s.scale.referenceWait}\`` : '';
  const sideBySideText = sideBySide.length ? ` ${sideBySide.join(', ')}, which ran side by side` : ' none';
  return `# Benchmarks

Produced by \`npm run bench\` (bench/run.ts) on ${s.startedAt.toISOString().slice(0, 10)}; the full run took ${(s.seconds / 60).toFixed(1)} minutes.
Full tables: [${s.resultsFile}](${s.resultsFile}); raw figures in the git-ignored \`${s.resultsFile.replace(/\.md$/, '.json')}\`.
\`npm run bench -- --smoke\` runs every scenario and strategy at tiny sizes (${s.scale.name === 'full' ? '60 people, limits ×20' : 'as here'}) to prove they still work;
\`--scenario N\` and \`--strategy ours|guide|cc\` run a part.

**Machine:** ${s.machine.line}. Two cores, shared with other engineers' work, also carry the simulated tenant
(it runs in the bench process): absolute times are noisy. Compare ratios and counts within one run.

## Goals: ${judged.length - missed.length} of ${judged.length} met${missedText}

${goalsTable(g)}

## What the figures say

${findings(s.rows).map((line) => `- ${line}`).join('\n')}

## All scenarios

${mainTable(s.rows)}

- **People**: the people of the scenario (the whole tenant; for 3, the new hires). **Floor**: the time the
  limits alone impose: the larger of (people who must get an install call ÷ the install limit, 30 rps published) and
  (welcomable people ÷ the bot limit, 50 rps published); guests, disabled and unlicensed people need no call.
- **429s**: every 429 the tenant answered, Graph and Bot Connector, over all their requests (token requests excluded).
- **Welcomed / Duplicated / Missed**: the tenant's accepted messages per person against its ground truth
  (welcomable = member, already_installed, deleted_chat). Duplicated = people with more than one message.
- **Unaccounted for**: targeted people without a final state in the tool's own report (ours: the rows of
  \`report --format json\`, read from its ledger; CC: its per-recipient statuses, where "Unknown" and no row count;
  the guide keeps no report).
- **Event→welcome**: from the tenant's record of the delivered install event (stamped when the bot endpoint
  answered the POST) to that person's accepted message (the 201); people with no delivered event are left out.
- **Peak RSS / CPU**: of each child process (our \`install\` and \`serve\`, or the baseline's one process),
  read by GNU time (\`/usr/bin/time -f '%M %U %S'\`) from the kernel's rusage when the process exits; serve's share of
  a scenario 1 run that scenario 3 continues is read from /proc (VmHWM, utime + stime) between the two.

## Growth (scenario 4: limits and client rates ×${s.scale.growthFactor}, so the engine is measured, not the limit)

${growthTable(s.rows)}

## How it runs

- Every run starts a fresh simulated tenant (seed \`${SEED}\`) in the bench process with the limits shown;
  scenario 2 adds faults \`${FAULTS}\`. Scenario 3 continues scenario 1's tenant, ledger and running \`serve\`:
  ${n0(s.scale.newHires)} people are added through the tenant's control API, then ours runs \`install --since-last\`.
- Ours: \`dist/main.js serve\` and \`dist/main.js install --all-users\` as child processes, as an administrator runs
  them (and as \`demo\` does), with the CLI defaults${referenceWait}; for raised limits the client's rate
  variables (GRAPH_INSTALLEDAPPS_GET_RPS, …_POST_RPS, GRAPH_DIRECTORY_RPS, BOT_SEND_RPS, BOT_SEND_PER_CONVERSATION_RPS) are
  raised by the same factor. Wall time = the \`install\` command from start to exit (it exits when every person has
  a final state); \`serve\` is already up, as in production.
- Scenarios 5–7 measure our engine alone: 5 is \`install --all-users --no-welcome\` with every limit off; in 6 and 7
  the bench holds the sender lease in the ledger while \`serve\` captures the install events of an
  \`install --no-welcome\` run, then releases it and times \`serve\`'s sender draining the waiting references.
- Runs go one after another, except${sideBySideText}: Company Communicator at the
  published limits spends its time waiting on 429s and pauses, so running it beside the largest growth run keeps the
  whole bench near half an hour.

## The baselines, as reimplemented (bench/baselines/)

Our own TypeScript, written from the published behaviour in peers.md, with the real
\`@microsoft/microsoft-graph-client\` (default middleware: its RetryHandler retries 429/503/504 three times,
honouring Retry-After) and botbuilder's \`CloudAdapter\`; each runs as one process (bundled to plain JavaScript, no
TypeScript loader measured) with its own minimal bot endpoint.

- **${STRATEGY_LABEL.guide}**: references kept in memory from each personal \`conversationUpdate\`;
  \`Promise.all\` over every person for the installs, no pacing; once events stop coming
  (${s.scale.guideQuietMs} ms of quiet), \`createConversation\` + \`continueConversation\` per reference, all at once, with
  botbuilder's default HTTP retries only (3 retries for 429 with Retry-After and for 5xx). No ledger, no report;
  its re-run (scenario 3) is a restarted process: it installs everyone again and welcomes whoever sends an event.
- **${STRATEGY_LABEL.cc}**: the serviceUrl of the first \`conversationUpdate\`, cached tenant-wide; recipients = the
  directory without guests; per recipient without a stored conversation id: POST install (409 = already
  installed), GET the installation, GET its chat, and use chat.id at once (30 at a time, our stand-in for its
  Durable Functions fan-out); then 30 concurrent sends, 5 jittered retries on 429/5xx (Retry-After not read;
  botbuilder gets a one-attempt HTTP client so these are the only retries), then the recipient is "Unknown"
  and never retried, and all sending pauses. **The pause**: CC's ~11 minutes scaled down by the factor the limits
  are raised (×${s.scale.growthFactor} → ${(CC_PAUSE_MS / s.scale.growthFactor / 1000).toFixed(1)} s); at the published limits 11 minutes per pause cannot fit a benchmark, so it
  is ${pauseAtPublished} s (1/${PUBLISHED_CC_PAUSE_FACTOR}): each pause there costs ${PUBLISHED_CC_PAUSE_FACTOR}× more in real life than measured. Its user data
  (conversation ids, serviceUrl) persists between runs; its re-run is a new "all users" notification, since CC cannot
  target only the people not yet done. Not modelled, in CC's favour: its per-user licence lookups while syncing recipients.

${baselineNotes(s.rows).join('\n')}

## What these numbers cannot say

- The simulated tenant enforces the *published* limits with a token bucket; the real services' windows and
  burst tolerance are not public (wire-facts A8, B6). A real tenant adds tens to hundreds of ms per call.
- The tenant, serve and install share ${s.machine.cores} cores; at ×${s.scale.growthFactor} limits the engine figures include that contention.
- One run per scenario, no confidence intervals. Wall times at the published limits are set mostly by the limits
  and vary little; engine times at ×${s.scale.growthFactor} (up to ${n0(s.scale.growth.at(-1) ?? 0)} people) move with the machine's load.
`;
}
