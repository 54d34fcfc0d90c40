import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { startTestTenant } from '../helpers/tenant.js';

/** issue 10 item 5: doctor prints the cloud and its endpoints; Teams operated by 21Vianet is refused with the reason. */
describe('doctor and TEAMS_CLOUD, as processes', function () {
  this.timeout(60_000);

  it('TEAMS_CLOUD=GCC: doctor names the cloud and each endpoint, marking those the simulated tenant sets', async () => {
    const tenant = await startTestTenant({ users: 10, seed: 'cloud' });
    try {
      const r = await runCli(['doctor'], { ...tenant.env, DATABASE_URL: ':memory:', TEAMS_CLOUD: 'gcc' });
      expect(r.code, r.stdout).to.equal(0);
      expect(r.stdout).to.contain('✔ cloud: GCC: US Government Community Cloud (GCC)');
      expect(r.stdout).to.contain(`Graph ${tenant.urls.graph} (set by GRAPH_BASE_URL), token scope https://graph.microsoft.com/.default`);
      expect(r.stdout).to.contain(`Entra authority ${tenant.urls.issuer} (set by AZURE_AUTHORITY_HOST)`);
      expect(r.stdout).to.contain(`proactive serviceUrl ${tenant.urls.proactiveServiceUrl} (set by TEAMS_PROACTIVE_SERVICE_URL)`);
      expect(r.stdout).to.match(/✔ Graph token: obtained/).and.match(/✔ bot token: obtained/);
    } finally {
      await tenant.stop();
    }
  });

  it('TEAMS_CLOUD=China: exit 2, and why: bots are not supported in Teams operated by 21Vianet', async () => {
    const r = await runCli(['doctor'], { DATABASE_URL: ':memory:', TEAMS_CLOUD: 'China' });
    expect(r.code, r.stdout + r.stderr).to.equal(2);
    expect(r.stdout).to.contain('TEAMS_CLOUD: "China" is Teams operated by 21Vianet, where Microsoft lists bots as not supported');
    expect(r.stdout).to.contain('https://learn.microsoft.com/microsoftteams/platform/concepts/sovereign-cloud');
  });
});
