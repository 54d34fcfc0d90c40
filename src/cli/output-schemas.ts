import { z } from 'zod';
import { STATES } from '../ledger/states.js';

/**
 * The machine outputs' contract (issue 11: "a JSON Schema for `report --format json` and each command's
 * `--output json`"). One zod schema per output; the renderers type their JSON objects with these, so a
 * field added to one without its schema does not compile, and `scripts/write-schemas.ts` writes each as
 * JSON Schema (draft 2020-12) to `schemas/`, where scripts that read our output can validate it.
 * Objects are strict: an unknown field fails validation, so the checked-in files cannot fall behind.
 */
const state = z.enum(STATES);
const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
/** Counts by state ("welcomed": 870) and by "state:reason" ("skipped:guest": 40). */
const byKey = z.record(z.string(), count);
/** Where the ledger is (a SQLite file's path or a PostgreSQL URL without its password). */
const ledger = z.string().describe('the ledger this command used: the next command must use the same one to resume');

const describe = <T extends z.ZodType>(schema: T, title: string, description: string) => schema.meta({ title, description });

export const installOutput = describe(
  z.strictObject({
    rolloutId: z.string().nullable().describe('null on a dry run: nothing was recorded'),
    dryRun: z.boolean(),
    targets: z.string().describe('what the command targeted, e.g. "--all-users"'),
    app: z.strictObject({ id: z.string(), displayName: z.string() }),
    settled: z.boolean().describe('every person reached a final state before --wait ran out'),
    welcomesHeld: z.boolean().describe('--no-welcome: the people are installed and their welcomes held'),
    chatsAfterWait: count.describe('people whose chat came from Graph after --reference-wait (no install event reached serve)'),
    interrupted: z.boolean().describe('stopped by Ctrl-C or SIGTERM: the same command resumes'),
    durationSeconds: z.number().nonnegative(),
    total: count,
    counts: byKey,
    reasons: byKey,
    preview: z
      .strictObject({ targets: count, toInstall: count, alreadyDone: count, byReason: byKey, limitReached: z.boolean() })
      .optional()
      .describe('a dry run only: what the run would do'),
    install: z.strictObject({
      attempted: count,
      created: count,
      conflict: count,
      refused: count,
      referencesFromGraph: count,
      ruledOut: count,
      seconds: z.number().nonnegative(),
      perSecond: z.number().nonnegative(),
    }),
    graph: z.strictObject({ requests: count, throttled: count, retries: count, transientRetries: count }),
    senderStopped: z
      .strictObject({ reason: z.string(), statusCode: z.number().int().nullable(), serviceCode: z.string().nullable(), detail: z.string().nullable() })
      .nullable()
      .describe('the welcome sender stopped at a refused bot token; null when it did not'),
    ledger: ledger.optional(),
  }),
  'teams-rollout install --output json',
  'The summary of one install run (or dry run).',
);

export const uninstallOutput = describe(
  z.strictObject({
    dryRun: z.boolean(),
    targets: z.string(),
    targeted: count,
    toUninstall: count,
    removed: count,
    alreadyGone: count,
    refused: z.array(z.strictObject({ user: z.string(), status: z.number().int(), code: z.string().nullable(), detail: z.string() })),
    notInLedger: z.array(z.string()),
    interrupted: z.boolean(),
    seconds: z.number().nonnegative(),
    deletesPerSecond: z.number().nonnegative(),
    graph: z.strictObject({ requests: count, throttled: count, retries: count }),
    ledger: ledger.optional(),
  }),
  'teams-rollout uninstall --output json',
  'The summary of one uninstall run (or dry run).',
);

export const demoOutput = describe(
  z.strictObject({
    users: count,
    durationSeconds: z.number().nonnegative(),
    counts: byKey,
    reasons: byKey,
    rates: z.strictObject({
      installsPerSecond: z.number().nonnegative(),
      installLimit: z.number().positive().nullable().describe('null: no limit (--limits off)'),
      welcomesPerSecond: z.number().nonnegative(),
      welcomeLimit: z.number().positive().nullable(),
    }),
    throttled: z.strictObject({ graph: count, bot: count }),
    requests: z.strictObject({ graph: count, bot: count }),
    firstWelcomeSeconds: z.number().nonnegative().nullable(),
    reports: z.strictObject({ csv: z.string(), json: z.string() }),
    ledger,
  }),
  'teams-rollout demo --output json',
  'A whole rollout on the simulated tenant, as the tenant itself counted it.',
);

export const doctorOutput = describe(
  z.strictObject({
    ok: z.boolean().describe('no check failed (warnings and skipped checks do not count)'),
    checks: z.array(
      z.strictObject({
        name: z.string(),
        ok: z.union([z.boolean(), z.literal('skipped'), z.literal('warn')]),
        detail: z.string(),
        fix: z.string().optional(),
      }),
    ),
    ledger: ledger.optional(),
  }),
  'teams-rollout doctor --output json',
  'Every check, each with its fix when it failed.',
);

const rolloutOutcome = z.enum(['running', 'interrupted', 'finished']);

export const statusOutput = describe(
  z.strictObject({
    total: count,
    counts: byKey,
    reasons: byKey,
    latestRollout: z.strictObject({ id: z.string(), targets: z.string(), startedAt: isoTime, finishedAt: isoTime.nullable(), outcome: rolloutOutcome }).nullable(),
    sender: z.string().nullable().describe('who holds the welcome sender lease, or null'),
    ledger,
  }),
  'teams-rollout status --output json',
  'Counts of people by state and reason, the latest rollout and the welcome sender.',
);

