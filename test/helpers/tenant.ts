import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTenant, type StartTenantOptions, type RunningTenant } from '../../src/simulator/server.js';

/**
 * Starts a simulated tenant on port 0 with the certificate that `npm test` (scripts/test.ts) made
 * and that this process trusts through NODE_EXTRA_CA_CERTS.
 */
export async function startTestTenant(options: Omit<StartTenantOptions, 'tls'> = {}): Promise<RunningTenant> {
  const dir = process.env.TEAMS_ROLLOUT_TEST_TLS_DIR;
  if (!dir || !process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('The tests need the test certificate: run them with `npm test` (or `npx tsx scripts/test.ts <mocha args>`), not plain mocha.');
  }
  const cert = readFileSync(path.join(dir, 'simulated-tenant-cert.pem'), 'utf8');
  const key = readFileSync(path.join(dir, 'key.pem'), 'utf8');
  return startTenant({ ...options, tls: { key, cert, certPath: path.join(dir, 'simulated-tenant-cert.pem') } });
}
