import { expect } from 'chai';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTlsMaterial } from '../simulator/tls.js';
import { untrustedCertificate } from './tls-trust.js';

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('untrustedCertificate (why a token call failed: the certificate, not the secret)', function () {
  this.timeout(20_000);

  it('names a certificate this process does not trust, and NODE_EXTRA_CA_CERTS', async () => {
    // A fresh self-signed certificate: not the one the test run trusts through NODE_EXTRA_CA_CERTS.
    const tls = await makeTlsMaterial(mkdtempSync(path.join(tmpdir(), 'untrusted-')));
    const server = createTlsServer({ key: tls.key, cert: tls.cert });
    const port = await listen(server);
    try {
      const why = await untrustedCertificate(`https://127.0.0.1:${port}/tenant/oauth2/v2.0/token`);
      expect(why).to.match(new RegExp(`^the TLS certificate of 127\\.0\\.0\\.1:${port} is not trusted \\((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)`));
      expect(why).to.contain('NODE_EXTRA_CA_CERTS');
    } finally {
      server.close();
    }
  });

  it('says nothing for a trusted certificate (the simulated tenant of this test run)', async () => {
    const dir = process.env.TEAMS_ROLLOUT_TEST_TLS_DIR!;
    const server = createTlsServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'simulated-tenant-cert.pem')) });
    const port = await listen(server);
    try {
      expect(await untrustedCertificate(`https://127.0.0.1:${port}/`)).to.equal(undefined);
    } finally {
      server.close();
    }
  });

  it('says nothing for a host that is down, a plain-TCP answer, http or a bad URL', async () => {
    const plain = createNetServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const port = await listen(plain);
    try {
      expect(await untrustedCertificate(`https://127.0.0.1:${port}/`)).to.equal(undefined);
    } finally {
      plain.close();
    }
    expect(await untrustedCertificate('https://127.0.0.1:1/')).to.equal(undefined);
    expect(await untrustedCertificate('http://127.0.0.1:1/')).to.equal(undefined);
    expect(await untrustedCertificate('not a url')).to.equal(undefined);
  });
});
