/**
 * The table of contents of the CLI: every command, flag and description in one place. Each command
 * module is imported lazily, so `teams-rollout simulate` does not load botbuilder, and so on.
 */
import { Command, Option } from 'commander';

const outputOption = () => new Option('--output <format>', 'text for people, json for machines').choices(['text', 'json']).default('text');

export function buildProgram(): Command {
  const program = new Command('teams-rollout')
    .description('Install a Teams app with a bot for everyone, capture each conversation reference, and welcome each person exactly once.')
    .option('--verbose', 'print stack traces and debug logs')
    .showHelpAfterError('(run with --help for the options)')
    .exitOverride();

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
    .addOption(outputOption())
    .action(async (options) => {
      const { runSimulate } = await import('./simulate.js');
      await runSimulate(options);
    });

  return program;
}
