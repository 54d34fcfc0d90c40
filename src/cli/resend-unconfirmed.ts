import type { Clock } from '../clock.js';
import { applyChange } from '../store/apply-change.js';
import { resendUnconfirmed } from '../ledger/transitions.js';
import type { Store } from '../store/types.js';

/** `--resend-unconfirmed`: the administrator accepts that some of these people may get a second message. */
export async function resendUnconfirmedAll(store: Store, clock: Clock): Promise<number> {
  let n = 0;
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const rows = await store.listUsers({ states: ['unconfirmed'], after, limit: 500 });
    if (rows.length === 0) return n;
    after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
    for (const r of rows) {
      const res = await applyChange(store, r.tenantId, r.aadObjectId, (row) => resendUnconfirmed(row), { at: clock.now(), actor: 'cli' });
      if (res.changed) n++;
    }
  }
}

/** `--resend-unconfirmed --dry-run`: how many the real run would send again, changing nothing. */
export async function countUnconfirmed(store: Store): Promise<number> {
  let n = 0;
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const rows = await store.listUsers({ states: ['unconfirmed'], after, limit: 500 });
    if (rows.length === 0) return n;
    after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
    n += rows.length;
  }
}
