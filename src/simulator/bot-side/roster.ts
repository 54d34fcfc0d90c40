import type { TenantState } from '../state.js';
import type { SimTeam, SimUser } from '../types.js';

/**
 * Who the bot may talk to. The app is in our catalogue and installed in every team of ctx.state.teams;
 * a person is on the bot's roster when the app is installed for them personally or they are a member
 * of one of those teams (msteams-docs send-proactive-messages.md: a bot can message a user only after
 * it is installed in their personal scope or in a team or chat they belong to).
 */
export function findByBotUserIdOrAadId(state: TenantState, id: string): SimUser | undefined {
  if (id.startsWith('29:')) return state.findUserByBotUserId(id);
  return state.findUser(id);
}

export function teamsOf(state: TenantState, userId: string): SimTeam[] {
  return state.teams.filter((t) => t.memberUserIds.includes(userId));
}

export function onBotRoster(state: TenantState, user: SimUser): boolean {
  return state.installation(user.id, state.app.id) !== undefined || teamsOf(state, user.id).length > 0;
}

/**
 * The user blocked the bot: kind `blocked_bot`. A control route that blocks someone later should set
 * the user's kind to `blocked_bot` (TenantState has no other field for it).
 */
export function hasBlockedBot(user: SimUser): boolean {
  return user.kind === 'blocked_bot';
}
