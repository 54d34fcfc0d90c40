import type { TurnContext } from 'botbuilder';
import type { Clock } from '../clock.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { applyChange } from '../store/apply-change.js';
import { optedIn, optedOut, referenceStored, uninstalledByUser } from '../ledger/transitions.js';
import { replacesStored } from '../references/replaces-stored.js';
import { rememberServiceUrl } from '../references/tenant-service-url.js';
import type { ConversationReferenceRow, Store } from '../store/types.js';
import { interpretActivity, tenantOf } from './to-conversation-ref.js';
import { replyText } from './replies.js';

export interface ActivityHandlerDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Wakes the sender in this process: a reference is ready. */
  onReferenceReady: () => void;
  app: { name: string; offer: string };
}

/**
 * Handles one verified activity (botbuilder has checked the token before we are called): capture
 * references idempotently (either order, duplicates, a later serviceUrl), record uninstalls and
 * team installs, and answer stop/start/help.
 */
export function createActivityHandler(d: ActivityHandlerDeps) {
  return async (context: TurnContext): Promise<void> => {
    const a = context.activity;
    const now = d.clock.now();
    const tenantId = tenantOf(a);
    if (tenantId && a.serviceUrl) await rememberServiceUrl(d.store, tenantId, a.serviceUrl);
    const meaning = interpretActivity(a, now);
    switch (meaning.kind) {
      case 'personal-install':
        await capture(d, meaning.ref, meaning.displayName, meaning.locale, sentAtOf(a));
        return;
      case 'personal-uninstall':
        await applyChange(d.store, meaning.tenantId, meaning.aadObjectId, (r) => uninstalledByUser(r), { at: now, actor: 'capture' });
        return;
      case 'conversation-install':
        await d.store.putConversationInstall(meaning.row);
        return;
      case 'conversation-uninstall': {
        const existing = (await d.store.listConversationInstalls(meaning.tenantId)).find((c) => c.conversationId === meaning.conversationId);
        if (existing) await d.store.putConversationInstall({ ...existing, removedAt: now });
        return;
      }
      case 'message': {
        if (meaning.ref) await refreshReference(d, meaning.ref);
        const who = meaning.ref;
        if (who && meaning.command !== 'help') {
          const hasRef = !!(await d.store.getReference(who.tenantId, who.aadObjectId));
          await ensureRow(d, who, null, a.locale ?? null);
          await applyChange(d.store, who.tenantId, who.aadObjectId, (r) => (meaning.command === 'stop' ? optedOut(r, now) : optedIn(r, hasRef)), { at: now, actor: 'reply' });
          if (meaning.command === 'start') d.onReferenceReady();
        }
        try {
          await context.sendActivity(replyText(meaning.command, d.app));
        } catch (e) {
          d.log.warn('could not answer a message', { error: errorMessage(e) });
        }
        return;
      }
      default:
        return;
    }
  };
}

async function ensureRow(d: ActivityHandlerDeps, ref: ConversationReferenceRow, displayName: string | null, locale: string | null): Promise<void> {
  await d.store.insertUsers(
    [{ tenantId: ref.tenantId, aadObjectId: ref.aadObjectId, userPrincipalName: null, displayName, locale, state: 'pending', reason: null, rolloutId: null }],
    d.clock.now(),
    'capture',
  );
}

/**
 * Each install brings two activities (installationUpdate and conversationUpdate) with the same
 * reference, and Teams may repeat them: write only what is new (reads are cheap, writes are not).
 */
async function capture(d: ActivityHandlerDeps, ref: ConversationReferenceRow, displayName: string | null, locale: string | null, sentAt: number | undefined): Promise<void> {
  const old = await d.store.getReference(ref.tenantId, ref.aadObjectId);
  if (replacesStored(old, ref, sentAt)) await d.store.putReference(ref);
  // The row just read is the one the change is decided on (a compare-and-set on its version): one read, not two.
  const row = await d.store.getUser(ref.tenantId, ref.aadObjectId);
  if (!row) await ensureRow(d, ref, displayName, locale);
  const r = await applyChange(d.store, ref.tenantId, ref.aadObjectId, (x) => referenceStored(x, ref.source, ref.capturedAt), { at: ref.capturedAt, actor: 'capture' }, row, true);
  if (r.row?.state === 'reference_ready') d.onReferenceReady();
}

/** A message carries the freshest serviceUrl and the conversation id: keep the reference current. */
async function refreshReference(d: ActivityHandlerDeps, ref: ConversationReferenceRow): Promise<void> {
  const old = await d.store.getReference(ref.tenantId, ref.aadObjectId);
  if (!old || old.serviceUrl !== ref.serviceUrl || old.conversationId !== ref.conversationId) await d.store.putReference(ref);
}

/** The activity's own timestamp in ms (botbuilder makes it a Date; a raw string otherwise), if it has a valid one. */
function sentAtOf(a: { timestamp?: Date | string | undefined }): number | undefined {
  const t = a.timestamp instanceof Date ? a.timestamp.getTime() : typeof a.timestamp === 'string' ? Date.parse(a.timestamp) : NaN;
  return Number.isFinite(t) ? t : undefined;
}