export const rolloutsOutput = describe(
  z.strictObject({
    rollouts: z.array(
      z.strictObject({ id: z.string(), targets: z.string(), startedAt: isoTime, finishedAt: isoTime.nullable(), outcome: rolloutOutcome, total: count, counts: byKey }),
    ),
    ledger,
  }),
  'teams-rollout status --all --output json',
  'Every rollout, oldest first.',
);

/** What a report row and `report --person` both say of a person. */
const personFields = {
  userPrincipalName: z.string().nullable(),
  aadObjectId: z.string(),
  displayName: z.string().nullable(),
  tenantId: z.string(),
  state,
  reason: z.string().nullable(),
  statusCode: z.number().int().nullable(),
  serviceCode: z.string().nullable(),
  detail: z.string().nullable(),
  installAttempts: count,
  welcomeAttempts: count,
  installedAt: isoTime.nullable(),
  welcomedAt: isoTime.nullable(),
  rolloutId: z.string().nullable(),
};

const reportRow = z.strictObject({ ...personFields, optedOut: z.boolean() });
export type ReportRowOutput = z.infer<typeof reportRow>;

export const reportOutput = describe(z.array(reportRow), 'teams-rollout report --format json', 'One row per person in the ledger (or the filter).');

export const personOutput = describe(
  z.strictObject({
    ...personFields,
    fix: z.string().nullable().describe('the next step, or null when there is nothing to do'),
    referenceAt: isoTime.nullable(),
    optedOutAt: isoTime.nullable(),
    history: z.array(
      z.strictObject({ at: isoTime, from: state.nullable(), to: state, reason: z.string().nullable(), actor: z.string(), detail: z.string().nullable(), rolloutId: z.string().nullable() }),
    ),
    ledger,
  }),
  'teams-rollout report --person UPN --output json',
  'One person whole: state, reason, the fix and every change, oldest first.',
);

export const teamWelcomeOutput = describe(
  z.strictObject({
    rolloutId: z.string(),
    team: z.string(),
    members: count,
    conversationsCreated: count,
    alreadyReady: count,
    failedToCreate: count,
    settled: z.boolean(),
    counts: byKey,
    ledger,
  }),
  'teams-rollout welcome --team ID --output json',
  "A team's members and what became of each.",
);

export const cardPreviewOutput = describe(
  z.strictObject({
    person: z.strictObject({
      userPrincipalName: z.string().nullable(),
      displayName: z.string().nullable(),
      locale: z.string().nullable(),
      from: z.enum(['ledger', 'directory', 'sample']),
    }),
    template: z.string(),
    complete: z.boolean().describe('false: this person would end failed (card_incomplete); problems says why'),
    problems: z.array(z.string()),
    card: z.record(z.string(), z.unknown()).nullable().describe('the rendered Adaptive Card'),
  }),
  'teams-rollout welcome --preview --output json',
  'The welcome card rendered for one person; nothing sent or recorded.',
);

const testSendBase = { testTo: z.string(), conversationId: z.string(), chatFrom: z.enum(['ledger', 'graph']), template: z.string(), recorded: z.literal(false) };
export const testSendOutput = describe(
  z.union([
    z.strictObject({ ...testSendBase, sent: z.literal(true), activityId: z.string().nullable() }),
    z.strictObject({ ...testSendBase, sent: z.literal(false), reason: z.literal('card_incomplete'), problems: z.array(z.string()) }),
    z.strictObject({ ...testSendBase, sent: z.literal(false), reason: z.string(), detail: z.string() }),
  ]),
  'teams-rollout welcome --test-to UPN --output json',
  'One test send; nothing recorded.',
);

export const serveReadyOutput = describe(
  z.strictObject({ endpoint: z.url(), port: z.number().int().min(1).max(65535), emulator: z.boolean().describe('MicrosoftAppId unset: unauthenticated local emulator mode'), ledger }),
  'teams-rollout serve --output json',
  'The one line serve prints once it listens (its logs follow as JSON lines on stderr).',
);

export const simulateReadyOutput = describe(
  z.strictObject({
    env: z.record(z.string(), z.string()).describe('the settings that point the other commands at this tenant'),
    inspectUrl: z.url(),
    tenantId: z.string(),
    teamsAppId: z.string(),
  }),
  'teams-rollout simulate',
  'The one line simulate prints once the tenant listens.',
);

export const errorOutput = describe(
  z.strictObject({
    error: z.strictObject({
      code: z.string(),
      message: z.string(),
      fix: z.string().nullable(),
      exitCode: z.number().int().min(1),
    }),
  }),
  'teams-rollout <command> --output json (an error)',
  'What any command prints instead of its output when it fails.',
);

/** Each output's schema under the file name it is written to (schemas/<name>.schema.json). */
export const OUTPUT_SCHEMAS = {
  install: installOutput,
  uninstall: uninstallOutput,
  demo: demoOutput,
  doctor: doctorOutput,
  status: statusOutput,
  'status-all': rolloutsOutput,
  report: reportOutput,
  'report-person': personOutput,
  'welcome-team': teamWelcomeOutput,
  'welcome-preview': cardPreviewOutput,
  'welcome-test-to': testSendOutput,
  serve: serveReadyOutput,
  simulate: simulateReadyOutput,
  error: errorOutput,
} as const;

export type Output<K extends keyof typeof OUTPUT_SCHEMAS> = z.infer<(typeof OUTPUT_SCHEMAS)[K]>;

/** The JSON Schema document of one output, as checked in (a stable, pretty-printed text). */
export function jsonSchemaText(name: keyof typeof OUTPUT_SCHEMAS): string {
  return `${JSON.stringify(z.toJSONSchema(OUTPUT_SCHEMAS[name], { target: 'draft-2020-12' }), null, 2)}\n`;
}
