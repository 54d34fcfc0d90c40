/**
 * The per-user states of PRODUCT.md §4. One row per user per tenant; every change is recorded with
 * its time and reason.
 *
 *   pending → installing → installed | already_installed → reference_ready → welcoming → welcomed
 *   and the final non-success states skipped(reason), failed(reason), unconfirmed.
 */
export const STATES = [
  'pending',
  'installing',
  'installed',
  'already_installed',
  'reference_ready',
  'welcoming',
  'welcomed',
  'skipped',
  'failed',
  'unconfirmed',
] as const;
export type State = (typeof STATES)[number];

/** Why a user was skipped: nothing was wrong, the tool chose not to act. */
export const SKIP_REASONS = ['guest', 'disabled', 'no_teams_licence', 'excluded', 'opted_out', 'uninstalled_by_user', 'other_ledger', 'uninstalled_by_admin'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why a user failed: something refused, with the HTTP status and the service's code kept beside it. */
export const FAIL_REASONS = [
  'blocked_by_policy',
  'user_not_found',
  'app_not_in_catalog',
  'missing_permission',
  'app_not_manageable',
  'bot_blocked_by_user',
  'bot_blocked_in_tenant',
  'bot_disabled_by_admin',
  'bot_not_in_roster',
  'bot_unauthorized',
  'conversation_not_found',
  'reference_unavailable',
  'message_rejected',
  'card_incomplete',
  'throttled',
  'service_error',
  'network_error',
  'bad_request',
  'unknown',
] as const;
export type FailReason = (typeof FAIL_REASONS)[number];
export type Reason = SkipReason | FailReason;

/** States after which this tool does nothing more for the user on its own. */
export const FINAL_STATES: ReadonlySet<State> = new Set(['welcomed', 'skipped', 'failed', 'unconfirmed']);

/** Skips that a later run re-evaluates from fresh directory data (the person may have changed). */
export const REEVALUATED_SKIPS: ReadonlySet<string> = new Set(['guest', 'disabled', 'no_teams_licence', 'excluded']);

/** What an administrator can do about each reason, for the report and the README: a reason without advice does not compile. */
export const REASON_ADVICE: Record<Reason, string> = {
  guest: 'Guests are not installed by design.',
  disabled: 'The account is disabled; it is picked up again if re-enabled.',
  no_teams_licence: 'Assign a licence that includes Microsoft Teams, then re-run.',
  excluded: 'Excluded by --exclude/--exclude-group.',
  opted_out: 'The person replied "stop"; nothing more is sent unless they reply "start".',
  uninstalled_by_user: 'The person removed the app; it is not reinstalled by default.',
  other_ledger: 'The app was already installed when this ledger first met the person, and the run stopped: another ledger probably welcomed them. Set DATABASE_URL to that ledger, or run the same command with --welcome-already-installed to welcome them anyway.',
  uninstalled_by_admin: 'Removed by `teams-rollout uninstall`; a later install of this person installs it again (someone already welcomed is not welcomed twice).',
  blocked_by_policy: 'An app permission policy blocks the app for this person: allow it in the Teams admin center (Teams apps → Permission policies).',
  user_not_found: 'No such user in the directory: check the UPN or object id in the targets.',
  app_not_in_catalog: 'The app is not in the org catalogue (or was re-uploaded): check TEAMS_APP_ID and that the app is published.',
  missing_permission: 'The app registration lacks a Graph application permission: grant it with admin consent (see `teams-rollout doctor`).',
  app_not_manageable: 'With TeamsAppInstallation.ReadWriteSelfForUser.All the manifest must list this app registration in webApplicationInfo.id.',
  bot_blocked_by_user: 'The person blocked the bot; they are not messaged again.',
  bot_blocked_in_tenant: 'Teams refuses the bot for the whole tenant (TenantNoPermission / CapabilityOverride): allow the app for the organisation in the Teams admin center, then `install --retry-failed`.',
  bot_disabled_by_admin: 'The tenant admin disabled the bot: enable it in the Teams admin center.',
  bot_not_in_roster: 'The bot is not in the conversation (app removed?): the person is reported, not messaged.',
  bot_unauthorized: 'The bot\'s own token was refused (by Entra ID: see the AADSTS code; or by the Bot Connector): check MicrosoftAppId/MicrosoftAppPassword/MicrosoftAppType and the Azure Bot registration (`teams-rollout doctor`), then `install --retry-failed`.',
  conversation_not_found: 'The chat no longer exists and could not be found again through Graph.',
  reference_unavailable: 'No install event arrived and Graph gave no chat: re-run later, or check the bot endpoint.',
  message_rejected: 'The connector refused the message (size or format): check the card template.',
  card_incomplete: "The welcome card had a field with no value for this person (the detail names it), so nothing was sent: fix the template (README \"The card's template fields\") or the person's directory data, then `install --retry-failed`.",
  throttled: 'Still throttled after the retries the policy allows: re-run with `install --retry-failed`.',
  service_error: 'The service failed after the allowed retries: re-run with `install --retry-failed`.',
  network_error: 'The network failed after the allowed retries: re-run with `install --retry-failed`.',
  bad_request: 'The service rejected the request as malformed: run with --verbose and report it.',
  unknown: 'An unexpected answer: run with --verbose and report it.',
};

const REASONS: ReadonlySet<string> = new Set<string>([...SKIP_REASONS, ...FAIL_REASONS]);
export const isReason = (s: string | null | undefined): s is Reason => !!s && REASONS.has(s);

/** The advice for a reason read back from the ledger (a string there), or undefined for one this version does not know. */
export const adviceFor = (reason: string | null | undefined): string | undefined => (isReason(reason) ? REASON_ADVICE[reason] : undefined);
