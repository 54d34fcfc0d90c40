import type { ConversationReferenceRow } from '../store/types.js';

/**
 * Whether the reference an install event carries replaces the one stored. Only what is new is written
 * (Teams repeats its events). One exception: a conversation the sender created again because the old
 * chat was gone (source `created`, issue 10.1) is not replaced by an event Teams sent before that create:
 * a late or duplicated install event still names the dead chat, and later sends must keep the live one.
 * An event sent after the create (a reinstall) names the chat as it is then, and wins as usual.
 * `sentAt`: the activity's timestamp (ms), when it has one; without it the event wins, as before.
 */
export function replacesStored(old: ConversationReferenceRow | undefined, incoming: ConversationReferenceRow, sentAt: number | undefined): boolean {
  if (!old) return true;
  if (old.conversationId === incoming.conversationId) return old.serviceUrl !== incoming.serviceUrl;
  if (old.source === 'created' && sentAt !== undefined && sentAt < old.capturedAt) return false;
  return true;
}
