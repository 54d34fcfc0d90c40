import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';

/**
 * The simulated tenant's HTTPS certificate, made at start. @azure/identity and MSAL refuse an
 * `http:` authority and the Graph client sends its bearer token only over `https://`
 * (wire-facts C and D), so the token issuer and Graph must be HTTPS. Clients trust it through
 * NODE_EXTRA_CA_CERTS, which Node reads once at process start: `certPath` is what to put there.
 */
export interface TlsMaterial {
  key: string;
  cert: string;
  /** A PEM file holding `cert`, for NODE_EXTRA_CA_CERTS. */
  certPath: string;
}

export async function makeTlsMaterial(dir?: string): Promise<TlsMaterial> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'teams-rollout simulated tenant' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const folder = dir ?? mkdtempSync(path.join(tmpdir(), 'teams-rollout-sim-'));
  const certPath = path.join(folder, 'simulated-tenant-cert.pem');
  writeFileSync(certPath, pems.cert, { mode: 0o644 });
  return { key: pems.private, cert: pems.cert, certPath };
}
