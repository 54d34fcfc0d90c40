/**
 * The library: the same pieces the CLI uses, for a botbuilder bot that wants reference capture and
 * exactly-once welcomes on its own adapter (PRODUCT.md §3 "Library").
 */
export { openStore } from './store/open.js';
export type { Store, UserRow, ConversationReferenceRow, ConversationInstallRow, RolloutRow } from './store/types.js';
export { STATES, SKIP_REASONS, FAIL_REASONS, FINAL_STATES, REASON_ADVICE, type State } from './ledger/states.js';
export { interpretActivity, commandOf, type ActivityMeaning } from './bot/to-conversation-ref.js';
export { createActivityHandler, type ActivityHandlerDeps } from './bot/on-activity.js';
export { createBotApp, type BotAppOptions } from './bot/app.js';
export { BotAdapter, createCloudAdapter } from './bot/adapter.js';
export { createSingleAttemptHttpClient, ConnectorAttemptError } from './bot/single-attempt-http-client.js';
export type { BotAuthSettings } from './config.js';
export { WelcomeWorker, SENDER_LEASE, type WelcomeWorkerOptions } from './sender/welcome-worker.js';
export { sendWelcome, type SendWelcomeDeps } from './sender/send-welcome.js';
export { createConnectorSend } from './sender/connector-send.js';
export { loadWelcomeCard, DEFAULT_CARD_PATH, type WelcomeCard, type RolloutContext } from './sender/card.js';
export { BotPacing } from './sender/bot-pacing.js';
export { runInstall, type InstallRunOptions, type InstallReport } from './installer/run.js';
export { parseConfig, type Config } from './config.js';
export { createSystemClock, type Clock } from './clock.js';
export { createLogger, silentLogger, type Logger } from './log.js';
export { startTenant, type StartTenantOptions, type RunningTenant } from './simulator/server.js';
