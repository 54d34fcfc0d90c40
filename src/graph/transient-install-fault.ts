/**
 * Graph's transient install fault: `POST /users/{id}/teamwork/installedApps` now and then answers
 * 400 BadRequest "Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync. UserId: …, Exception(s):
 * '…ServiceException: Failed to execute settings store request: …'", and "on multiple retries the API
 * call succeeds and installs the app for the user" (microsoftgraph/microsoft-graph-docs#20972, 2023;
 * wire-facts A3). The same backend step also fails as "Exception in CreateOrUpdateUserAppEntitlementAsync
 * while sending app status update event …" (microsoft-graph-docs#17523). A 400 is otherwise final
 * (https://learn.microsoft.com/graph/errors), so this one is recognised by its text, on that call only,
 * and retried within the same bounded policy as a 503.
 */
export const ENTITLEMENT_FAULT_TEXT = 'Exception in CreateOrUpdateUserAppEntitlement';

/** True for the install's 400 whose body names Teams' entitlement backend (the body as text, any shape). */
export function isTransientEntitlementFault(status: number, bodyText: string | null | undefined): boolean {
  return status === 400 && typeof bodyText === 'string' && bodyText.includes(ENTITLEMENT_FAULT_TEXT);
}
