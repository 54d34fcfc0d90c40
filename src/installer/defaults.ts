/**
 * Installs in flight at once, for `install --concurrency` and serve's new-hire sweep alike. The pacing
 * (token buckets at the published 30 POST/s per app per tenant, wire-facts A8) holds the rate whatever
 * this is; 32 only keeps enough calls in flight to reach the limit over a ~1 s round trip.
 */
export const DEFAULT_INSTALL_CONCURRENCY = 32;
