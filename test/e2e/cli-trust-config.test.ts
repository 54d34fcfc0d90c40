import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';
import type { RunningTenant } from '../../src/simulator/server.js';

/** Issue 11 minors, on the built CLI: an untrusted certificate is named as such, and a malformed client id is caught at start. */
describe('configuration and TLS trust, as an administrator meets them', function () {
  this.timeout(60_000);
  let tenant: RunningTenant;
  before(async () => (tenant = await startTestTenant({ users: 5, seed: 1 })));
  after(() => tenant.stop());
  const authority = () => new URL(tenant.env.AZURE_AUTHORITY_HOST!).host;

  it('install with the tenant certificate not trusted names the certificate and NODE_EXTRA_CA_CERTS, not the secret', async () => {
    // NODE_EXTRA_CA_CERTS empty: this Node trusts only the public CAs, as on a machine behind a TLS-inspecting proxy.
    const r = await runCli(['install', '--all-users', '--dry-run'], { ...tenant.env, NODE_EXTRA_CA_CERTS: '', DATABASE_URL: ':memory:' });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain(`the TLS certificate of ${authority()} is not trusted`).and.contain('NODE_EXTRA_CA_CERTS');
    expect(r.stderr).not.to.contain('AZURE_CLIENT_SECRET');
  });

  it('doctor with the certificate not trusted says so for the Graph token and the bot token', async () => {
    const r = await runCli(['doctor', '--output', 'json'], { ...tenant.env, NODE_EXTRA_CA_CERTS: '', DATABASE_URL: ':memory:' });
    expect(r.code, r.stdout).to.equal(1);
    const checks = (JSON.parse(r.stdout) as { checks: { name: string; ok: unknown; detail: string; fix?: string }[] }).checks;
    for (const name of ['Graph token', 'bot token']) {
      const c = checks.find((x) => x.name === name)!;
      expect(c.ok, name).to.equal(false);
      expect(c.detail, name).to.contain('is not trusted');
      expect(c.fix, name).to.contain('NODE_EXTRA_CA_CERTS').and.not.contain('AZURE_CLIENT_SECRET');
    }
  });

  it('AZURE_CLIENT_ID=not-a-guid is refused at start like MicrosoftAppId (exit 2, nothing called)', async () => {
    const before = JSON.stringify(tenant.state.requests);
    const r = await runCli(['install', '--all-users'], { ...tenant.env, AZURE_CLIENT_ID: 'not-a-guid', DATABASE_URL: ':memory:' });
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/AZURE_CLIENT_ID: "not-a-guid" is not a GUID — copy the Application \(client\) ID/);
    expect(JSON.stringify(tenant.state.requests)).to.equal(before);
  });
});
