import { UsageError } from '../errors.js';
import type { Store, UserRow } from '../store/types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The person `report --person` names, by UPN (any case) or Entra object id. Looked for in the
 * configured tenant (when AZURE_TENANT_ID is a GUID, not a domain), the latest rollout's and the
 * ledger's first person's: a ledger holds one tenant in practice (it is named by tenant and app).
 */
export async function findPerson(store: Store, who: string, ledger: string, configuredTenant?: string): Promise<UserRow> {
  const tenants = [configuredTenant && GUID.test(configuredTenant) ? configuredTenant : undefined, (await store.latestRollout())?.tenantId, (await store.listUsers({ limit: 1 }))[0]?.tenantId];
  const id = who.trim();
  for (const tenantId of new Set(tenants.filter((t): t is string => !!t))) {
    const found = GUID.test(id) ? ((await store.getUser(tenantId, id)) ?? (await store.getUser(tenantId, id.toLowerCase()))) : (await store.getUsersByUpn(tenantId, [id]))[0];
    if (found) return found;
  }
  throw new UsageError(`--person ${who}: nobody with that UPN or object id in ${ledger}. Check the spelling, or list the people with \`teams-rollout report\`.`);
}
