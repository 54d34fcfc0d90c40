import type { SimContext } from './context.js';
import { ConversationWindows, ServerBucket, type Limits } from './limits.js';

/** One server-side bucket per limited API class (limits.ts), full at `now`. */
export function createBuckets(limits: Limits, now: number): SimContext['buckets'] {
  return {
    graphGet: new ServerBucket(limits.graphGet, now),
    graphPost: new ServerBucket(limits.graphPost, now),
    graphDelete: new ServerBucket(limits.graphDelete, now),
    graphDirectory: new ServerBucket(limits.graphDirectory, now),
    bot: new ServerBucket(limits.bot, now),
    conversations: new ConversationWindows(limits.botPerConversation),
  };
}
