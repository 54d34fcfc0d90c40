import { expect } from 'chai';
import type { DirectoryUser } from '../graph/users.js';
import { TEAMS_SERVICE_PLAN_ID } from '../graph/users.js';
import { eligibility } from './eligibility.js';

const teams = [{ service: 'TeamspaceAPI', servicePlanId: TEAMS_SERVICE_PLAN_ID, capabilityStatus: 'Enabled' }];
const base: DirectoryUser = { id: 'u', userPrincipalName: 'ada@contoso.com', displayName: 'Ada', userType: 'Member', accountEnabled: true, preferredLanguage: 'en-US', assignedPlans: teams };

describe('eligibility', () => {
  const table: [string, Partial<DirectoryUser>, string][] = [
    ['a licensed member', {}, 'eligible'],
    ['a guest by userType', { userType: 'Guest' }, 'guest'],
    ['a guest by #EXT# UPN', { userType: null, userPrincipalName: 'ada_fabrikam.com#EXT#@contoso.onmicrosoft.com' }, 'guest'],
    ['a disabled account', { accountEnabled: false }, 'disabled'],
    ['no Teams plan', { assignedPlans: [{ service: 'exchange', servicePlanId: 'x', capabilityStatus: 'Enabled' }] }, 'no_teams_licence'],
    ['a suspended Teams plan', { assignedPlans: [{ ...teams[0]!, capabilityStatus: 'Suspended' }] }, 'no_teams_licence'],
    ['plans not returned: the install decides', { assignedPlans: undefined }, 'eligible'],
    ['accountEnabled unknown: the install decides', { accountEnabled: null }, 'eligible'],
  ];
  for (const [what, over, expected] of table) {
    it(what, () => {
      const e = eligibility({ ...base, ...over });
      expect(e.eligible ? 'eligible' : e.reason).to.equal(expected);
    });
  }
});
