/**
 * The table of contents of the CLI: every command, flag and description in one place. Each command
 * module is imported lazily, so `teams-rollout simulate` does not load botbuilder, and so on.
 */
import { Argument, Command, Option } from 'commander';
import { COMPLETION_SHELLS, completeWith, completionScript, type CompletionShell } from './completion.js';
import { FAIL_REASONS, SKIP_REASONS, STATES } from '../ledger/states.js';
import { DEFAULT_INSTALL_CONCURRENCY } from '../installer/defaults.js';
// Two small lists without imports of their own: commands.ts loads no simulator code.
import { SIM_CLOUDS } from '../simulator/cloud.js';
import { CONVERSATION_ID_FORMS } from '../simulator/env.js';
import { readFileSync } from 'node:fs';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const collect = (value: string, previous: string[]) => [...previous, value];
/** Commands return an exit code; main.ts turns it into the process's. */
const exitWith = (code: number) => {
  process.exitCode = code;
};

const outputOption = () => new Option('--output <format>', 'text for people, json for machines').choices(['text', 'json']).default('text');

export function buildProgram(): Command {
  const program = new Command('teams-rollout')
    .description('Install a Teams app with a bot for everyone, capture each conversation reference, and welcome each person exactly once.')
    .version(VERSION)
    .option('--verbose', 'print stack traces and debug logs')
    .showHelpAfterError('(run with --help for the options)')
    .exitOverride();

  program
    .command('demo')
    .description('A whole rollout on the simulated tenant: starts it, runs serve and install --all-users, prints the report (what npm start runs).')
    .option('--users <n>', 'people in the simulated tenant', '1000')
    .option('--seed <s>', 'seed for the population and the faults', '1')
    .option('--faults <spec>', 'fault rates, e.g. 429=5%,503=1%,502=1%,lost-events=2%,duplicate-events=2%')
    .option('--limits <spec>', 'rate limits: published (default), off, x100, …')
    .option('--dir <folder>', 'where to write report.csv, report.json (and the ledger, unless DATABASE_URL is set)')
    .option('--save-inspection', "also write inspection.json: the tenant's own record of what each person got")
    .addOption(outputOption())
    .action(async (options) => {
      const { runDemoCommand } = await import('./demo.js');
      exitWith(await runDemoCommand(options));
    });

  program
    .command('simulate')
    .description('Run the simulated Microsoft 365 tenant alone; prints one JSON line with the env settings that point the other commands at it.')
    .option('--users <n>', 'people in the tenant', '1000')
    .option('--seed <s>', 'seed for the population and the faults', '1')
    .option('--faults <spec>', 'fault rates, e.g. 429=5%,503=1%,lost-events=2%')
    .option('--limits <spec>', 'rate limits: published (default), off, x100, or graph-post=30,bot=50…')
    .option('--bot-endpoint <url>', 'where the Teams channel posts install events (your serve /api/messages)')
    .option('--roles <list>', 'Graph application roles granted to the app (comma-separated), to rehearse missing permissions')
    .option('--port <n>', 'HTTP port of the Bot Framework side (0 = any free port)', '0')
    .option('--https-port <n>', 'HTTPS port of the token issuer and Graph (0 = any free port)', '0')
    .option('--host <address>', 'address both listeners bind to (loopback unless you mean otherwise)', '127.0.0.1')
    .addOption(completeWith(new Option('--service-url <form>', 'serviceUrl in the install events: tenant (…/amer/{tenantId}/, as Teams sends today) or regional (…/amer/)').default('tenant'), ['tenant', 'regional']))
    .addOption(new Option('--cloud <name>', "the cloud the tenant lives in: its tokens are for that cloud's Graph and Bot Framework, and its settings name it in TEAMS_CLOUD").choices(SIM_CLOUDS).default('Public'))
    .addOption(new Option('--conversation-ids <form>', 'personal conversation ids in install events: a (a:…, classic), unq (Graph\'s 19:…@unq.gbl.spaces, seen in newer flows) or mixed').choices(CONVERSATION_ID_FORMS).default('a'))
    .addOption(outputOption())
    .action(async (options, command: Command) => {
      const { runSimulate } = await import('./simulate.js');
      await runSimulate({ ...options, verbose: Boolean(command.optsWithGlobals().verbose) });
    });

  program
    .command('install')
    .description('Install the app for the targeted people through Microsoft Graph, paced and resumable, and hand the welcomes to the sender.')
    .option('--all-users', 'everyone in the directory (guests, disabled and unlicensed accounts are skipped with their reason)')
    .option('--group <id>', 'members of this group, nested groups included (repeatable)', collect, [])
    .option('--users <file>', 'a CSV or a list of UPNs / object ids, one a line (header optional, # comments)')
    .option('--exclude <file>', 'leave out the people in this file')
    .option('--exclude-group <id>', 'leave out the members of this group (repeatable)', collect, [])
    .option('--limit <n>', 'only the first N eligible people (a pilot ring)')
    .option('--dry-run', 'show what would happen; change nothing, not even the ledger')
    .option('--since-last', 'only people added since the last --all-users run (Graph delta: new hires)')
    .option('--retry-failed', 'try again the people a previous run left failed')
    .option('--no-welcome', 'install only; do not send welcomes')
    .option('--welcome-already-installed', 'go on when many people already have the app though this ledger never met them (it stops by default: another ledger probably welcomed them)')
    .option('--resend-unconfirmed', 'send again to people whose welcome could not be confirmed (they may get it twice)')
    .option('--concurrency <n>', 'installs in flight at once (pacing still holds the rate to the limit)', String(DEFAULT_INSTALL_CONCURRENCY))
    .option('--reference-wait <seconds>', 'after an install, how long to wait for its install event before asking Graph for the chat', '20')
    .option('--wait <seconds>', 'after the installs, how long to wait for everyone to reach a final state', '600')
    .addOption(outputOption())
    .action(async (options, command: Command) => {
      const { runInstallCommand } = await import('./install.js');
      exitWith(await runInstallCommand({ ...options, verbose: Boolean(command.optsWithGlobals().verbose) }));
    });

  program
    .command('uninstall')
    .description('Undo a pilot: remove the app (Graph DELETE, paced at the published 15/s) from the people of a rollout or a file, and record them as skipped (uninstalled_by_admin) so nobody is welcomed again.')
    .option('--rollout <id>', 'the people of this rollout (`teams-rollout status` names it)')
    .option('--users <file>', 'the people in this file (UPNs or object ids, as for install)')
    .option('--dry-run', 'say how many would be uninstalled; change nothing')
    .option('--concurrency <n>', 'uninstalls in flight at once (pacing still holds the rate to the limit)', '8')
    .addOption(outputOption())
    .action(async (options, command: Command) => {
      const { runUninstallCommand } = await import('./uninstall.js');
      exitWith(await runUninstallCommand({ ...options, verbose: Boolean(command.optsWithGlobals().verbose) }));
    });

  program
    .command('serve')
    .description('Run the bot endpoint (POST /api/messages): capture conversation references, welcome each person once, answer stop/start/help.')
    .option('--port <n>', 'port to listen on (default: PORT, else 3978)')
    .option('--host <address>', 'address to listen on (default: HOST, else 127.0.0.1; use 0.0.0.0 behind your reverse proxy)')
    .option('--card <file>', 'Adaptive Card template for the welcome (default: templates/welcome-card.json)')
    .option('--sweep-every <duration>', 'also install and welcome new hires on a schedule, e.g. 1h (uses the delta link of the last --all-users run)')
    .option('--resend-unconfirmed', 'send again to people whose welcome could not be confirmed (they may get it twice)')
    .addOption(outputOption())
    .action(async (options, command: Command) => {
      const { runServeCommand } = await import('./serve.js');
      exitWith(await runServeCommand({ ...options, verbose: Boolean(command.optsWithGlobals().verbose) }));
    });

  program
    .command('welcome')
    .description("For a team where the bot is already installed: list its members, create each one's 1:1 chat with the bot and welcome them, once (no Graph install needed). Or look at the card first: --preview prints it, --test-to sends it to one person.")
    .option('--team <id>', "the team's conversation id (19:…@thread.tacv2)")
    .option('--card <file>', 'Adaptive Card template for the welcome')
    .option('--wait <seconds>', 'how long to wait for every welcome to be sent', '600')
    .option('--preview', 'print the rendered card JSON (for the Adaptive Cards Designer); nothing is sent or recorded')
    .option('--person <upn>', 'with --preview: render it with this person\'s data (ledger, else directory) instead of a sample person')
    .option('--test-to <upn>', 'send the card to this one person (who has the app) without recording a rollout or changing their state')
    .addOption(outputOption())
    .action(async (options, command: Command) => {
      const { runWelcomeCommand } = await import('./welcome.js');
      exitWith(await runWelcomeCommand({ ...options, verbose: Boolean(command.optsWithGlobals().verbose) }));
    });

  program
    .command('doctor')
    .description('Check configuration, Graph token and permissions, the app in the catalogue, the bot token and the bot endpoint — each with the fix.')
    .option('--endpoint <url>', 'the bot messaging endpoint to probe (default: http://HOST:PORT/api/messages when PORT or HOST is set)')
    .addOption(outputOption())
    .action(async (options) => {
      const { runDoctorCommand } = await import('./doctor.js');
      exitWith(await runDoctorCommand(options));
    });

  program
    .command('status')
    .description('Counts of people by state (and reason) from the store; --watch to follow a run.')
    .option('--watch', 'redraw every 2 seconds until Ctrl-C')
    .option('--rollout <id>', 'only the people of this rollout')
    .option('--all', 'every rollout, oldest first: its targets, start and finish times, outcome and counts')
    .addOption(outputOption())
    .action(async (options) => {
      const { runStatusCommand } = await import('./status.js');
      exitWith(await runStatusCommand(options));
    });

  program
    .command('report')
    .description('One row per person: UPN, object id, state, reason, service code, attempts, installed at, welcomed at.')
    .addOption(new Option('--format <format>', 'table, csv or json').choices(['table', 'csv', 'json']).default('table'))
    .addOption(completeWith(new Option('--state <state>', 'only people in this state (repeatable, or comma-separated)').argParser(collect).default([]), STATES))
    .option('--rollout <id>', 'only the people of this rollout')
    .addOption(completeWith(new Option('--reason <reason>', 'only people with this skip or failure reason (repeatable, or comma-separated)').argParser(collect).default([]), [...SKIP_REASONS, ...FAIL_REASONS]))
    .option('--out <file>', 'write the report to this file instead of stdout (in the --format given)')
    .option('--person <upn|id>', 'one person whole: state, reason, the fix, attempts and every change with its time (text, or json)')
    .addOption(new Option('--output <format>', 'json is the same as --format json').choices(['text', 'json']))
    .action(async (options) => {
      const { runReportCommand } = await import('./report.js');
      exitWith(await runReportCommand({ ...options, format: options.output === 'json' ? 'json' : options.format }));
    });

  program
    .command('completion')
    .description('Print the shell completion script: source <(teams-rollout completion bash), or zsh.')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => {
      process.stdout.write(completionScript(shell, program));
    });

  return program;
}
