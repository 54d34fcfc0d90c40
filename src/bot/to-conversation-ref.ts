import type { Activity } from 'botframework-schema';
import type { ConversationInstallRow, ConversationReferenceRow, ReferenceSource } from '../store/types.js';

/**
 * What an incoming Teams activity tells us about where the bot can write, as a pure function
 * (wire-facts B1: conversationUpdate with the bot in membersAdded, installationUpdate add/remove,
 * personal vs team vs group-chat scope).
 */
export type ActivityMeaning =
  | { kind: 'personal-install'; ref: ConversationReferenceRow; locale: string | null; displayName: string | null }
  | { kind: 'personal-uninstall'; tenantId: string; aadObjectId: string }
  | { kind: 'conversation-install'; row: ConversationInstallRow }
  | { kind: 'conversation-uninstall'; tenantId: string; conversationId: string }
  | { kind: 'message'; ref: ConversationReferenceRow | null; command: 'stop' | 'start' | 'help' }
  | { kind: 'other' };

export function tenantOf(a: Partial<Activity>): string | null {
  return a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? null;
}

const botAdded = (a: Partial<Activity>) => !!a.recipient?.id && (a.membersAdded ?? []).some((m) => m.id === a.recipient!.id);
const botRemoved = (a: Partial<Activity>) => !!a.recipient?.id && (a.membersRemoved ?? []).some((m) => m.id === a.recipient!.id);

function personalRef(a: Partial<Activity>, source: ReferenceSource, now: number): ConversationReferenceRow | null {
  const tenantId = tenantOf(a);
  const aadObjectId = a.from?.aadObjectId;
  if (!tenantId || !aadObjectId || !a.conversation?.id || !a.serviceUrl) return null;
  return {
    tenantId,
    aadObjectId: aadObjectId.toLowerCase(),
    conversationId: a.conversation.id,
    serviceUrl: a.serviceUrl, // exactly as received, trailing slash and all (wire-facts B1)
    userId: a.from?.id ?? null,
    botId: a.recipient?.id ?? null,
    source,
    capturedAt: now,
  };
}

/** Stop/start/help from a typed message or the welcome card's buttons (Action.Submit data `{action}`). */
export function commandOf(a: Partial<Activity>): 'stop' | 'start' | 'help' {
  const fromCard = (a.value as { action?: unknown } | undefined)?.action;
  const raw = typeof fromCard === 'string' ? fromCard : (a.text ?? '');
  const text = raw
    .replace(/<at>.*?<\/at>/gi, '')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  if (/^(stop|unsubscribe|opt[ -]?out)\b/.test(text)) return 'stop';
  if (/^(start|subscribe|opt[ -]?in)\b/.test(text)) return 'start';
  return 'help';
}

export function interpretActivity(a: Partial<Activity>, now: number): ActivityMeaning {
  const scope = a.conversation?.conversationType ?? 'personal';
  const tenantId = tenantOf(a);
  const install = (a.type === 'installationUpdate' && (a.action === 'add' || a.action === 'add-upgrade')) || (a.type === 'conversationUpdate' && botAdded(a));
  const uninstall = (a.type === 'installationUpdate' && a.action === 'remove') || (a.type === 'conversationUpdate' && botRemoved(a));
  if (scope === 'personal') {
    if (install) {
      const ref = personalRef(a, a.type === 'installationUpdate' ? 'installationUpdate' : 'conversationUpdate', now);
      return ref ? { kind: 'personal-install', ref, locale: a.locale ?? null, displayName: a.from?.name ?? null } : { kind: 'other' };
    }
    if (uninstall && tenantId && a.from?.aadObjectId) return { kind: 'personal-uninstall', tenantId, aadObjectId: a.from.aadObjectId.toLowerCase() };
    if (a.type === 'message') return { kind: 'message', ref: personalRef(a, 'message', now), command: commandOf(a) };
    return { kind: 'other' };
  }
  if (!tenantId || !a.conversation?.id) return { kind: 'other' };
  if (install) {
    const team = (a.channelData as { team?: { id?: string; name?: string } } | undefined)?.team;
    return {
      kind: 'conversation-install',
      row: { tenantId, conversationId: team?.id ?? a.conversation.id, scope: scope === 'groupChat' ? 'groupChat' : 'team', teamId: team?.id ?? null, name: team?.name ?? a.conversation.name ?? null, serviceUrl: a.serviceUrl ?? '', installedAt: now, removedAt: null },
    };
  }
  if (uninstall) return { kind: 'conversation-uninstall', tenantId, conversationId: (a.channelData as { team?: { id?: string } } | undefined)?.team?.id ?? a.conversation.id };
  return { kind: 'other' };
}
