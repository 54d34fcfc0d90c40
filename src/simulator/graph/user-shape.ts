import type { SimUser } from '../types.js';

/** Properties a `$select` may name on microsoft.graph.user (the ones the simulator holds or can state). */
export const USER_PROPS = [
  'id',
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userType',
  'accountEnabled',
  'preferredLanguage',
  'assignedPlans',
  'jobTitle',
  'mobilePhone',
  'officeLocation',
  'businessPhones',
] as const;

/** What `GET /users` returns without `$select` (user-list.md, "default properties"). */
export const USER_DEFAULT_PROPS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'] as const;

/** Group properties the transitive-members listing can show. */
export const GROUP_PROPS = ['id', 'displayName', 'description', 'mail', 'mailEnabled', 'securityEnabled'] as const;

/** The user as Graph would show it; built per item on demand (never for the whole population at once). */
export function toGraphUser(u: SimUser): Record<string, unknown> {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    givenName: u.givenName,
    surname: u.surname,
    mail: u.mail,
    userType: u.userType,
    accountEnabled: u.accountEnabled,
    preferredLanguage: u.preferredLanguage,
    assignedPlans: u.assignedPlans,
    jobTitle: null,
    mobilePhone: null,
    officeLocation: null,
    businessPhones: [],
  };
}
