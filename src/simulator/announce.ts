import type { SimContext } from './context.js';
import type { Installation, SimUser } from './types.js';

/**
 * Tells the Teams channel about an install or uninstall. The Graph answer (201/204) stands whatever the
 * channel does with it, as in Teams, where the event is posted later and separately: a failure there is
 * logged, never turned into a Graph error.
 */
export function announce(ctx: SimContext, event: 'installed' | 'uninstalled' | 'upgraded', user: SimUser, installation: Installation): void {
  try {
    ctx.channel[event]?.(user, installation);
  } catch (e) {
    ctx.log.error('the simulated Teams channel failed to take an install event', { event, userId: user.id, error: (e as Error)?.stack ?? String(e) });
  }
}
