import type { DirectoryUser } from '../graph/users.js';
import { hasTeamsPlan } from '../graph/users.js';
import type { Eligibility } from '../ledger/transitions.js';

/**
 * Whether the directory already says an install would be pointless, so no call is spent on it
 * (issue: "skipped with their reason, without an install call where the data already says so").
 * When the data is silent (no assignedPlans returned), the install call decides.
 */
export function eligibility(u: DirectoryUser): Eligibility {
  if ((u.userType ?? '').toLowerCase() === 'guest' || /#EXT#@/i.test(u.userPrincipalName ?? '')) {
    return { eligible: false, reason: 'guest', detail: 'userType Guest' };
  }
  if (u.accountEnabled === false) return { eligible: false, reason: 'disabled', detail: 'accountEnabled is false' };
  if (hasTeamsPlan(u) === false) return { eligible: false, reason: 'no_teams_licence', detail: 'no enabled Microsoft Teams service plan in assignedPlans' };
  return { eligible: true };
}
